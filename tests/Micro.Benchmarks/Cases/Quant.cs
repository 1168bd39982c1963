using System;

namespace Micro.Benchmarks.Cases
{
    /// <summary>
    /// TensorFlow Lite's host-side multiplier math (QuantizeMultiplier and the SOFTMAX preprocessing), enough
    /// to give the benchmark ops the params a real converter would. Host code only.
    /// </summary>
    public static class Quant
    {
        /// <summary>real ≈ m · 2^(shift − 31) with m a Q31 value in [2^30, 2^31).</summary>
        public static (int Multiplier, int Shift) QuantizeMultiplier(double real)
        {
            if (real == 0) return (0, 0);
            int shift = Math.ILogB(real) + 1;
            double q = Math.ScaleB(real, -shift);           // [0.5, 1)
            long qFixed = (long)Math.Round(q * (1L << 31), MidpointRounding.AwayFromZero);
            if (qFixed == 1L << 31)
            {
                qFixed /= 2;
                shift++;
            }
            if (shift < -31) return (0, 0);
            return ((int)qFixed, shift);
        }

        /// <summary>SOFTMAX params (input_multiplier, input_left_shift, diff_min) for int8 with 5 integer bits.</summary>
        public static int[] SoftmaxParams(double beta, double inputScale)
        {
            const int integerBits = 5;
            double real = Math.Min(beta * inputScale * (1L << (31 - integerBits)), (1L << 31) - 1.0);
            var (mult, shift) = QuantizeMultiplier(real);
            if (shift < 0) throw new ArgumentException("softmax multiplier below one");
            double maxInputRescaled = ((1L << integerBits) - 1) * (double)(1L << (31 - integerBits)) / (1L << shift);
            int diffMin = -(int)Math.Floor(maxInputRescaled);
            return new[] { mult, shift, diffMin };
        }

        /// <summary>ADD params as TFLite prepares them: left_shift 20, a/b/out multiplier and shift, act range.</summary>
        public static int[] AddParams(double sa, double sb, double sy, int actMin, int actMax)
        {
            const int leftShift = 20;
            double twiceMax = 2 * Math.Max(sa, sb);
            var a = QuantizeMultiplier(sa / twiceMax);
            var b = QuantizeMultiplier(sb / twiceMax);
            var y = QuantizeMultiplier(twiceMax / ((1 << leftShift) * sy));
            return new[] { leftShift, a.Multiplier, a.Shift, b.Multiplier, b.Shift, y.Multiplier, y.Shift, actMin, actMax };
        }
    }
}
