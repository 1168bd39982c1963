namespace Micro.HeartRate.Signal
{
    /// <summary>
    /// 0.5–5 Hz band-pass at the internal 25 Hz: a 2nd-order Butterworth high-pass (0.5 Hz) followed by a
    /// 2nd-order Butterworth low-pass (5 Hz), both direct form I with Q14 coefficients (bilinear transform).
    /// The recursive state is kept in Q14 in a long, so the high-pass's poles near z = 1 lose no precision.
    /// The first sample primes the state as if the signal had always been at that level (no start-up step).
    /// </summary>
    public sealed class BandPassFilter
    {
        // High-pass 0.5 Hz: b = k·(1, −2, 1), a = (1, a1, a2).
        private const long HpB0 = 14991;
        private const long HpA1 = -29863;
        private const long HpA2 = 13716;

        // Low-pass 5 Hz: b = (b0, 2·b0, b0), a = (1, a1, a2).
        private const long LpB0 = 3384;
        private const long LpB1 = 6769;
        private const long LpA1 = -6054;
        private const long LpA2 = 3208;

        private bool primed;
        private int hx1, hx2;
        private long hy1, hy2; // Q14
        private int lx1, lx2;
        private long ly1, ly2; // Q14

        /// <summary>Filters one sample; output is in input units (zero-mean).</summary>
        public int Process(int x)
        {
            if (!primed)
            {
                hx1 = x;
                hx2 = x;
                primed = true;
            }
            // The newest state in locals: each field is read once (a field read is dear on nanoCLR).
            int x1 = hx1;
            long y1 = hy1;
            long hy = HpB0 * ((long)x - 2L * x1 + hx2) - ((HpA1 * y1 + HpA2 * hy2) >> 14);
            hx2 = x1;
            hx1 = x;
            hy2 = y1;
            hy1 = hy;
            int h = (int)((hy + 8192) >> 14);

            int l1 = lx1;
            long z1 = ly1;
            long ly = LpB0 * ((long)h + lx2) + LpB1 * l1 - ((LpA1 * z1 + LpA2 * ly2) >> 14);
            lx2 = l1;
            lx1 = h;
            ly2 = z1;
            ly1 = ly;
            return (int)((ly + 8192) >> 14);
        }

        /// <summary>Forgets all history; the next sample primes the filter again.</summary>
        public void Reset()
        {
            primed = false;
            hx1 = hx2 = lx1 = lx2 = 0;
            hy1 = hy2 = ly1 = ly2 = 0;
        }
    }
}
