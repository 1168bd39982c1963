namespace Micro.HeartRate
{
    /// <summary>
    /// Integer helpers. nanoFramework 1.x keeps System.Math in a separate, float-based package, so the
    /// heart-rate code uses these instead.
    /// </summary>
    public static class IntMath
    {
        public static int Abs(int x) { return x < 0 ? -x : x; }

        public static int Min(int a, int b) { return a < b ? a : b; }

        public static int Max(int a, int b) { return a > b ? a : b; }

        public static int Clamp(int x, int lo, int hi) { return x < lo ? lo : (x > hi ? hi : x); }

        /// <summary>num / den rounded to nearest (ties away from zero); den must be positive.</summary>
        public static long DivRound(long num, long den)
        {
            return num >= 0 ? (num + den / 2) / den : -((-num + den / 2) / den);
        }

        /// <summary>floor(sqrt(x)) for 0 ≤ x &lt; 2^62 (0 for negative x), by bitwise restoring square root.</summary>
        public static int Sqrt(long x)
        {
            if (x <= 0) return 0;
            long result = 0;
            long bit = 1L << 62;
            while (bit > x) bit >>= 2;
            while (bit != 0)
            {
                if (x >= result + bit)
                {
                    x -= result + bit;
                    result = (result >> 1) + bit;
                }
                else
                {
                    result >>= 1;
                }
                bit >>= 2;
            }
            return (int)result;
        }

        /// <summary>Sorts a[0..n) ascending in place (insertion sort; n is small here, at most a few dozen).</summary>
        public static void SortPrefix(int[] a, int n)
        {
            for (int i = 1; i < n; i++)
            {
                int v = a[i];
                int j = i - 1;
                while (j >= 0 && a[j] > v)
                {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
        }

        /// <summary>Median of a[0..n) (n ≥ 1), sorting the prefix in place; the lower middle for even n is
        /// averaged with the upper one.</summary>
        public static int MedianInPlace(int[] a, int n)
        {
            SortPrefix(a, n);
            int m = n >> 1;
            return (n & 1) != 0 ? a[m] : (a[m - 1] + a[m]) >> 1;
        }
    }
}
