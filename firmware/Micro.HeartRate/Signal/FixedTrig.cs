namespace Micro.HeartRate.Signal
{
    /// <summary>Integer cosine for building tables at construction time (no System.Math on the device).</summary>
    public static class FixedTrig
    {
        // 2π in Q28.
        private const long TwoPiQ28 = 1686629713L;

        /// <summary>
        /// cos(2π·phase/period) in Q14 (−16384..16384), from an 8th-order Taylor polynomial on the first
        /// quadrant (error below 3·10⁻⁶ before rounding). period must be positive; any phase is accepted.
        /// </summary>
        public static int CosQ14(long phase, long period)
        {
            long p = phase % period;
            if (p < 0) p += period;
            // Fold into the first quadrant: p in quarter periods, with the sign of the quadrant.
            long p4 = p * 4;
            int quadrant = (int)(p4 / period);
            long rem = p4 - quadrant * period; // 0..period-1, position inside the quadrant
            bool negate = quadrant == 1 || quadrant == 2;
            if (quadrant == 1 || quadrant == 3) rem = period - rem;
            // θ = (rem / period) · π/2 in Q28.
            long theta = rem * (TwoPiQ28 / 4) / period;
            long t2 = (theta * theta) >> 28;
            // Horner: 1 − t²/2·(1 − t²/12·(1 − t²/30·(1 − t²/56)))
            long one = 1L << 28;
            long r = one - t2 / 56;
            r = one - ((t2 * r) >> 28) / 30;
            r = one - ((t2 * r) >> 28) / 12;
            r = one - ((t2 * r) >> 28) / 2;
            int q14 = (int)((r + (1L << 13)) >> 14);
            return negate ? -q14 : q14;
        }
    }
}
