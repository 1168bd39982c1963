using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// ADD of two int8 tensors with broadcasting (TFLite's BroadcastAdd*DSlow; same-shape inputs take ADD, opcode 9):
    ///   a' = MBQM((a − a_zp) · 2^left_shift, a_mult, a_shift);  b' likewise
    ///   y  = clamp(y_zp + MBQM(a' + b', out_mult, out_shift), act_min, act_max)
    /// with ADD's nine params (Add.Encode) and its rescale table (Add.BuildTable). Broadcasting: BroadcastGeometry.
    /// Macs = output elements.
    /// </summary>
    public static class BroadcastAdd
    {
        public const int ParamCount = Add.ParamCount;

        public static void Prepare(PrepareContext m, Op op)
        {
            op.Data = PrepareData(m, op);
            op.Macs = m.Out(op).ElementCount;
        }

        /// <summary>Validation and prepared state shared with SUB (same params, same tables).</summary>
        public static AddBroadcastData PrepareData(PrepareContext m, Op op)
        {
            m.Expect(op, 2, Add.ParamCount);
            Tensor a = m.In(op, 0), b = m.In(op, 1), y = m.Out(op);
            if (a.DType != DType.Int8 || b.DType != DType.Int8 || y.DType != DType.Int8)
                throw m.OpError(op, ErrorCodes.BadDType, "needs int8 inputs and output");
            int leftShift = m.Param(op, Add.PLeftShift, 0, 20, "left_shift");
            int aMult = m.Param(op, Add.PAMult, 0, int.MaxValue, "a_mult");
            int aShift = m.Param(op, Add.PAShift, -31, 0, "a_shift");
            int bMult = m.Param(op, Add.PBMult, 0, int.MaxValue, "b_mult");
            int bShift = m.Param(op, Add.PBShift, -31, 0, "b_shift");
            m.Param(op, Add.POutMult, 0, int.MaxValue, "out_mult");
            m.Param(op, Add.POutShift, -31, 0, "out_shift");
            m.CheckActivationRange(op, Add.PActMin);
            AddBroadcastData d = new AddBroadcastData();
            d.Walk = BroadcastGeometry.Build(m, op, a, b, y);
            d.Table = Add.BuildTable(a.ZeroPoint, b.ZeroPoint, leftShift, aMult, aShift, bMult, bShift);
            d.AOffset = a.ArenaOffset;
            d.BOffset = b.ArenaOffset;
            d.YOffset = y.ArenaOffset;
            d.OutMult = op.Params[Add.POutMult];
            d.OutShift = op.Params[Add.POutShift];
            d.YZero = y.ZeroPoint;
            d.ActMin = op.Params[Add.PActMin];
            d.ActMax = op.Params[Add.PActMax];
            return d;
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
                            int high = (int)(((long)(t[arena[ia] + 128] + t[arena[ib] + 384]) * mult + (1L << 30)) >> 31);
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

    /// <summary>Prepared state of BROADCAST_ADD and SUB: the broadcast walk, ADD's rescale table, offsets, requantization, clamp.</summary>
    public sealed class AddBroadcastData
    {
        public BroadcastGeometry Walk;
        public int[] Table;
        public int AOffset, BOffset, YOffset, OutMult, OutShift, YZero, ActMin, ActMax;
    }
}
