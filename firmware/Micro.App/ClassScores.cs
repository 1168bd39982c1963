using System;
using Micro.Runtime;
using Micro.Runtime.Format;
using Micro.Runtime.Kernels;

namespace Micro.App
{
    /// <summary>
    /// Turns one int8 class-score tensor into permille, integer math only. Two kinds of output are
    /// recognised when the model is loaded:
    /// <list type="bullet">
    /// <item>a softmax output (scale exactly 1/256, zero point −128, as TFLite and Micro.Runtime's SOFTMAX
    /// write it): p = (q + 128) / 256, so permille = ((q + 128) · 1000 + 128) / 256;</item>
    /// <item>anything else is taken as logits x = scale · (q − zp): permille_i = 1000 · exp(x_i − x_max) / Σ_j
    /// exp(x_j − x_max). Only d = q_max − q_i ∈ 0..255 matters; exp(−scale · d) is computed per class in
    /// Q0.31 with gemmlowp's exp_on_negative_values (Micro.Runtime.Kernels.GemmlowpFixedPoint), not tabulated
    /// (256 ints would be 1 KB of device heap per head, 4 calls per window cost little); the scale is read from its IEEE-754 bits (Tensor.ScaleBits), so no float arithmetic runs on the device.</item>
    /// </list>
    /// </summary>
    public sealed class ClassScores
    {
        /// <summary>IEEE-754 bits of 1/256, the softmax output scale.</summary>
        public const int SoftmaxScaleBits = 0x3B800000;

        /// <summary>Integer bits of the Q5.26 argument handed to exp_on_negative_values.</summary>
        private const int ExpIntegerBits = 5;

        private readonly int count;
        private readonly bool probabilities;
        // exp(−scale · d) = Exp(mantissa, shift, d), computed per class when needed rather than tabulated
        // (a 256-entry int table per head is 1 KB of the device's heap; 4 classes cost 4 calls per window).
        private readonly long mantissa;
        private readonly int shift;
        private readonly int[] exps;   // one classification's exponentials, so ToPermille allocates nothing

        private ClassScores(int count, bool probabilities, int scaleBits)
        {
            this.count = count;
            this.probabilities = probabilities;
            if (probabilities) return;
            long m;
            int sh;
            ScaleParts(scaleBits, out m, out sh);
            mantissa = m;
            shift = sh;
            exps = new int[count];
        }

        /// <summary>Number of classes (elements of the tensor).</summary>
        public int Count { get { return count; } }

        /// <summary>True for a softmax (probability) output, false for logits.</summary>
        public bool IsProbability { get { return probabilities; } }

        /// <summary>
        /// Prepares the conversion for tensor t. Throws ArgumentException when t is not int8 or does not hold
        /// exactly expectedCount elements; where names the tensor in the message.
        /// </summary>
        public static ClassScores For(Tensor t, int expectedCount, string where)
        {
            if (t == null) throw new ArgumentNullException("t");
            if (t.DType != DType.Int8)
                throw new ArgumentException(where + " is " + DType.Name(t.DType) + "; the rhythm classifier needs int8 class scores");
            if (t.ElementCount != expectedCount)
                throw new ArgumentException(where + " has " + t.ElementCount + " values; the rhythm classifier needs " + expectedCount
                    + " (regular, irregular, no_pulse, artefact)");
            if (t.ScaleBits == SoftmaxScaleBits && t.ZeroPoint == -128) return new ClassScores(expectedCount, true, 0);
            return new ClassScores(expectedCount, false, t.ScaleBits);
        }

        /// <summary>
        /// exp(−scale · d) for d = 0..255 in Q0.31 (d = 0 gives int.MaxValue). scale = m · 2^(e − 150) from
        /// the float bits; the Q5.26 argument d · scale · 2^26 = d · m · 2^(e − 124) is formed exactly in a
        /// long, rounded, and saturated at −32 (exp(−32) is below one Q0.31 step).
        /// </summary>
        public static int[] ExpTable(int scaleBits)
        {
            long mantissa;
            int shift;
            ScaleParts(scaleBits, out mantissa, out shift);
            int[] table = new int[256];
            for (int d = 0; d < 256; d++) table[d] = Exp(mantissa, shift, d);
            return table;
        }

        /// <summary>scale = mantissa · 2^(shift − 26) from the float bits (throws unless finite and positive).</summary>
        private static void ScaleParts(int scaleBits, out long mantissa, out int shift)
        {
            int biased = (scaleBits >> 23) & 0xFF;
            if (scaleBits < 0 || biased == 0xFF) throw new ArgumentException("output scale must be a finite positive number");
            mantissa = biased == 0 ? (scaleBits & 0x7FFFFF) : ((scaleBits & 0x7FFFFF) | 0x800000);
            shift = (biased == 0 ? 1 : biased) - 124;
        }

        /// <summary>exp(−scale · d) in Q0.31 for d in 0..255: the ExpTable entry d.</summary>
        private static int Exp(long mantissa, int shift, int d)
        {
            long v = d * mantissa;
            if (shift >= 0)
            {
                v = shift >= 32 || v > (0x7FFFFFFFL >> shift) ? 0x80000000L : v << shift;
            }
            else
            {
                int right = -shift;
                v = right >= 62 ? 0 : (v + (1L << (right - 1))) >> right;
            }
            int arg = v >= 0x80000000L ? int.MinValue : -(int)v;
            return GemmlowpFixedPoint.ExpOnNegativeValues(arg, ExpIntegerBits);
        }

        /// <summary>
        /// Reads count int8 scores from a[offset..] and writes their permille into permille[0..count).
        /// Returns false if the scores carry no information (all exponentials underflow). Allocates nothing.
        /// </summary>
        public bool ToPermille(sbyte[] a, int offset, int[] permille)
        {
            int n = count;
            if (probabilities)
            {
                for (int i = 0; i < n; i++) permille[i] = ((a[offset + i] + 128) * 1000 + 128) / 256;
                return true;
            }
            int max = -128;
            for (int i = 0; i < n; i++)
            {
                int q = a[offset + i];
                if (q > max) max = q;
            }
            int[] t = exps;
            long sum = 0;
            for (int i = 0; i < n; i++)
            {
                int e = Exp(mantissa, shift, max - a[offset + i]);
                t[i] = e;
                sum += e;
            }
            if (sum <= 0) return false;
            for (int i = 0; i < n; i++) permille[i] = (int)((t[i] * 1000L + sum / 2) / sum);
            return true;
        }
    }
}
