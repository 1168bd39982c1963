using Micro.HeartRate.Signal;

namespace Micro.HeartRate.Beats
{
    /// <summary>
    /// Sees a ventricular tachycardia in the PPG as the pulse suddenly shrinking and speeding up against
    /// the seconds before. Keeps the last 16 beats (slope-sum peak = upstroke size, interval, sample); once
    /// per step compares the beats of the last RecentMs with those of the BaselineMs before them:
    ///   size ratio     = median(recent peaks) · 1000 / median(baseline peaks)
    ///   interval ratio = median(recent intervals) · 1000 / median(baseline intervals)
    /// and reports a collapse when both are at or below their limits (‰). Costs nothing per sample: one
    /// store per beat and two medians of at most 16 values per step.
    ///
    /// A ventricular tachycardia often lasts only 2 s (five beats) before the alarm, and its pulses are too
    /// small for the beat threshold, so the beats of the last 3 s barely change. SmallFastRun therefore also
    /// keeps every upstroke (slope-sum peak, beat or not; those within the merge time are one, the larger)
    /// and looks for a run of the last N upstrokes that are all small and all early against a steady
    /// rhythm just before:
    ///   baseline = the beats of the BaselineMs before the recent window, steady: longest interval ≤
    ///              steady ‰ of the shortest (an irregular or artefact-laden baseline says nothing);
    ///   run      = N consecutive upstrokes of the recent window of at least floor ‰ of the baseline's median
    ///              peak, each at most size ‰ of it, each interval at most interval ‰ of the baseline's
    ///              median interval, longest interval ≤ regularity ‰ of the shortest; the newest N, or
    ///              followed by at most E upstrokes of any size (a run that ended with a normal beat
    ///              within the second since the last step: evaluated once a step, it was never the newest),
    ///              the first of them at least gap ‰ of the run's shortest interval after it (the run's cycle
    ///              is the fastest the ventricle beats; a full upstroke sooner than that is the same pulse's
    ///              main upstroke after a notch, not the beat that ended the run).
    /// A dicrotic wave after a normal beat never makes a run (the big beat between them is not small); a
    /// single ectopic beat makes one small upstroke, not N. Cost: one store per upstroke (a few per second),
    /// per step a scan of at most 16 beats and 16 upstrokes.
    /// </summary>
    public sealed class PulseChangeDetector
    {
        private const int Capacity = 16;
        private const int MinRecentBeats = 3;
        private const int MinBaselineBeats = 3;

        private readonly int[] peaks = new int[Capacity];
        private readonly int[] intervals = new int[Capacity];
        private readonly long[] samples = new long[Capacity];
        private readonly int[] scratch = new int[Capacity];
        private readonly int[] intervalScratch = new int[Capacity];   // Evaluate's intervals, beside its peaks in scratch
        private readonly int[] upPeaks = new int[Capacity];
        private readonly long[] upSamples = new long[Capacity];
        private int upHead;
        private int upCount;
        private readonly int recentSamples;
        private readonly int baselineSamples;
        private int head;
        private int count;
        private int sizeRatio = 1000;
        private int intervalRatio = 1000;
        private int basePeak;         // median peak of the baseline's beats at the last Evaluate (0: too few)
        private int baseInterval;     // median interval of the baseline's beats at the last Evaluate (0: too few)

        /// <param name="recentMs">Window of the newest beats (ms).</param>
        /// <param name="baselineMs">Window before it that sets the reference (ms).</param>
        public PulseChangeDetector(int recentMs, int baselineMs)
        {
            recentSamples = recentMs / InternalRate.MsPerSample;
            baselineSamples = baselineMs / InternalRate.MsPerSample;
        }

        /// <summary>Recent pulse size against the baseline (‰), 1000 when either window has too few beats.</summary>
        public int SizeRatioPermille { get { return sizeRatio; } }

        /// <summary>Recent beat interval against the baseline (‰), 1000 when either window has too few beats.</summary>
        public int IntervalRatioPermille { get { return intervalRatio; } }

        /// <summary>Records one confirmed beat (intervalMs 0 for the first beat after a start).</summary>
        public void AddBeat(int peak, int intervalMs, long sample)
        {
            peaks[head] = peak;
            intervals[head] = intervalMs;
            samples[head] = sample;
            head = (head + 1) & (Capacity - 1);
            if (count < Capacity) count++;
        }

        /// <summary>Upstrokes closer than this (internal samples, the beat refractory time) are one: the larger stands.</summary>
        public const int MergeSamples = 6;

        /// <summary>Records one upstroke (slope-sum peak of any size above the detector's floors).</summary>
        public void AddUpstroke(int peak, long sample)
        {
            if (upCount > 0)
            {
                int last = (upHead - 1) & (Capacity - 1);
                if (sample - upSamples[last] <= MergeSamples)
                {
                    if (peak > upPeaks[last])
                    {
                        upPeaks[last] = peak;
                        upSamples[last] = sample;
                    }
                    return;
                }
            }
            upPeaks[upHead] = peak;
            upSamples[upHead] = sample;
            upHead = (upHead + 1) & (Capacity - 1);
            if (upCount < Capacity) upCount++;
        }

        /// <summary>
        /// True when runBeats consecutive upstrokes of the recent window (those of at least floorPermille of the
        /// baseline's median beat peak) are each at most sizePermille of it, their intervals each at most
        /// intervalPermille of the baseline's median interval and within regularityPermille of each other,
        /// and the baseline's beats were steady (longest interval ≤ steadyPermille of the shortest; ≤ 0: any
        /// rhythm with at least two intervals). The run
        /// is the newest upstrokes, or may be followed by up to endedBeats upstrokes of any size (a short VT
        /// that ended with a normal beat inside the same step), the first of them at least endedGapPermille of the
        /// run's shortest interval after the run (≤ 0: any gap). Call after Evaluate(now) (it supplies the
        /// baseline's median peak). runBeats ≤ 0 disables.
        /// </summary>
        public bool SmallFastRun(long now, int runBeats, int sizePermille, int intervalPermille, int floorPermille,
            int regularityPermille, int steadyPermille, int endedBeats, int endedGapPermille)
        {
            if (runBeats <= 0 || runBeats > Capacity || basePeak <= 0) return false;
            if (endedBeats < 0) endedBeats = 0;
            long recentFrom = now - recentSamples;
            long floor = (long)basePeak * floorPermille;
            long size = (long)basePeak * sizePermille;
            // The upstrokes above the floor, newest first; the ripples under it do not count. Sizes are checked
            // as they come: on a normal rhythm the first endedBeats + 1 are big and the search ends at once.
            int m = 0;                  // upstrokes above the floor so far
            int small = 0;              // small ones in a row ending at the oldest so far
            int steadyInterval = -1;      // the steady baseline's median interval, looked up once when needed
            for (int i = 0; i < upCount; i++)
            {
                int idx = (upHead - 1 - i) & (Capacity - 1);
                if (upSamples[idx] <= recentFrom) break;
                long peak = upPeaks[idx];
                if (peak * 1000 < floor) continue;
                if (peak * 1000 > size)
                {
                    small = 0;
                    if (m >= endedBeats) break;
                }
                else if (++small >= runBeats)
                {
                    if (m - runBeats + 1 > endedBeats) return false;
                    if (steadyInterval < 0) steadyInterval = SteadyBaselineInterval(recentFrom - baselineSamples, recentFrom, steadyPermille);
                    if (steadyInterval <= 0) return false;
                    if (RunTimed(i, runBeats, floor, (long)steadyInterval * intervalPermille, regularityPermille, endedGapPermille)) return true;
                }
                m++;
            }
            return false;
        }

        // The intervals of the run of runBeats upstrokes above the floor that ends (oldest) at ring position
        // oldest (0 = newest), walked towards the newest: each at most interval / 1000 ms (interval = the
        // baseline's median interval × its ‰ limit), the longest within regularityPermille of the shortest; the
        // first upstroke above the floor after the run (if any) at least gapPermille of the shortest after it.
        private bool RunTimed(int oldest, int runBeats, long floor, long interval, int regularityPermille, int gapPermille)
        {
            int runLongest = 0;
            int runShortest = int.MaxValue;
            long earlier = -1;
            int found = 0;
            for (int k = oldest; k >= 0; k--)
            {
                int idx = (upHead - 1 - k) & (Capacity - 1);
                if ((long)upPeaks[idx] * 1000 < floor) continue;
                long s = upSamples[idx];
                if (found == runBeats)
                {
                    // The upstroke that ended the run.
                    if (gapPermille > 0 && runBeats >= 2 && (s - earlier) * InternalRate.MsPerSample * 1000 < (long)runShortest * gapPermille) return false;
                    break;
                }
                found++;
                if (earlier >= 0)
                {
                    int ms = (int)((s - earlier) * InternalRate.MsPerSample);
                    if ((long)ms * 1000 > interval) return false;
                    if (ms > runLongest) runLongest = ms;
                    if (ms < runShortest) runShortest = ms;
                }
                earlier = s;
            }
            return runBeats < 3 || (long)runLongest * 1000 <= (long)runShortest * regularityPermille;
        }

        // Median interval of the beats in (from, to] (intervals between beats both inside it: the first beat's
        // interval reaches before it) when their longest is at most steadyPermille of their shortest (any
        // rhythm when steadyPermille ≤ 0); else 0.
        private int SteadyBaselineInterval(long from, long to, int steadyPermille)
        {
            int n = 0;
            int longest = 0;
            int shortest = int.MaxValue;
            bool first = true;
            for (int i = count - 1; i >= 0; i--)
            {
                int idx = (head - 1 - i) & (Capacity - 1);
                long s = samples[idx];
                if (s <= from || s > to) continue;
                if (!first && intervals[idx] > 0)
                {
                    int v = intervals[idx];
                    if (v > longest) longest = v;
                    if (v < shortest) shortest = v;
                    scratch[n++] = v;
                }
                first = false;
            }
            if (n < 2 || steadyPermille > 0 && (long)longest * 1000 > (long)shortest * steadyPermille) return 0;
            return IntMath.MedianInPlace(scratch, n);
        }

        public void Reset()
        {
            upHead = 0;
            upCount = 0;
            basePeak = 0;
            baseInterval = 0;
            head = 0;
            count = 0;
            sizeRatio = 1000;
            intervalRatio = 1000;
        }

        /// <summary>Recomputes both ratios at internal sample now.</summary>
        public void Evaluate(long now)
        {
            sizeRatio = 1000;
            intervalRatio = 1000;
            long recentFrom = now - recentSamples;
            long baselineFrom = recentFrom - baselineSamples;
            // One walk from the newest beat back (the ring is in time order): the recent window's peaks and
            // intervals, then the baseline's (zeros skipped: an interval of 0 is a first beat), each median
            // taken when its window is complete.
            int[] pk = peaks, iv = intervals, ps = scratch, qs = intervalScratch;
            long[] at = samples;
            int np = 0, ni = 0, i = 0;
            for (; i < count; i++)
            {
                int idx = (head - 1 - i) & (Capacity - 1);
                if (at[idx] <= recentFrom) break;
                if (pk[idx] > 0) ps[np++] = pk[idx];
                if (iv[idx] > 0) qs[ni++] = iv[idx];
            }
            int recentPeak = np < MinRecentBeats ? 0 : MedianSelect.Median(ps, np);
            int recentInterval = ni < MinRecentBeats ? 0 : MedianSelect.Median(qs, ni);
            np = 0;
            ni = 0;
            for (; i < count; i++)
            {
                int idx = (head - 1 - i) & (Capacity - 1);
                if (at[idx] <= baselineFrom) break;
                if (pk[idx] > 0) ps[np++] = pk[idx];
                if (iv[idx] > 0) qs[ni++] = iv[idx];
            }
            basePeak = np < MinBaselineBeats ? 0 : MedianSelect.Median(ps, np);
            baseInterval = ni < MinBaselineBeats ? 0 : MedianSelect.Median(qs, ni);
            if (recentPeak <= 0 || basePeak <= 0 || recentInterval <= 0 || baseInterval <= 0) return;
            sizeRatio = (int)((long)recentPeak * 1000 / basePeak);
            intervalRatio = (int)((long)recentInterval * 1000 / baseInterval);
        }

        /// <summary>
        /// Sudden rate jump: the last jumpBeats beats (all in the recent window) each come at most
        /// intervalPermille of the baseline's median interval after the one before, within regularityPermille
        /// of each other, at or above rateBpm (median interval ≤ 60000 / rateBpm), with a median upstroke at
        /// most sizePermille of the baseline's. A sinus rhythm speeds up over many beats; a tachyarrhythmia
        /// (VT, SVT) starts from one beat to the next. Any rhythm before (ectopy often precedes it), but the
        /// rate must be new: the run's longest interval at most newRatePermille of the baseline's shortest (an
        /// irregular rhythm that already beat that fast before is fluctuating, not starting; ≤ 0: not asked).
        /// Call after Evaluate(now). jumpBeats ≤ 0 disables.
        /// </summary>
        public bool RateJump(long now, int jumpBeats, int intervalPermille, int regularityPermille, int rateBpm, int sizePermille,
            int newRatePermille)
        {
            if (jumpBeats <= 0 || jumpBeats > Capacity - MinBaselineBeats || basePeak <= 0 || count < jumpBeats) return false;
            long recentFrom = now - recentSamples;
            if (samples[(head - jumpBeats) & (Capacity - 1)] <= recentFrom) return false;
            // The run's own checks first (on a rhythm under rateBpm the shortest interval ends it at once).
            int longest = 0;
            int shortest = int.MaxValue;
            for (int i = 0; i < jumpBeats; i++)
            {
                int v = intervals[(head - 1 - i) & (Capacity - 1)];
                if (v <= 0) return false;
                if (v > longest) longest = v;
                if (v < shortest) shortest = v;
            }
            if ((long)shortest * rateBpm > 60000 || (long)longest * 1000 > (long)shortest * regularityPermille) return false;
            for (int i = 0; i < jumpBeats; i++) scratch[i] = intervals[(head - 1 - i) & (Capacity - 1)];
            if ((long)IntMath.MedianInPlace(scratch, jumpBeats) * rateBpm > 60000) return false;
            // Early against the rhythm before (its median interval from Evaluate), and no bigger than its pulses.
            if (baseInterval <= 0 || (long)longest * 1000 > (long)baseInterval * intervalPermille) return false;
            if (newRatePermille > 0 && (long)longest * 1000 > (long)ShortestInterval(recentFrom - baselineSamples, recentFrom) * newRatePermille) return false;
            for (int i = 0; i < jumpBeats; i++) scratch[i] = peaks[(head - 1 - i) & (Capacity - 1)];
            return (long)IntMath.MedianInPlace(scratch, jumpBeats) * 1000 <= (long)basePeak * sizePermille;
        }

        // Shortest beat interval of the beats with from < sample ≤ to (intervals of 0 skipped); int.MaxValue if none.
        private int ShortestInterval(long from, long to)
        {
            int shortest = int.MaxValue;
            for (int i = 0; i < count; i++)
            {
                int idx = (head - 1 - i) & (Capacity - 1);
                long s = samples[idx];
                if (s <= from) break;
                if (s > to || intervals[idx] <= 0) continue;
                if (intervals[idx] < shortest) shortest = intervals[idx];
            }
            return shortest;
        }

        /// <summary>True when the pulse shrank to sizePermille or less and its interval to intervalPermille or less.</summary>
        public bool Collapsed(int sizePermille, int intervalPermille)
        {
            return sizeRatio <= sizePermille && intervalRatio <= intervalPermille;
        }
    }
}
