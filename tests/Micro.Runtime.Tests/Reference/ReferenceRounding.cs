using System.Numerics;

namespace Micro.Runtime.Tests.Reference;

/// <summary>
/// TFLite's rounding rules restated as exact rational arithmetic (BigInteger), independently of the
/// runtime's shift-and-mask code in Kernels/FixedPoint.cs:
///   SaturatingRoundingDoublingHighMul(a, b) = round-half-up(a·b / 2^31), saturating the one overflow;
///   RoundingDivideByPOT(x, e)               = round-half-away-from-zero(x / 2^e);
///   MultiplyByQuantizedMultiplier(x, m, s)  = RDBPOT(SRDHM(x·2^max(s,0) wrapped to int32, m), max(−s,0)).
/// </summary>
public static class ReferenceRounding
{
    public static int Srdhm(int a, int b)
    {
        if (a == int.MinValue && b == int.MinValue) return int.MaxValue;
        BigInteger num = 2 * (BigInteger)a * b + (BigInteger.One << 31);
        return (int)FloorDiv(num, BigInteger.One << 32);
    }

    public static int Rdbpot(int x, int e)
    {
        if (e == 0) return x;
        BigInteger ax = BigInteger.Abs(x);
        BigInteger q = (ax + (BigInteger.One << (e - 1))) >> e;
        return (int)(x < 0 ? -q : q);
    }

    public static int Mbqm(int x, int m, int s)
    {
        int left = s > 0 ? s : 0, right = s > 0 ? 0 : -s;
        int shifted = unchecked((int)((long)x << left));
        return Rdbpot(Srdhm(shifted, m), right);
    }

    /// <summary>TFLite's 64-bit form: Q31 multiplier rounded to Q15, then round-half-up of x·m15 / 2^(15−s).</summary>
    public static int Mbqm64(long x, int m, int s)
    {
        long m15 = m < 0x7FFF0000 ? (m + (1L << 15)) >> 16 : 0x7FFF;
        int total = 15 - s;
        BigInteger num = (BigInteger)x * m15 + (BigInteger.One << (total - 1));
        // TFLite casts the 64-bit result to int32 (its callers keep it in range).
        return unchecked((int)(long)FloorDiv(num, BigInteger.One << total));
    }

    public static int Clamp(int v, int lo, int hi) => v < lo ? lo : v > hi ? hi : v;

    private static BigInteger FloorDiv(BigInteger a, BigInteger b)
    {
        BigInteger q = BigInteger.DivRem(a, b, out BigInteger r);
        return r.Sign < 0 ? q - 1 : q;
    }
}
