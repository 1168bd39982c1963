using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// HARD_SWISH, TFLite int8 semantics (reference_ops::HardSwish, 16-bit fixed point). For v = x − x_zp:
    ///   hires    = v · 2^7                                   (int16)
    ///   preshift = SRDHM16(hires, output_mult16)              (x on the output scale, not yet shifted)
    ///   r        = hires, shifted/saturated by reluish_exp around SRDHM16(·, reluish_mult16)  (x/3 in Q15, saturated to [−1, 1])
    ///   r        = (r + 2^15) >> 1                            (relu6(x + 3)/6 in Q15, [0, 1])
    ///   y        = clamp(RoundingDivideByPOT(DoublingHighMul16(r, preshift), −output_exp) + y_zp)
    /// SRDHM16 rounds to nearest (gemmlowp), DoublingHighMul16 truncates toward zero (as SQDMULH); both
    /// saturate −2^15·−2^15. The multipliers are TFLite's QuantizeMultiplier reduced to 16 bits
    /// (DownScaleInt32ToInt16Multiplier) of hires_scale / y_scale and hires_scale / (3/2^15).
    /// The output depends on x alone: Prepare runs this for all 256 inputs and Eval is LookupTable.Eval
    /// (in place allowed). Macs = elements.
    /// </summary>
    public static class HardSwish
    {
        public const int PReluishMult = 0, PReluishExp = 1, POutputMult = 2, POutputExp = 3, ParamCount = 4;

        /// <summary>The op record's params, for every writer (the blob writers call this; Prepare reads the same P* indices).</summary>
        public static int[] Encode(int reluishMult16, int reluishExp, int outputMult16, int outputExp)
        {
            int[] p = new int[ParamCount];
            p[PReluishMult] = reluishMult16;
            p[PReluishExp] = reluishExp;
            p[POutputMult] = outputMult16;
            p[POutputExp] = outputExp;
            return p;
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 1, ParamCount);
            Tensor x = m.In(op, 0), y = m.Out(op);
            if (x.DType != DType.Int8 || y.DType != DType.Int8)
                throw m.OpError(op, ErrorCodes.BadDType, "needs int8 input and output, has " + DType.Name(x.DType) + " → " + DType.Name(y.DType));
            if (!x.SameDims(y)) throw m.OpError(op, ErrorCodes.ShapeMismatch, "input and output shapes differ");
            int rm = m.Param(op, PReluishMult, 0, 32767, "reluish_multiplier");
            int re = m.Param(op, PReluishExp, -31, 15, "reluish_exponent");
            int om = m.Param(op, POutputMult, 0, 32767, "output_multiplier");
            int oe = m.Param(op, POutputExp, -31, 0, "output_exponent");
            sbyte[] t = new sbyte[256];
            for (int q = -128; q < 128; q++) t[q + 128] = (sbyte)Compute(q - x.ZeroPoint, y.ZeroPoint, rm, re, om, oe);
            op.Data = new LookupTableData(t);
            op.Macs = x.ElementCount;
        }

        /// <summary>TFLite's int8 hard-swish of one zero-point-relative input v (−255..255).</summary>
        public static int Compute(int v, int yZero, int reluishMult, int reluishExp, int outputMult, int outputExp)
        {
            int hires = v * 128;
            int preshift = Srdhm16(hires, outputMult);
            int r = hires;
            if (reluishExp > 0) r = SaturatingLeftShift16(r, reluishExp - 1);
            r = Srdhm16(r, reluishMult);
            if (reluishExp > 0) r = SaturatingLeftShift16(r, 1);
            if (reluishExp < 0) r = FixedPoint.RoundingDivideByPOT(r, -reluishExp);
            r = (r + 32768) >> 1;
            int o = FixedPoint.RoundingDivideByPOT(DoublingHighMul16(r, preshift), -outputExp) + yZero;
            return o < -128 ? -128 : o > 127 ? 127 : o;
        }

        /// <summary>gemmlowp's int16 SaturatingRoundingDoublingHighMul: (a·b + nudge) / 2^15 toward zero.</summary>
        private static int Srdhm16(int a, int b)
        {
            if (a == -32768 && b == -32768) return 32767;
            int ab = a * b;
            int nudge = ab >= 0 ? 1 << 14 : 1 - (1 << 14);
            return (ab + nudge) / (1 << 15);
        }

        /// <summary>a·b / 2^15 truncated toward zero, saturating the one overflow (SQDMULH).</summary>
        private static int DoublingHighMul16(int a, int b)
        {
            if (a == -32768 && b == -32768) return 32767;
            return (short)((a * b) / (1 << 15));
        }

        private static int SaturatingLeftShift16(int v, int amount)
        {
            long r = (long)v << amount;
            return r > 32767 ? 32767 : r < -32768 ? -32768 : (int)r;
        }
    }
}
