using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// NumPy/TFLite broadcasting of two inputs a, b to the output y (MUL, SUB, BROADCAST_ADD): dims are aligned
    /// on the right, each input dim equals y's or is 1 (then repeated). Prepare reduces the walk to at most
    /// four loops: adjacent dims that broadcast the same way for both inputs merge into one (a per-channel
    /// gate on [1,H,W,C] becomes H·W rows of C; a scalar becomes one flat loop), then
    ///   for i0 &lt; N0, i1 &lt; N1, i2 &lt; N2, i3 &lt; N3:  a[Σ ik·AStride_k], b[Σ ik·BStride_k] → y[next]
    /// with stride 0 along a broadcast dim. The visiting order is y's row-major order, as TFLite's.
    /// </summary>
    public sealed class BroadcastGeometry
    {
        public int N0, N1, N2, N3;
        public int A0, A1, A2, A3;
        public int B0, B1, B2, B3;

        /// <summary>Checks that a and b broadcast to y (same dtype checks are the caller's) and builds the walk.</summary>
        public static BroadcastGeometry Build(PrepareContext m, Op op, Tensor a, Tensor b, Tensor y)
        {
            int r = y.Rank;
            if (a.Rank > r || b.Rank > r)
                throw m.OpError(op, ErrorCodes.ShapeMismatch, "an input has a higher rank than the output");
            int[] yd = new int[4], ad = new int[4], bd = new int[4];
            for (int d = 0; d < 4; d++) { yd[d] = 1; ad[d] = 1; bd[d] = 1; }
            for (int d = 0; d < r; d++) yd[4 - r + d] = y.Dims[d];
            for (int d = 0; d < a.Rank; d++) ad[4 - a.Rank + d] = a.Dims[d];
            for (int d = 0; d < b.Rank; d++) bd[4 - b.Rank + d] = b.Dims[d];
            for (int d = 0; d < 4; d++)
            {
                if ((ad[d] != yd[d] && ad[d] != 1) || (bd[d] != yd[d] && bd[d] != 1) || (yd[d] != 1 && ad[d] == 1 && bd[d] == 1))
                    throw m.OpError(op, ErrorCodes.ShapeMismatch, "inputs do not broadcast to the output (dimension " + d + " of the 4-d view)");
            }
            // Merge dims from the inside out: dim d joins the group outside it when both inputs are broadcast
            // (or not) along both. Dims of size 1 join any group.
            int[] n = new int[4], sa = new int[4], sb = new int[4];
            int groups = 0;
            int gn = 1;
            bool gaB = false, gbB = false, open = false;
            int[] gSize = new int[4];
            bool[] gA = new bool[4], gB = new bool[4];
            for (int d = 3; d >= 0; d--)
            {
                if (yd[d] == 1) continue;
                bool aB = ad[d] == 1, bB = bd[d] == 1;
                if (open && aB == gaB && bB == gbB) { gn *= yd[d]; continue; }
                if (open) { gSize[groups] = gn; gA[groups] = gaB; gB[groups] = gbB; groups++; }
                open = true; gn = yd[d]; gaB = aB; gbB = bB;
            }
            if (open) { gSize[groups] = gn; gA[groups] = gaB; gB[groups] = gbB; groups++; }
            // groups[0] is innermost. Lay them out as loops 3 (inner) .. 0 (outer).
            int strideA = 1, strideB = 1;
            for (int k = 0; k < 4; k++) { n[k] = 1; sa[k] = 0; sb[k] = 0; }
            for (int g = 0; g < groups; g++)
            {
                int loop = 3 - g;
                n[loop] = gSize[g];
                sa[loop] = gA[g] ? 0 : strideA;
                sb[loop] = gB[g] ? 0 : strideB;
                if (!gA[g]) strideA *= gSize[g];
                if (!gB[g]) strideB *= gSize[g];
            }
            BroadcastGeometry w = new BroadcastGeometry();
            w.N0 = n[0]; w.N1 = n[1]; w.N2 = n[2]; w.N3 = n[3];
            w.A0 = sa[0]; w.A1 = sa[1]; w.A2 = sa[2]; w.A3 = sa[3];
            w.B0 = sb[0]; w.B1 = sb[1]; w.B2 = sb[2]; w.B3 = sb[3];
            return w;
        }
    }
}
