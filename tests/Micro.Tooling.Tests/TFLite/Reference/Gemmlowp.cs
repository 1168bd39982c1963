#nullable enable
namespace Micro.Tooling.Tests.TFLite.Reference;

/// <summary>
/// Test-side re-statement of the gemmlowp fixed-point arithmetic TFLite's reference kernels use, written
/// independently of the runtime's kernels so that the conformance tests can tell a wrong parameter from a
/// wrong kernel. Raw values are int32 with a given number of integer bits (Qm.(31−m)).
/// </summary>
internal static class Gemmlowp
{
    public static int Srdhm(int a, int b)
    {
        if (a == int.MinValue && b == int.MinValue) return int.MaxValue;
        long ab = (long)a * b;
        long nudge = ab >= 0 ? 1L << 30 : 1 - (1L << 30);
        return (int)((ab + nudge) / (1L << 31));
    }

    public static int Rdbpot(int x, int exponent)
    {
        int mask = (int)((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /// <summary>MultiplyByQuantizedMultiplier (double rounding).</summary>
    public static int Mbqm(int x, int multiplier, int shift)
    {
        int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
        return Rdbpot(Srdhm(unchecked(x * (1 << left)), multiplier), right);
    }

    /// <summary>SaturatingRoundingMultiplyByPOT with a compile-time exponent.</summary>
    public static int SatMulPot(int x, int exponent)
    {
        if (exponent == 0) return x;
        if (exponent < 0) return Rdbpot(x, -exponent);
        int threshold = (1 << (31 - exponent)) - 1;
        if (x > threshold) return int.MaxValue;
        if (x < -threshold) return int.MinValue;
        return x << exponent;
    }

    public static int RoundingHalfSum(int a, int b)
    {
        long sum = (long)a + b;
        long sign = sum >= 0 ? 1 : -1;
        return (int)((sum + sign) / 2);
    }

    /// <summary>Rescale&lt;dst&gt; of a value with src integer bits.</summary>
    public static int Rescale(int x, int srcBits, int dstBits) => SatMulPot(x, srcBits - dstBits);

    private static int One(int integerBits) => integerBits == 0 ? int.MaxValue : 1 << (31 - integerBits);

    /// <summary>exp(a) for a in [−1/4, 0), Q0 in and out.</summary>
    private static int ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(int a)
    {
        const int constantTerm = 1895147668;    // exp(−1/8)
        const int constant1Over3 = 715827883;
        int x = unchecked(a + (1 << 28));       // a + 1/8
        int x2 = Srdhm(x, x);
        int x3 = Srdhm(x2, x);
        int x4 = Srdhm(x2, x2);
        int x4Over4 = SatMulPot(x4, -2);
        int poly = SatMulPot(unchecked(Srdhm(unchecked(x4Over4 + x3), constant1Over3) + x2), -1);
        return unchecked(constantTerm + Srdhm(constantTerm, unchecked(x + poly)));
    }

    /// <summary>exp(a) for a ≤ 0 given with <paramref name="integerBits"/> integer bits; result Q0.</summary>
    public static int ExpOnNegativeValues(int a, int integerBits)
    {
        int fractionalBits = 31 - integerBits;
        int oneQuarter = 1 << (fractionalBits - 2);
        int mask = oneQuarter - 1;
        int aModQuarterMinusOneQuarter = unchecked((a & mask) - oneQuarter);
        int result = ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(Rescale(aModQuarterMinusOneQuarter, integerBits, 0));
        int remainder = unchecked(aModQuarterMinusOneQuarter - a);
        int[] exponents = { -2, -1, 0, 1, 2, 3, 4 };
        int[] multipliers = { 1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242 };
        for (int i = 0; i < exponents.Length; i++)
        {
            if (integerBits > exponents[i])
            {
                int shiftAmount = fractionalBits + exponents[i];
                if ((remainder & (1 << shiftAmount)) != 0) result = Srdhm(result, multipliers[i]);
            }
        }
        if (integerBits > 5)
        {
            int clamp = -(1 << (36 - integerBits));
            if (a < clamp) result = 0;
        }
        if (a == 0) result = int.MaxValue;
        return result;
    }

    /// <summary>1 / (1 + a) for a in (0, 1), Q0 in and out (Newton-Raphson in Q2.29).</summary>
    public static int OneOverOnePlusXForXIn01(int a)
    {
        int halfDenominator = RoundingHalfSum(a, int.MaxValue);
        const int c48Over17 = 1515870810, cNeg32Over17 = -1010580540;
        int x = unchecked(c48Over17 + Srdhm(halfDenominator, cNeg32Over17));
        int oneF2 = One(2);
        for (int i = 0; i < 3; i++)
        {
            int halfDenominatorTimesX = Srdhm(halfDenominator, x);
            int oneMinus = unchecked(oneF2 - halfDenominatorTimesX);
            x = unchecked(x + Rescale(Srdhm(x, oneMinus), 4, 2));
        }
        // ExactMulByPot<−1>: Q2 → Q1, then Rescale<0>.
        return Rescale(x, 1, 0);
    }

    /// <summary>(1 − a) / (1 + a) for a in (0, 1), Q0.</summary>
    private static int OneMinusXOverOnePlusXForXIn01(int a)
    {
        int halfDenominator = RoundingHalfSum(a, int.MaxValue);
        const int c48Over17 = 1515870810, cNeg32Over17 = -1010580540;
        int x = unchecked(c48Over17 + Srdhm(halfDenominator, cNeg32Over17));
        int oneF2 = One(2);
        for (int i = 0; i < 3; i++)
        {
            int halfDenominatorTimesX = Srdhm(halfDenominator, x);
            int oneMinus = unchecked(oneF2 - halfDenominatorTimesX);
            x = unchecked(x + Rescale(Srdhm(x, oneMinus), 4, 2));
        }
        return Rescale(unchecked(x - oneF2), 2, 0);
    }

    /// <summary>logistic(a) for a with <paramref name="integerBits"/> integer bits; Q0 result.</summary>
    public static int Logistic(int a, int integerBits)
    {
        if (a == 0) return 1 << 30;
        bool positive = a > 0;
        int abs = positive ? a : unchecked(-a);
        int resultIfPositive = OneOverOnePlusXForXIn01(ExpOnNegativeValues(unchecked(-abs), integerBits));
        return positive ? resultIfPositive : unchecked(int.MaxValue - resultIfPositive);
    }

    /// <summary>tanh(a) for a with <paramref name="integerBits"/> integer bits; Q0 result.</summary>
    public static int Tanh(int a, int integerBits)
    {
        if (a == 0) return 0;
        bool negative = a < 0;
        int n = negative ? a : unchecked(-a);
        // neg_tanh_on_negative_values: exp of 2n (ExactMulByPot<1>: one more integer bit).
        int t = OneMinusXOverOnePlusXForXIn01(ExpOnNegativeValues(n, integerBits + 1));
        return negative ? unchecked(-t) : t;
    }

    /// <summary>TFLite's GetReciprocal(x, x_integer_digits): 1/x as Q0 and the extra bits above one.</summary>
    public static int GetReciprocal(int x, int xIntegerDigits, out int numBitsOverUnit)
    {
        int headroomPlusOne = System.Numerics.BitOperations.LeadingZeroCount((uint)x);
        numBitsOverUnit = xIntegerDigits - headroomPlusOne;
        int shiftedSumMinusOne = unchecked((int)(((uint)x << headroomPlusOne) - (1u << 31)));
        return OneOverOnePlusXForXIn01(shiftedSumMinusOne);
    }
}
