using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// MUL of two int8 tensors with broadcasting (per-channel gates, scalars), TFLite int8 semantics
    /// (reference_integer_ops::MulElementwise / BroadcastMul*DSlow):
    ///   y = clamp(y_zp + MultiplyByQuantizedMultiplier((a − a_zp)·(b − b_zp), out_mult, out_shift), act_min, act_max)
    /// with (out_mult, out_shift) = QuantizeMultiplier(a_scale·b_scale / y_scale). Broadcasting: BroadcastGeometry.
    /// Macs = output elements.
    /// </summary>
    public static class Mul
    {
        public const int POutMult = 0, POutShift = 1, PActMin = 2, PActMax = 3, ParamCount = 4;

        /// <summary>The op record's params, for every writer (the blob writers call this; Prepare reads the same P* indices).</summary>
        public static int[] Encode(int outMult, int outShift, int actMin, int actMax)
        {
            int[] p = new int[ParamCount];
            p[POutMult] = outMult;
            p[POutShift] = outShift;
            p[PActMin] = actMin;
            p[PActMax] = actMax;
            return p;
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 2, ParamCount);
            Tensor a = m.In(op, 0), b = m.In(op, 1), y = m.Out(op);
            if (a.DType != DType.Int8 || b.DType != DType.Int8 || y.DType != DType.Int8)
                throw m.OpError(op, ErrorCodes.BadDType, "needs int8 inputs and output");
            m.Param(op, POutMult, 0, int.MaxValue, "out_mult");
            m.Param(op, POutShift, -31, 30, "out_shift");
            m.CheckActivationRange(op, PActMin);
            MulData d = new MulData();
            d.Walk = BroadcastGeometry.Build(m, op, a, b, y);
            d.AOffset = a.ArenaOffset;
            d.BOffset = b.ArenaOffset;
            d.YOffset = y.ArenaOffset;
            d.AZero = a.ZeroPoint;
            d.BZero = b.ZeroPoint;
            d.YZero = y.ZeroPoint;
            d.OutMult = op.Params[POutMult];
            d.OutShift = op.Params[POutShift];
            d.ActMin = op.Params[PActMin];
            d.ActMax = op.Params[PActMax];
            op.Data = d;
            op.Macs = y.ElementCount;
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            MulData d = (MulData)op.Data;
            BroadcastGeometry w = d.Walk;
            int yi = d.YOffset, az = d.AZero, bz = d.BZero, yz = d.YZero, mult = d.OutMult, shift = d.OutShift, lo = d.ActMin, hi = d.ActMax;
            int n3 = w.N3, a3 = w.A3, b3 = w.B3;
            // MultiplyByQuantizedMultiplier written out (FixedPoint's, bit for bit: a static call costs ~27 ns
            // on nanoCLR): the left shift as a factor, the rounding right shift's mask and half, and the
            // multiplier ≥ 0 (Prepare), so SRDHM's one overflow case cannot occur.
            int left = shift > 0 ? 1 << shift : 1, right = shift > 0 ? 0 : -shift;
            int mask = (int)((1L << right) - 1), half = mask >> 1;
            for (int i0 = 0; i0 < w.N0; i0++)
                for (int i1 = 0; i1 < w.N1; i1++)
                    for (int i2 = 0; i2 < w.N2; i2++)
                    {
                        int ia = d.AOffset + i0 * w.A0 + i1 * w.A1 + i2 * w.A2;
                        int ib = d.BOffset + i0 * w.B0 + i1 * w.B1 + i2 * w.B2;
                        for (int i3 = 0; i3 < n3; i3++)
                        {
                            int high = (int)(((long)(unchecked((arena[ia] - az) * (arena[ib] - bz) * left)) * mult + (1L << 30)) >> 31);
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

    /// <summary>Prepared state of MUL: the broadcast walk, arena offsets, zero points, output requantization and clamp.</summary>
    public sealed class MulData
    {
        public BroadcastGeometry Walk;
        public int AOffset, BOffset, YOffset, AZero, BZero, YZero, OutMult, OutShift, ActMin, ActMax;
    }
}
