using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// SOFTMAX over the last dimension, TFLite int8 → int8 semantics (reference_ops::Softmax with gemmlowp
    /// fixed point). Per row of C values with maximum M, for each element d = x − M (≤ 0):
    ///   used when d ≥ diff_min; e(d) = exp_on_negative_values(SRDHM(d · 2^input_left_shift, input_multiplier) as Q5.26) (Q0)
    ///   sum = Σ_used RoundingDivideByPOT(e(d), 12)                                  (Q12.19)
    ///   r, k = GetReciprocal(sum, 12)                                               (1/sum = r · 2^−k)
    ///   y = clamp(RoundingDivideByPOT(SRDHM(r, e(d)), k + 23) − 128)  for used d, else −128.
    /// e(d) depends only on d ∈ −255..0, so Prepare fills Table[−d] = e(d) (0 for unused d, which gives
    /// exactly the same sum and output as skipping it) and Table[256 − d] = RoundingDivideByPOT(e(d), 12) (SoftmaxData).
    /// Output zero point −128 and scale 1/256, as TFLite requires. Rows have at most 4095 values (the
    /// Q12.19 sum then cannot overflow). Where TFLite aborts (sum ≥ 2^28, i.e. shift k + 23 &gt; 31, only
    /// with hundreds of near-maximal values) the exact result of the rounding, −128, is written instead.
    /// Macs = elements.
    /// </summary>
    public static class Softmax
    {
        public const int PInputMultiplier = 0, PInputLeftShift = 1, PDiffMin = 2, ParamCount = 3;


        /// <summary>The op record's params, for every writer (the blob writers call this; Prepare reads the same P* indices). </summary>
        public static int[] Encode(int inputMultiplier, int inputLeftShift, int diffMin)
        {
            int[] p = new int[ParamCount];
            p[PInputMultiplier] = inputMultiplier;
            p[PInputLeftShift] = inputLeftShift;
            p[PDiffMin] = diffMin;
            return p;
        }
        public const int ScaledDiffIntegerBits = 5;
        public const int AccumulationIntegerBits = 12;
        public const int MaxDepth = 4095;
        /// <summary>IEEE-754 bits of the float 1/256 (0x3B800000): the output scale TFLite requires.</summary>
        public const int ScaleOneOver256Bits = 0x3B800000;

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 1, ParamCount);
            Tensor x = m.In(op, 0), y = m.Out(op);
            if (x.DType != DType.Int8 || y.DType != DType.Int8)
                throw m.OpError(op, ErrorCodes.BadDType, "needs int8 input and output, has " + DType.Name(x.DType) + " → " + DType.Name(y.DType));
            if (!x.SameDims(y)) throw m.OpError(op, ErrorCodes.ShapeMismatch, "input and output shapes differ");
            if (y.ZeroPoint != -128 || y.ScaleBits != ScaleOneOver256Bits)
                throw m.OpError(op, ErrorCodes.BadOpParams, "output must have zero point -128 and scale 1/256");
            int depth = x.Dims[x.Rank - 1];
            if (depth > MaxDepth) throw m.OpError(op, ErrorCodes.ShapeMismatch, "last dimension " + depth + " exceeds " + MaxDepth);
            int mult = m.Param(op, PInputMultiplier, 0, int.MaxValue, "input_multiplier");
            int shift = m.Param(op, PInputLeftShift, 0, 31, "input_left_shift");
            int diffMin = m.Param(op, PDiffMin, int.MinValue, 0, "diff_min");
            SoftmaxData d = new SoftmaxData();
            d.Table = BuildTable(mult, shift, diffMin);
            d.XOffset = x.ArenaOffset;
            d.YOffset = y.ArenaOffset;
            d.Rows = x.ElementCount / depth;
            d.Depth = depth;
            op.Data = d;
            op.Macs = x.ElementCount;
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            SoftmaxData d = (SoftmaxData)op.Data;
            EvalInt8(d.Table, arena, d.XOffset, d.YOffset, d.Rows, d.Depth);
        }

        /// <summary>[0..255]: e(−i) in Q0; [256..511]: e(−i) rescaled to Q12.19.</summary>
        public static int[] BuildTable(int inputMultiplier, int inputLeftShift, int diffMin)
        {
            int[] t = new int[512];
            for (int i = 0; i < 256; i++)
            {
                int d = -i;
                int e = 0;
                if (d >= diffMin)
                {
                    int scaled = FixedPoint.SaturatingRoundingDoublingHighMul(unchecked(d * (1 << inputLeftShift)), inputMultiplier);
                    e = GemmlowpFixedPoint.ExpOnNegativeValues(scaled, ScaledDiffIntegerBits);
                }
                t[i] = e;
                t[256 + i] = GemmlowpFixedPoint.Rescale(e, 0, AccumulationIntegerBits);
            }
            return t;
        }

        /// <summary>Softmax of `rows` rows of `depth` int8 values.</summary>
        public static void EvalInt8(int[] table, sbyte[] a, int xOff, int yOff, int rows, int depth)
        {
            for (int r = 0; r < rows; r++)
            {
                int xs = xOff + r * depth, ys = yOff + r * depth, xe = xs + depth;
                int max = -128;
                for (int p = xs; p < xe; p++) if (a[p] > max) max = a[p];
                int sum = 0;
                for (int p = xs; p < xe; p++) sum += table[256 + max - a[p]];
                int bitsOverUnit;
                int reciprocal = GemmlowpFixedPoint.GetReciprocal(sum, AccumulationIntegerBits, out bitsOverUnit);
                int exponent = bitsOverUnit + 31 - 8;
                for (int c = 0; c < depth; c++)
                {
                    int v = -128;
                    if (exponent <= 31)
                    {
                        int e = table[max - a[xs + c]];
                        v = FixedPoint.RoundingDivideByPOT(FixedPoint.SaturatingRoundingDoublingHighMul(reciprocal, e), exponent) - 128;
                        if (v > 127) v = 127;
                    }
                    a[ys + c] = (sbyte)v;
                }
            }
        }
    }

    /// <summary>Prepared state of SOFTMAX: the exp table (BuildTable), rows of Depth values, arena offsets.</summary>
    public sealed class SoftmaxData
    {
        public int[] Table;
        public int XOffset, YOffset, Rows, Depth;
    }
}
