using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// SUB of two int8 tensors with broadcasting, TFLite int8 semantics (reference_ops::SubElementwise /
    /// BroadcastQuantSubSlow; the params are ADD's, from the same PrepareGeneralSubOp arithmetic):
    ///   a' = MBQM((a − a_zp) · 2^left_shift, a_mult, a_shift);  b' likewise
    ///   y  = clamp(y_zp + MBQM(a' − b', out_mult, out_shift), act_min, act_max)
    /// a' and b' depend only on the int8 values, so Prepare tabulates them (Add.BuildTable) and Eval does two
    /// lookups, a subtraction and one rescale per element. Broadcasting: BroadcastGeometry. Macs = output elements.
    /// </summary>
    public static class Sub
    {
        /// <summary>The same nine params as ADD (Add.Encode): left_shift, a_mult, a_shift, b_mult, b_shift, out_mult, out_shift, act_min, act_max.</summary>
        public const int ParamCount = Add.ParamCount;

        public static void Prepare(PrepareContext m, Op op)
        {
            op.Data = BroadcastAdd.PrepareData(m, op);
            op.Macs = m.Out(op).ElementCount;
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            AddBroadcastData d = (AddBroadcastData)op.Data;
            BroadcastGeometry w = d.Walk;
            int[] t = d.Table;
            int yi = d.YOffset, yz = d.YZero, mult = d.OutMult, shift = d.OutShift, lo = d.ActMin, hi = d.ActMax;
            int n3 = w.N3, a3 = w.A3, b3 = w.B3;
            // MultiplyByQuantizedMultiplier written out (FixedPoint's, bit for bit: a static call costs ~27 ns
            // on nanoCLR): out_shift ≤ 0 (Prepare), so only the rounding right shift, by its mask and half;
            // the multiplier is ≥ 0, so SRDHM's one overflow case cannot occur.
            int right = -shift;
            int mask = (int)((1L << right) - 1), half = mask >> 1;
            for (int i0 = 0; i0 < w.N0; i0++)
                for (int i1 = 0; i1 < w.N1; i1++)
                    for (int i2 = 0; i2 < w.N2; i2++)
                    {
                        int ia = d.AOffset + i0 * w.A0 + i1 * w.A1 + i2 * w.A2;
                        int ib = d.BOffset + i0 * w.B0 + i1 * w.B1 + i2 * w.B2;
                        for (int i3 = 0; i3 < n3; i3++)
                        {
                            int high = (int)(((long)(t[arena[ia] + 128] - t[arena[ib] + 384]) * mult + (1L << 30)) >> 31);
                            int v = yz + (high >> right) + ((high & mask) > (high < 0 ? half + 1 : half) ? 1 : 0);
                            if (v < lo) v = lo;
                            if (v > hi) v = hi;
                            arena[yi++] = (sbyte)v;
                            ia += a3;
                            ib += b3;
                        }
                    }
        }
    }
}
