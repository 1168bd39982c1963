namespace Micro.HeartRate.Rate
{
    /// <summary>
    /// The spectral tracker's second hypothesis while the wearer moves: the same online Viterbi over the same rate
    /// grid, on evidence with all of the motion taken out, c(g) = P(g)/max P − β·M(g) clipped at 0 (the main one
    /// takes out α·M with α &lt; β, so that a rate the arm shares with the heart keeps some evidence there).
    /// <para>
    /// Why: when the arm's peak is the strongest in the PPG, 1 − α of it still scores in the main hypothesis, update
    /// after update, and a path built on that residue can overtake the true one. The clean scores give it nothing.
    /// </para>
    /// <para>
    /// Veto (<see cref="Allows"/>): a far path takes the track over only if the clean scores prefer its region
    /// (±K bins) to the track's as well.
    /// </para>
    /// <para>
    /// Re-acquisition (<see cref="Challenger"/>): the strongest clean peak takes the track over, both hypotheses
    /// re-seeded there, when for N updates in a row (staying within ±K bins) it is far from the track (more than
    /// 15 bpm), at least half the strongest PPG peak and twice the track's own clean evidence, explained by the
    /// motion for at most a quarter of its power, not a harmonic of the track (within 30 bpm of twice its rate, or
    /// within 15 bpm of half of it), above the motion prior's floor, and its region leads the track's in the clean scores
    /// (accumulated evidence, not one window's).
    /// </para>
    /// <para>
    /// A track the motion explains (<see cref="MotionTrack"/>): when the track's own clean evidence (±K bins) is at most
    /// a quarter of the PPG power at the track for N updates in a row, and the clean scores' best path is far, has
    /// gathered at least one full peak of evidence and leads the track's region by 2:1, the track moves there. No
    /// harmonic exclusion: an arm at f and a heart near 2f is the case it exists for (a run's step rate is near the
    /// heart rate, the arm swings at half of it).
    /// </para>
    /// <para>
    /// At rest both evidences are the same, so the clean scores equal the main ones: nothing is computed, and on
    /// the first update with motion the main transition's output stands for the clean one.
    /// </para>
    /// </summary>
    internal sealed class CleanHypothesis
    {
        private const int One = 1 << 15;
        private const int FarBins = 4;          // more than 15 bpm away (the tracker's rival distance)
        private const int HarmonicQuarters = 120; // 30 bpm (in quarter bpm) between a rate and twice the other

        /// <summary>The clean evidence c(g) of the current update (Q15), filled by the tracker.</summary>
        public readonly int[] Evidence;

        private readonly int[] delta;
        private readonly int reacquireUpdates;
        private bool synced = true;       // the scores equal the main hypothesis' (no motion since)
        private int challengerBin = -1;
        private int challengerUpdates;
        private readonly int motionTrackUpdates;
        private int motionTrackBin = -1;  // the clean best of the current run of motion-explained updates
        private int motionTrackCount;

        public CleanHypothesis(int bins, int reacquireUpdates, int motionTrackUpdates)
        {
            this.motionTrackUpdates = motionTrackUpdates;
            Evidence = new int[bins];
            delta = new int[bins];
            this.reacquireUpdates = reacquireUpdates;
        }

        /// <summary>An update at rest, or a restart: the clean scores are the main ones from now on.</summary>
        public void Rest()
        {
            synced = true;
            challengerBin = -1;
            challengerUpdates = 0;
            motionTrackBin = -1;
            motionTrackCount = 0;
        }

        /// <summary>
        /// Counts the updates in a row in which the track at bin is explained by the motion and the clean scores lead
        /// elsewhere (see the class summary); returns that bin when the count reaches N (else −1).
        /// </summary>
        public int MotionTrack(int bin, int maxStep, int floorBin, int[] ppgNorm)
        {
            if (motionTrackUpdates <= 0) return -1;
            int[] d = delta;
            int best = ArgMaxFrom(d, floorBin);
            bool explained = 4 * RegionBest(Evidence, bin, maxStep) <= ppgNorm[bin];
            bool leads = IntMath.Abs(best - bin) > FarBins && d[best] >= One && d[best] >= 2 * RegionBest(d, bin, maxStep);
            if (Streak(ref motionTrackBin, ref motionTrackCount, explained && leads, best, maxStep) < motionTrackUpdates) return -1;
            motionTrackBin = -1;
            motionTrackCount = 0;
            return best;
        }

        /// <summary>
        /// One Viterbi step on <see cref="Evidence"/> while moving, after the main one: mainMoved holds the main
        /// transition's output (used as is while the scores are still the main ones, else overwritten by this
        /// step's own); the emission is shaped as the main one (square, the motion prior's floor).
        /// </summary>
        public void Step(bool wasTracking, int[] mainMoved, int leak, int maxStep, int stepPenalty,
            bool square, int floorBin, int floorPenalty, int floorQuarter)
        {
            if (wasTracking && !synced) SpectralRateTracker.Transition(delta, mainMoved, maxStep, stepPenalty);
            SpectralRateTracker.Score(delta, mainMoved, Evidence, wasTracking, leak, square, floorBin, floorPenalty, floorQuarter);
            synced = false;
        }

        /// <summary>True if the clean scores prefer the region of bin to (±k bins) to that of from (while moving).</summary>
        public bool Allows(int from, int to, int k)
        {
            return synced || RegionBest(delta, to, k) > RegionBest(delta, from, k);
        }

        /// <summary>
        /// Counts the updates in a row with a challenger to the track at bin (see the class summary); returns its bin
        /// when the count reaches N (and re-seeds the clean scores there), else −1.
        /// </summary>
        public int Challenger(int bin, int maxStep, int floorBin, int[] ppgNorm)
        {
            if (reacquireUpdates <= 0) return -1;
            int[] cs = Evidence;
            int n = cs.Length;
            int best = ArgMaxFrom(cs, floorBin);
            int own = RegionBest(cs, bin, maxStep);
            // Grid bin g is 4·bpm = 120 + 15·g.
            int qb = 120 + 15 * best, qt = 120 + 15 * bin;
            bool harmonic = IntMath.Abs(qb - 2 * qt) <= HarmonicQuarters || IntMath.Abs(2 * qb - qt) <= HarmonicQuarters;
            bool strong = !harmonic && IntMath.Abs(best - bin) > FarBins
                && 2 * cs[best] >= One && cs[best] >= 2 * own
                && 4 * cs[best] >= 3 * ppgNorm[best]                // c ≥ ¾ P: the motion explains at most a quarter
                && RegionBest(delta, best, maxStep) > RegionBest(delta, bin, maxStep);
            if (Streak(ref challengerBin, ref challengerUpdates, strong, best, maxStep) < reacquireUpdates) return -1;
            challengerBin = -1;
            challengerUpdates = 0;
            delta[best] = RegionBest(delta, best, n);
            return best;
        }

        // The updates in a row (count) in which a condition held with its bin staying within ±k bins: 0, and the run
        // forgotten, when it does not hold.
        private static int Streak(ref int runBin, ref int count, bool holds, int bin, int k)
        {
            if (!holds)
            {
                runBin = -1;
                count = 0;
                return 0;
            }
            count = runBin >= 0 && IntMath.Abs(bin - runBin) <= k ? count + 1 : 1;
            runBin = bin;
            return count;
        }

        // The first bin with the largest value at or above floorBin (the last bin if floorBin is past the end).
        private static int ArgMaxFrom(int[] v, int floorBin)
        {
            int n = v.Length;
            int best = floorBin < n ? floorBin : n - 1;
            for (int g = best + 1; g < n; g++) if (v[g] > v[best]) best = g;
            return best;
        }

        // The best of the scores within ±k bins of bin.
        private static int RegionBest(int[] scores, int bin, int k)
        {
            int best = 0;
            int from = bin - k < 0 ? 0 : bin - k;
            int to = bin + k >= scores.Length ? scores.Length - 1 : bin + k;
            for (int g = from; g <= to; g++) if (scores[g] > best) best = scores[g];
            return best;
        }
    }
}
