using Micro.HeartRate.Signal;

namespace Micro.HeartRate.Beats
{
    /// <summary>
    /// Does the pulse wave repeat itself at the beat interval? A real fast rhythm gives one pulse per counted
    /// interval, so the band-passed PPG of the last seconds is alike one interval apart. Beats counted twice per
    /// pulse (a dicrotic wave or a slow pulse's echo) repeat only at twice the interval, and artefact counted as
    /// beats repeats at neither. Normalized autocorrelation of the newest window samples (ages 0..window−1,
    /// newest first) at lag L, best over L−1..L+1 (the interval is known to ±1 sample at 25 Hz):
    ///   ρ(L) = Σ x[a]·x[a+L] / √(Σ x[a]² · Σ x[a+L]²)   in ‰ (−1000..1000).
    /// Integer only: the samples are shifted right until the largest fits 14 bits, so every product fits 28
    /// bits and the sums of up to 2^20 products a long. Called only while a fast rate is judged (O(window) per
    /// lag); allocates nothing.
    /// </summary>
    public static class PulsePeriodicity
    {
        /// <summary>The largest ρ(k) ‰ over k = lag−1..lag+1, or Unknown when the ring holds fewer than
        /// window + lag + 1 samples or the window is flat.</summary>
        public static int CorrelationPermille(IntRing ring, int lag, int window)
        {
            if (lag < 2 || window < 2 || ring.Count < window + lag + 1) return Unknown;
            int peak = 0;
            for (int a = 0; a <= window + lag; a++)
            {
                int v = ring.Get(a);
                if (v < 0) v = -v;
                if (v > peak) peak = v;
            }
            if (peak == 0) return Unknown;
            int shift = 0;
            while ((peak >> shift) >= (1 << 14)) shift++;
            long sxx = 0;
            for (int a = 0; a < window; a++)
            {
                long x = ring.Get(a) >> shift;
                sxx += x * x;
            }
            int rx = IntMath.Sqrt(sxx);
            if (rx == 0) return Unknown;
            int best = Unknown;
            for (int k = lag - 1; k <= lag + 1; k++)
            {
                long sxy = 0;
                long syy = 0;
                for (int a = 0; a < window; a++)
                {
                    long x = ring.Get(a) >> shift;
                    long y = ring.Get(a + k) >> shift;
                    sxy += x * y;
                    syy += y * y;
                }
                long den = (long)rx * IntMath.Sqrt(syy);
                if (den == 0) continue;
                int rho = (int)(sxy * 1000 / den);
                if (best == Unknown || rho > best) best = rho;
            }
            return best;
        }

        /// <summary>Returned when the correlation cannot be judged (too few samples, a flat window).</summary>
        public const int Unknown = int.MinValue;
    }
}
