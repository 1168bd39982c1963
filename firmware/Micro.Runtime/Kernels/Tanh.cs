using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// TANH, TFLite int8 semantics (reference_integer_ops::Tanh). For v = x − x_zp:
    ///   v ≤ −radius → −128;  v ≥ radius → 127;  otherwise
    ///   y = clamp(RoundingDivideByPOT(tanh_Q0(MBQM(v, input_multiplier, input_left_shift) as Q4.27), 24))
    /// with gemmlowp's fixed-point tanh. Output zero point 0 (TFLite's output scale is 1/128).
    /// Prepare runs that exact algorithm for all 256 int8 inputs; Eval (LookupTable.Eval) is one table lookup per element
    /// (in place allowed). Macs = elements.
    /// </summary>
    public static class Tanh
    {
        public const int PInputMultiplier = 0, PInputLeftShift = 1, PInputRangeRadius = 2, ParamCount = 3;


        /// <summary>The op record's params, for every writer (the blob writers call this; Prepare reads the same P* indices). </summary>
        public static int[] Encode(int inputMultiplier, int inputLeftShift, int inputRangeRadius)
        {
            int[] p = new int[ParamCount];
            p[PInputMultiplier] = inputMultiplier;
            p[PInputLeftShift] = inputLeftShift;
            p[PInputRangeRadius] = inputRangeRadius;
            return p;
        }
        public const int InputIntegerBits = 4;

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 1, ParamCount);
            Tensor x = m.In(op, 0), y = m.Out(op);
            if (x.DType != DType.Int8 || y.DType != DType.Int8)
                throw m.OpError(op, ErrorCodes.BadDType, "needs int8 input and output, has " + DType.Name(x.DType) + " → " + DType.Name(y.DType));
            if (!x.SameDims(y)) throw m.OpError(op, ErrorCodes.ShapeMismatch, "input and output shapes differ");
            if (y.ZeroPoint != 0) throw m.OpError(op, ErrorCodes.BadOpParams, "output zero point must be 0, is " + y.ZeroPoint);
            int mult = m.Param(op, PInputMultiplier, 0, int.MaxValue, "input_multiplier");
            int shift = m.Param(op, PInputLeftShift, -31, 30, "input_left_shift");
            int radius = m.Param(op, PInputRangeRadius, 0, int.MaxValue, "input_range_radius");
            op.Data = new LookupTableData(BuildTable(x.ZeroPoint, mult, shift, radius));
            op.Macs = x.ElementCount;
        }

        /// <summary>Output for every int8 input q at index q + 128.</summary>
        public static sbyte[] BuildTable(int inputZeroPoint, int inputMultiplier, int inputLeftShift, int inputRangeRadius)
        {
            sbyte[] t = new sbyte[256];
            for (int q = -128; q < 128; q++)
                t[q + 128] = (sbyte)Compute(q - inputZeroPoint, inputMultiplier, inputLeftShift, inputRangeRadius);
            return t;
        }

        /// <summary>TFLite's int8 tanh of one zero-point-relative input v.</summary>
        public static int Compute(int v, int inputMultiplier, int inputLeftShift, int inputRangeRadius)
        {
            if (v <= -inputRangeRadius) return -128;
            if (v >= inputRangeRadius) return 127;
            int inQ4 = FixedPoint.MultiplyByQuantizedMultiplier(v, inputMultiplier, inputLeftShift);
            int outQ0 = GemmlowpFixedPoint.Tanh(inQ4, InputIntegerBits);
            int r = FixedPoint.RoundingDivideByPOT(outQ0, 31 - 7);
            return r < -128 ? -128 : r > 127 ? 127 : r;
        }

    }
}
