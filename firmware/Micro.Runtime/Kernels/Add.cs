using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// ADD of two int8 tensors of the output's shape (no broadcasting in version 1), TFLite int8 semantics
    /// (reference_integer_ops::AddFunc; all shifts ≤ 0, so each rescale is RoundingDivideByPOT(SRDHM(·, mult), −shift)):
    ///   a' = MBQM((a − a_zp) · 2^left_shift, a_mult, a_shift);  b' likewise
    ///   y  = clamp(y_zp + MBQM(a' + b', out_mult, out_shift), act_min, act_max)
    /// TFLite uses left_shift = 20 for int8. a' depends only on the int8 value of a, so Prepare tabulates
    /// a' and b' (AddData.Table[0..255] and [256..511]); Eval does two lookups and one rescale per element.
    /// Macs = elements.
    /// </summary>
    public static class Add
    {
        public const int PLeftShift = 0, PAMult = 1, PAShift = 2, PBMult = 3, PBShift = 4, POutMult = 5, POutShift = 6, PActMin = 7, PActMax = 8, ParamCount = 9;


        /// <summary>The op record's params, for every writer (the blob writers call this; Prepare reads the same P* indices). </summary>
        public static int[] Encode(int leftShift, int aMult, int aShift, int bMult, int bShift, int outMult, int outShift, int actMin, int actMax)
        {
            int[] p = new int[ParamCount];
            p[PLeftShift] = leftShift;
            p[PAMult] = aMult;
            p[PAShift] = aShift;
            p[PBMult] = bMult;
            p[PBShift] = bShift;
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
            if (!a.SameDims(y) || !b.SameDims(y))
                throw m.OpError(op, ErrorCodes.ShapeMismatch, "inputs and output must have the same shape (no broadcasting in version 1)");
            int leftShift = m.Param(op, PLeftShift, 0, 20, "left_shift");
            int aMult = m.Param(op, PAMult, 0, int.MaxValue, "a_mult");
            int aShift = m.Param(op, PAShift, -31, 0, "a_shift");
            int bMult = m.Param(op, PBMult, 0, int.MaxValue, "b_mult");
            int bShift = m.Param(op, PBShift, -31, 0, "b_shift");
            m.Param(op, POutMult, 0, int.MaxValue, "out_mult");
            m.Param(op, POutShift, -31, 0, "out_shift");
            m.CheckActivationRange(op, PActMin);
            AddData d = new AddData();
            d.Table = BuildTable(a.ZeroPoint, b.ZeroPoint, leftShift, aMult, aShift, bMult, bShift);
            d.AOffset = a.ArenaOffset;
            d.BOffset = b.ArenaOffset;
            d.YOffset = y.ArenaOffset;
            d.Count = y.ElementCount;
            d.OutMult = op.Params[POutMult];
            d.OutShift = op.Params[POutShift];
            d.YZero = y.ZeroPoint;
            d.ActMin = op.Params[PActMin];
            d.ActMax = op.Params[PActMax];
            op.Data = d;
            op.Macs = y.ElementCount;
        }

        /// <summary>[q + 128] = a' and [q + 384] = b' for every int8 value q.</summary>
        public static int[] BuildTable(int aZero, int bZero, int leftShift, int aMult, int aShift, int bMult, int bShift)
        {
            int[] t = new int[512];
            for (int q = -128; q < 128; q++)
            {
                t[q + 128] = FixedPoint.MultiplyByQuantizedMultiplier((q - aZero) << leftShift, aMult, aShift);
                t[q + 384] = FixedPoint.MultiplyByQuantizedMultiplier((q - bZero) << leftShift, bMult, bShift);
            }
            return t;
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            AddData d = (AddData)op.Data;
            EvalInt8(d.Table, arena, d.AOffset, d.BOffset, d.YOffset, d.Count, d.OutMult, d.OutShift, d.YZero, d.ActMin, d.ActMax);
        }

        /// <summary>y[i] = clamp(yZero + MBQM(table[a[i] + 128] + table[b[i] + 384], outMult, outShift)).</summary>
        public static void EvalInt8(int[] table, sbyte[] arena, int aOff, int bOff, int yOff, int count, int outMult, int outShift,
            int yZero, int actMin, int actMax)
        {
            for (int i = 0; i < count; i++)
            {
                int sum = table[arena[aOff + i] + 128] + table[arena[bOff + i] + 384];
                int v = yZero + FixedPoint.MultiplyByQuantizedMultiplier(sum, outMult, outShift);
                if (v < actMin) v = actMin;
                if (v > actMax) v = actMax;
                arena[yOff + i] = (sbyte)v;
            }
        }

    }

    /// <summary>Prepared state of ADD: the rescale table (BuildTable), arena offsets, output requantization and clamp.</summary>
    public sealed class AddData
    {
        public int[] Table;
        public int AOffset, BOffset, YOffset, Count, OutMult, OutShift, YZero, ActMin, ActMax;
    }
}
