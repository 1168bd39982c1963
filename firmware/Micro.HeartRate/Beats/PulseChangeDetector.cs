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
        private readonly int recentSamples;
        private readonly int baselineSamples;
        private int head;
        private int count;
        private int sizeRatio = 1000;
        private int intervalRatio = 1000;

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

        public void Reset()
        {
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
            int recentPeak = Median(recentFrom, long.MaxValue, peaks, MinRecentBeats);
            int basePeak = Median(baselineFrom, recentFrom, peaks, MinBaselineBeats);
            int recentInterval = Median(recentFrom, long.MaxValue, intervals, MinRecentBeats);
            int baseInterval = Median(baselineFrom, recentFrom, intervals, MinBaselineBeats);
            if (recentPeak <= 0 || basePeak <= 0 || recentInterval <= 0 || baseInterval <= 0) return;
            sizeRatio = (int)((long)recentPeak * 1000 / basePeak);
            intervalRatio = (int)((long)recentInterval * 1000 / baseInterval);
        }

        /// <summary>True when the pulse shrank to sizePermille or less and its interval to intervalPermille or less.</summary>
        public bool Collapsed(int sizePermille, int intervalPermille)
        {
            return sizeRatio <= sizePermille && intervalRatio <= intervalPermille;
        }

        // Median of values[] over the beats with from < sample ≤ to (intervals of 0 skipped); 0 with fewer than min.
        private int Median(long from, long to, int[] values, int min)
        {
            int n = 0;
            for (int i = 0; i < count; i++)
            {
                int idx = (head - 1 - i) & (Capacity - 1);
                long s = samples[idx];
                if (s <= from) break;
                if (s > to || values[idx] <= 0) continue;
                scratch[n++] = values[idx];
            }
            return n < min ? 0 : IntMath.MedianInPlace(scratch, n);
        }
    }
}
