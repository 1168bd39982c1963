namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// Per-output-channel requantization read by PrepareContext.ReadRequant (a per-tensor multiplier is
    /// expanded to every channel): y = MultiplyByQuantizedMultiplier(acc, Multiplier[c], Shift[c]).
    ///
    /// The static members restate TFLite's double rounding (FixedPoint.MultiplyByQuantizedMultiplier) as one
    /// 64-bit multiply, add and shift, which kernels write out inline with the constants of a channel in
    /// locals (a static call costs ≈ 27 ns on nanoCLR, the two-step form ≈ 35 IL instructions more):
    ///   y = (int)(((long)(x·2^Left) · m + (x &lt; 0 ? RoundNeg : RoundPos)) >> Total)
    /// with Left = max(shift, 0) (the int32 shift wraps, as TFLite's x·(1 &lt;&lt; left)), r = max(−shift, 0),
    /// Total = 31 + r, and for r ≥ 1: RoundPos/Neg = 2^(30+r) ± 2^30; for r = 0 both 2^30.
    ///
    /// Why it is exact (m ≥ 0, which ReadRequant enforces, so TFLite's one saturating case never occurs):
    ///   high = SRDHM(x', m) = floor((ab + 2^30) / 2^31), ab = x'·m   (round half up, FixedPoint)
    ///   RDBPOT(high, r) = floor((high + 2^(r−1) − [high &lt; 0]) / 2^r) for r ≥ 1 (half away from zero)
    ///   and floor((floor(A / 2^31) + c) / 2^r) = floor((A + c·2^31) / 2^(31+r)) for integers A, c, so
    ///   y = floor((ab + 2^30 + 2^(30+r) − [high &lt; 0]·2^31) / 2^(31+r)).
    /// high &lt; 0 ⇔ ab &lt; −2^30. Testing x &lt; 0 instead differs only for −2^30 ≤ ab &lt; 0, where both
    /// numerators lie in [0, 2^(31+r)) and y = 0 either way; for r = 0 (then x' may be shifted) the sign
    /// term is absent. |ab| &lt; 2^62 and the rounding term ≤ 2^61 + 2^30: the long never wraps.
    /// RequantTests check it against the rational reference for every shift.
    /// </summary>
    public sealed class Requant
    {
        public int[] Multiplier;
        public int[] Shift;

        /// <summary>The left shift applied to the int32 accumulator before the multiply: max(shift, 0).</summary>
        public static int Left(int shift)
        {
            return shift > 0 ? shift : 0;
        }

        /// <summary>The right shift of the 64-bit product: 31 + max(−shift, 0).</summary>
        public static int Total(int shift)
        {
            return shift > 0 ? 31 : 31 - shift;
        }

        /// <summary>The rounding term for x ≥ 0 (negative: false) or x &lt; 0 (negative: true).</summary>
        public static long Round(int shift, bool negative)
        {
            long half = 1L << (Total(shift) - 1);
            if (shift >= 0) return half;
            return negative ? half - (1L << 30) : half + (1L << 30);
        }

        /// <summary>MultiplyByQuantizedMultiplier(x, m, shift) in the one-rounding form kernels write out (m ≥ 0).</summary>
        public static int Apply(int x, int m, int shift)
        {
            long p = (long)(x << Left(shift)) * m;
            return (int)((p + Round(shift, x < 0)) >> Total(shift));
        }
    }
}
