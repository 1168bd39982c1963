using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// SUB of two int8 tensors with broadcasting, TFLite int8 semantics (reference_ops::SubElementwise /
    /// BroadcastQuantSubSlow; the params are ADD's, from the same PrepareGeneralSubOp arithmetic):
    ///   a' = MBQM((a − a_zp) · 2^left_shift, a_mult, a_shift);  b' likewise
    ///   y  = clamp(y_zp + MBQM(a' − b', out_mult, out_shift), act_min, act_max)
    /// a' and b' depend only on the int8 values, so Prepare tabulates them (Add.BuildTable) with b' negated, and
    /// Eval is BROADCAST_ADD's: two lookups, an addition and one rescale per element. Broadcasting: BroadcastGeometry. Macs = output elements.
    /// </summary>
    public static class Sub
    {
        /// <summary>The same nine params as ADD (Add.Encode): left_shift, a_mult, a_shift, b_mult, b_shift, out_mult, out_shift, act_min, act_max.</summary>
        public const int ParamCount = Add.ParamCount;

        public static void Prepare(PrepareContext m, Op op)
        {
            AddBroadcastData d = BroadcastAdd.PrepareData(m, op);
            // a' − b' = a' + (−b'): with b's half of the table negated, SUB is BROADCAST_ADD's loop, bit for bit.
            int[] t = d.Table;
            for (int i = 256; i < 512; i++) t[i] = -t[i];
            op.Data = d;
            op.Macs = m.Out(op).ElementCount;
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            BroadcastAdd.Eval(m, op, arena);
        }
    }
}
