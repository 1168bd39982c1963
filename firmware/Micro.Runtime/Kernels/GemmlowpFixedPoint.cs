namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// gemmlowp's fixed-point transcendental functions on raw int32 values, as TensorFlow Lite's int8
    /// LOGISTIC, TANH and SOFTMAX use them (gemmlowp fixedpoint/fixedpoint.h, scalar int32 case).
    /// A value "Qk" has k integer bits and 31 − k fractional bits: real = raw / 2^(31−k). Results of the
    /// functions below are Q0 (real = raw / 2^31, "one" = int.MaxValue).
    ///
    /// gemmlowp writes these as templates over the integer-bit count; here the count is an argument and
    /// every compile-time condition of the template is evaluated at run time with the same outcome.
    /// Additions and negations wrap as gemmlowp's int32 scalar operations do. Integer only; the kernels
    /// call these at load to fill lookup tables (LOGISTIC, TANH, SOFTMAX) and once per row (SOFTMAX).
    /// </summary>
    public static class GemmlowpFixedPoint
    {
        public const int One = int.MaxValue;

        // Q0 constants (raw int32), named by the real value they encode.
        private const int ExpMinusOneEighth = 1895147668;
        private const int OneThird = 715827883;
        private const int FortyEightSeventeenthsQ2 = 1515870810;
        private const int MinusThirtyTwoSeventeenthsQ2 = -1010580540;
        private const int OneQ2 = 1 << 29;

        // exp(−2^k) in Q0 for k = −2..4 (the barrel shifter of exp_on_negative_values).
        private static int ExpOfMinusPowerOfTwo(int k)
        {
            switch (k)
            {
                case -2: return 1672461947;
                case -1: return 1302514674;
                case 0: return 790015084;
                case 1: return 290630308;
                case 2: return 39332535;
                case 3: return 720401;
                default: return 242; // k = 4
            }
        }

        /// <summary>(a + b) / 2 rounded to nearest, ties away from zero.</summary>
        public static int RoundingHalfSum(int a, int b)
        {
            long sum = (long)a + b;
            return (int)((sum + (sum >= 0 ? 1 : -1)) / 2);
        }

        /// <summary>
        /// x · 2^exponent: for exponent &gt; 0 a left shift saturating to int.MinValue/int.MaxValue, for
        /// exponent &lt; 0 a right shift rounded to nearest (ties away from zero).
        /// </summary>
        public static int SaturatingRoundingMultiplyByPOT(int x, int exponent)
        {
            if (exponent == 0) return x;
            if (exponent < 0) return FixedPoint.RoundingDivideByPOT(x, -exponent);
            int threshold = (1 << (31 - exponent)) - 1;
            if (x > threshold) return int.MaxValue;
            if (x < -threshold) return int.MinValue;
            return x << exponent;
        }

        /// <summary>Changes a raw value from Q(srcBits) to Q(dstBits) (gemmlowp Rescale).</summary>
        public static int Rescale(int x, int srcBits, int dstBits)
        {
            return SaturatingRoundingMultiplyByPOT(x, srcBits - dstBits);
        }

        /// <summary>exp(a) for a in [−1/4, 0), a and result Q0: a 4th-order Taylor expansion around −1/8.</summary>
        public static int ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(int a)
        {
            int x = unchecked(a + (1 << 28));
            int x2 = FixedPoint.SaturatingRoundingDoublingHighMul(x, x);
            int x3 = FixedPoint.SaturatingRoundingDoublingHighMul(x2, x);
            int x4 = FixedPoint.SaturatingRoundingDoublingHighMul(x2, x2);
            int x4Over4 = FixedPoint.RoundingDivideByPOT(x4, 2);
            int poly = FixedPoint.RoundingDivideByPOT(
                unchecked(FixedPoint.SaturatingRoundingDoublingHighMul(unchecked(x4Over4 + x3), OneThird) + x2), 1);
            return unchecked(ExpMinusOneEighth + FixedPoint.SaturatingRoundingDoublingHighMul(ExpMinusOneEighth, unchecked(x + poly)));
        }

        /// <summary>
        /// exp(a) for a ≤ 0; a is Q(integerBits) with integerBits 1..5 (the kernels use 4 and 5; gemmlowp's
        /// extra clamp at −32 only exists for more integer bits), the result Q0 (exp(0) = One).
        /// </summary>
        public static int ExpOnNegativeValues(int a, int integerBits)
        {
            int fractionalBits = 31 - integerBits;
            int oneQuarter = 1 << (fractionalBits - 2);
            int mask = oneQuarter - 1;
            int aModQuarterMinusOneQuarter = (a & mask) - oneQuarter;
            int result = ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(Rescale(aModQuarterMinusOneQuarter, integerBits, 0));
            int remainder = unchecked(aModQuarterMinusOneQuarter - a);
            for (int exponent = -2; exponent <= 4 && exponent < integerBits; exponent++)
            {
                if ((remainder & (1 << (fractionalBits + exponent))) != 0)
                    result = FixedPoint.SaturatingRoundingDoublingHighMul(result, ExpOfMinusPowerOfTwo(exponent));
            }
            if (a == 0) result = One;
            return result;
        }

        /// <summary>1 / (1 + a) for a in [0, 1), a and result Q0: Newton–Raphson division, 3 iterations.</summary>
        public static int OneOverOnePlusXForXIn01(int a)
        {
            return SaturatingRoundingMultiplyByPOT(NewtonReciprocalQ2(a), 1);
        }

        /// <summary>(1 − a) / (1 + a) for a in [0, 1), a and result Q0.</summary>
        public static int OneMinusXOverOnePlusXForXIn01(int a)
        {
            return SaturatingRoundingMultiplyByPOT(unchecked(NewtonReciprocalQ2(a) - OneQ2), 2);
        }

        // 1 / ((1 + a) / 2) in Q2, the shared core of the two divisions above.
        private static int NewtonReciprocalQ2(int a)
        {
            int halfDenominator = RoundingHalfSum(a, One);
            int x = unchecked(FortyEightSeventeenthsQ2 + FixedPoint.SaturatingRoundingDoublingHighMul(halfDenominator, MinusThirtyTwoSeventeenthsQ2));
            for (int i = 0; i < 3; i++)
            {
                int halfDenominatorTimesX = FixedPoint.SaturatingRoundingDoublingHighMul(halfDenominator, x);
                int oneMinus = unchecked(OneQ2 - halfDenominatorTimesX);
                // Q2 × Q2 = Q4, rescaled to Q2.
                x = unchecked(x + SaturatingRoundingMultiplyByPOT(FixedPoint.SaturatingRoundingDoublingHighMul(x, oneMinus), 2));
            }
            return x;
        }

        /// <summary>1 / (1 + exp(−a)); a is Q(integerBits) with integerBits 1..5, the result Q0 (logistic(0) = 1/2 = 2^30).</summary>
        public static int Logistic(int a, int integerBits)
        {
            if (a == 0) return 1 << 30;
            int absA = a > 0 ? a : unchecked(-a);
            int positive = OneOverOnePlusXForXIn01(ExpOnNegativeValues(unchecked(-absA), integerBits));
            return a > 0 ? positive : unchecked(One - positive);
        }

        /// <summary>tanh(a); a is Q(integerBits) with integerBits 1..4, the result Q0.</summary>
        public static int Tanh(int a, int integerBits)
        {
            if (a == 0) return 0;
            int n = a < 0 ? a : unchecked(-a);
            // exp(2n): the same raw value read with one more integer bit.
            int t = OneMinusXOverOnePlusXForXIn01(ExpOnNegativeValues(n, integerBits + 1));
            return a < 0 ? unchecked(-t) : t;
        }

        /// <summary>Leading zero bits of x (32 for 0).</summary>
        public static int CountLeadingZeros(uint x)
        {
            if (x == 0) return 32;
            int n = 0;
            if ((x & 0xFFFF0000u) == 0) { n += 16; x <<= 16; }
            if ((x & 0xFF000000u) == 0) { n += 8; x <<= 8; }
            if ((x & 0xF0000000u) == 0) { n += 4; x <<= 4; }
            if ((x & 0xC0000000u) == 0) { n += 2; x <<= 2; }
            if ((x & 0x80000000u) == 0) n += 1;
            return n;
        }

        /// <summary>
        /// TFLite's GetReciprocal: for x &gt; 0 in Q(integerDigits), returns 1/x as a Q0 mantissa and
        /// sets numBitsOverUnit so that 1/x = result · 2^−numBitsOverUnit (real values).
        /// </summary>
        public static int GetReciprocal(int x, int integerDigits, out int numBitsOverUnit)
        {
            int headroomPlusOne = CountLeadingZeros((uint)x);
            numBitsOverUnit = integerDigits - headroomPlusOne;
            int shiftedSumMinusOne = unchecked((int)(((uint)x << headroomPlusOne) - 0x80000000u));
            return OneOverOnePlusXForXIn01(shiftedSumMinusOne);
        }
    }
}
