using Micro.HeartRate.Signal;

namespace Micro.HeartRate.Beats
{
    /// <summary>
    /// Keeps the last 64 beat-to-beat intervals with the internal sample index of the beat that ended
    /// each, and computes rhythm features over the ones that ended inside a recent window.
    /// </summary>
    public sealed class IntervalTracker
    {
        private const int Capacity = 64;

        private readonly int[] intervals = new int[Capacity];
        private readonly long[] endSamples = new long[Capacity];
        private readonly int[] scratch = new int[Capacity];
        private readonly int tolerancePercent;
        private int head;  // next write position
        private int count;

        /// <param name="tolerancePercent">Successive intervals differing by more than this percentage of
        /// their mean count as an irregular pair.</param>
        public IntervalTracker(int tolerancePercent)
        {
            this.tolerancePercent = tolerancePercent;
        }

        /// <summary>Intervals stored (at most 64).</summary>
        public int Count { get { return count; } }

        /// <summary>Records one interval (ms) ending at the given internal sample.</summary>
        public void Add(int intervalMs, long endSample)
        {
            intervals[head] = intervalMs;
            endSamples[head] = endSample;
            head = (head + 1) & (Capacity - 1);
            if (count < Capacity) count++;
        }

        /// <summary>Forgets every interval.</summary>
        public void Clear()
        {
            count = 0;
            head = 0;
        }

        /// <summary>
        /// Tachogram: for each of count internal samples starting at firstSample, the beat-to-beat interval
        /// (ms) in progress at that sample: the interval of the first stored beat that ends at or after it;
        /// after the newest beat, the larger of the newest interval and the time since that beat (a pause
        /// shows as a rising value). dst[0..count) is written; returns false (and writes zeros) when no
        /// interval is stored. Allocates nothing.
        /// </summary>
        public bool FillTachogram(long firstSample, int count, int[] dst)
        {
            if (this.count == 0)
            {
                System.Array.Clear(dst, 0, count);
                return false;
            }
            int oldest = (head - this.count) & (Capacity - 1);
            int newest = (head - 1) & (Capacity - 1);
            int k = 0; // intervals passed (oldest first)
            int idx = oldest;
            for (int i = 0; i < count; i++)
            {
                long s = firstSample + i;
                while (k < this.count - 1 && endSamples[idx] < s)
                {
                    k++;
                    idx = (idx + 1) & (Capacity - 1);
                }
                if (idx == newest && endSamples[idx] < s)
                {
                    long elapsed = (s - endSamples[idx]) * InternalRate.MsPerSample;
                    int v = intervals[idx];
                    dst[i] = elapsed > v ? (elapsed > 60000 ? 60000 : (int)elapsed) : v;
                }
                else
                {
                    dst[i] = intervals[idx];
                }
            }
            return true;
        }

        /// <summary>
        /// Features of the intervals (at most maxIntervals, newest last) that ended after
        /// fromSample; f is overwritten.
        /// </summary>
        public void Compute(long fromSample, int maxIntervals, RhythmFeatures f)
        {
            f.Clear();
            // Collect the newest intervals inside the window, oldest first, into scratch.
            int n = 0;
            int idx = (head - 1) & (Capacity - 1);
            int limit = count < maxIntervals ? count : maxIntervals;
            while (n < limit && endSamples[idx] > fromSample)
            {
                n++;
                idx = (idx - 1) & (Capacity - 1);
            }
            if (n == 0) return;
            int start = (head - n) & (Capacity - 1);
            long sum = 0;
            int longest = 0;
            int shortest = int.MaxValue;
            long sumSq = 0;
            int irregular = 0;
            int previous = 0;
            for (int i = 0; i < n; i++)
            {
                int v = intervals[(start + i) & (Capacity - 1)];
                scratch[i] = v;
                sum += v;
                if (v > longest) longest = v;
                if (v < shortest) shortest = v;
                if (i > 0)
                {
                    int diff = v - previous;
                    sumSq += (long)diff * diff;
                    if (diff < 0) diff = -diff;
                    // |a − b| · 200 > tol · (a + b)  ⇔  |a − b| > tol% of the pair's mean
                    if ((long)diff * 200 > (long)tolerancePercent * (v + previous)) irregular++;
                }
                previous = v;
            }
            int mean = (int)(sum / n);
            f.IntervalCount = n;
            f.MeanIntervalMs = mean;
            f.LongestIntervalMs = longest;
            f.ShortestIntervalMs = shortest;
            if (n > 1)
            {
                f.IrregularPermille = irregular * 1000 / (n - 1);
                int rmssd = IntMath.Sqrt(sumSq / (n - 1));
                f.NormalizedRmssdPermille = mean > 0 ? (int)((long)rmssd * 1000 / mean) : 0;
            }
            int median = MedianSelect.Median(scratch, n);
            f.MedianIntervalMs = median;
            f.RateBpm = median > 0 ? (60000 + median / 2) / median : 0;
            int outliers = 0;
            for (int i = 0; i < n; i++)
            {
                int dev = scratch[i] - median;
                if (dev < 0) dev = -dev;
                if (dev * 5 > median) outliers++;
            }
            f.OutlierPermille = outliers * 1000 / n;
        }
    }
}
