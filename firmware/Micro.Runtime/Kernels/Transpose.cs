using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// TRANSPOSE, rank 1..4, int8 or int16: params perm[d] (rank words, a permutation of 0..rank−1) and
    ///   y.dims[d] = x.dims[perm[d]],   y[i_0, …, i_{r−1}] = x[j] with j[perm[d]] = i_d
    /// (TFLite's TRANSPOSE and ONNX's Transpose). Input and output quantization are equal (values are
    /// copied). Eval walks y in order and x by the permuted strides (rank &lt; 4 padded with leading dims of 1).
    /// Macs = 0 (data movement).
    /// </summary>
    public static class Transpose
    {
        /// <summary>The op record's params, for every writer: perm, one word per dim.</summary>
        public static int[] Encode(int[] perm)
        {
            return (int[])perm.Clone();
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            Tensor x = m.In(op, 0), y = m.Out(op);
            int r = y.Rank;
            m.Expect(op, 1, r);
            if (x.DType != y.DType) throw m.OpError(op, ErrorCodes.BadDType, "input " + DType.Name(x.DType) + " and output " + DType.Name(y.DType) + " differ");
            if (x.Rank != r) throw m.OpError(op, ErrorCodes.ShapeMismatch, "input rank " + x.Rank + ", output rank " + r);
            if (x.ZeroPoint != y.ZeroPoint || x.ScaleBits != y.ScaleBits)
                throw m.OpError(op, ErrorCodes.BadOpParams, "input and output quantization must be equal");
            int es = DType.Size(y.DType);
            int[] xStride = new int[4];
            int s = es;
            for (int d = r - 1; d >= 0; d--)
            {
                xStride[d] = s;
                s *= x.Dims[d];
            }
            bool[] used = new bool[4];
            TransposeData t = new TransposeData();
            t.OutDims = new int[4];
            t.Strides = new int[4];
            int lead = 4 - r;
            for (int d = 0; d < lead; d++) t.OutDims[d] = 1;
            for (int d = 0; d < r; d++)
            {
                int p = m.Param(op, d, 0, r - 1, "perm[" + d + "]");
                if (used[p]) throw m.OpError(op, ErrorCodes.BadOpParams, "perm names axis " + p + " twice");
                used[p] = true;
                if (y.Dims[d] != x.Dims[p])
                    throw m.OpError(op, ErrorCodes.ShapeMismatch, "output dimension " + d + " is " + y.Dims[d] + ", input dimension " + p + " is " + x.Dims[p]);
                t.OutDims[lead + d] = y.Dims[d];
                t.Strides[lead + d] = xStride[p];
            }
            t.ElementSize = es;
            t.XOffset = x.ArenaOffset;
            t.YOffset = y.ArenaOffset;
            op.Data = t;
            op.Macs = 0;
        }

        public static void Eval(Model m, Op op, sbyte[] a)
        {
            TransposeData t = (TransposeData)op.Data;
            int[] n = t.OutDims, s = t.Strides;
            int s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3], n3 = n[3];
            int dst = t.YOffset;
            if (t.ElementSize == 1)
            {
                for (int i0 = 0; i0 < n[0]; i0++)
                    for (int i1 = 0; i1 < n[1]; i1++)
                        for (int i2 = 0; i2 < n[2]; i2++)
                        {
                            int p = t.XOffset + i0 * s0 + i1 * s1 + i2 * s2;
                            for (int i3 = 0; i3 < n3; i3++)
                            {
                                a[dst++] = a[p];
                                p += s3;
                            }
                        }
                return;
            }
            for (int i0 = 0; i0 < n[0]; i0++)
                for (int i1 = 0; i1 < n[1]; i1++)
                    for (int i2 = 0; i2 < n[2]; i2++)
                    {
                        int p = t.XOffset + i0 * s0 + i1 * s1 + i2 * s2;
                        for (int i3 = 0; i3 < n3; i3++)
                        {
                            a[dst++] = a[p];
                            a[dst++] = a[p + 1];
                            p += s3;
                        }
                    }
        }
    }

    /// <summary>Prepared state of TRANSPOSE: output dims (4-d view) and, per output dim, the input byte stride it walks.</summary>
    public sealed class TransposeData
    {
        public int[] OutDims, Strides;
        public int ElementSize, XOffset, YOffset;
    }
}
