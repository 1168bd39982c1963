namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// TensorFlow Lite's integer rounding rules (gemmlowp), which every int8 kernel shares. Results must match
    /// TFLite bit for bit, including its double rounding in MultiplyByQuantizedMultiplier.
    /// </summary>
    public static class FixedPoint
    {
        /// <summary>
        /// high32(2·a·b) rounded to nearest, ties away from zero; the single overflow case
        /// (a = b = int.MinValue) saturates to int.MaxValue.
        /// </summary>
        public static int SaturatingRoundingDoublingHighMul(int a, int b)
        {
            if (a == b && a == int.MinValue) return int.MaxValue;
            long ab = (long)a * b;
            long nudge = ab >= 0 ? (1L << 30) : (1L - (1L << 30));
            // C# long division truncates toward zero, as C++ does.
            return (int)((ab + nudge) / (1L << 31));
        }

        /// <summary>x / 2^exponent rounded to nearest, ties away from zero (exponent 0..31).</summary>
        public static int RoundingDivideByPOT(int x, int exponent)
        {
            int mask = (int)((1L << exponent) - 1);
            int remainder = x & mask;
            int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
            return (x >> exponent) + (remainder > threshold ? 1 : 0);
        }

        /// <summary>
        /// x · multiplier · 2^shift with TFLite's rounding: the left part of the shift before the Q31 multiply,
        /// the right part after it (MultiplyByQuantizedMultiplier, int32 form).
        /// </summary>
        /// <remarks>
        /// SaturatingRoundingDoublingHighMul and RoundingDivideByPOT are written out here rather than called:
        /// this runs once per output element of every kernel, and a static call costs ~27 ns on nanoCLR (no
        /// inlining), so three calls cost more than the arithmetic. FixedPointTests hold it to the exact reference.
        /// </remarks>
        public static int MultiplyByQuantizedMultiplier(int x, int multiplier, int shift)
        {
            int right = 0;
            if (shift > 0) x = unchecked(x * (1 << shift));
            else right = -shift;
            int high;
            if (x == int.MinValue && multiplier == int.MinValue) high = int.MaxValue;
            else
            {
                // TFLite: (ab + nudge) / 2^31 truncated toward zero, nudge = 2^30 (ab ≥ 0) or 1 − 2^30 (ab < 0).
                // For ab < 0, t = ab + 1 − 2^30 < 0 and trunc(t / 2^31) = (t + 2^31 − 1) >> 31 = (ab + 2^30) >> 31;
                // for ab ≥ 0 it is the same expression. One shift, no branch and no 64-bit division (a library
                // call on 32-bit cores).
                long ab = (long)x * multiplier;
                high = (int)((ab + (1L << 30)) >> 31);
            }
            if (right == 0) return high;
            int mask = (int)((1L << right) - 1);
            int threshold = (mask >> 1) + (high < 0 ? 1 : 0);
            return (high >> right) + ((high & mask) > threshold ? 1 : 0);
        }

        /// <summary>
        /// TFLite's 64-bit MultiplyByQuantizedMultiplier used by the 16×8 kernels: the Q31 multiplier is
        /// reduced to Q15 (rounded) and applied to the 64-bit accumulator with one rounding shift.
        /// </summary>
        public static int MultiplyByQuantizedMultiplier(long x, int multiplier, int shift)
        {
            int reduced = multiplier < 0x7FFF0000 ? ((multiplier + (1 << 15)) >> 16) : 0x7FFF;
            int totalShift = 15 - shift;
            long r = x * reduced + (1L << (totalShift - 1));
            return (int)(r >> totalShift);
        }
    }
}
