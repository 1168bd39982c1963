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
            // One pass from the newest back (a step runs this over up to 30 intervals): collect into scratch
            // and sum as it goes. The successive differences are the same read backwards (squared, absolute,
            // pair sums), and the median and outlier count do not depend on the order.
            int[] iv = intervals;
            long[] ends = endSamples;
            int[] sc = scratch;
            int limit = count < maxIntervals ? count : maxIntervals;
            long tol = tolerancePercent;
            int n = 0;
            int idx = head;
            long sum = 0;
            int longest = 0;
            int shortest = int.MaxValue;
            long sumSq = 0;
            int irregular = 0;
            int later = 0;
            while (n < limit)
            {
                idx = (idx - 1) & (Capacity - 1);
                if (ends[idx] <= fromSample) break;
                int v = iv[idx];
                sc[n] = v;
                sum += v;
                if (v > longest) longest = v;
                if (v < shortest) shortest = v;
                if (n > 0)
                {
                    int diff = later - v;
                    sumSq += (long)diff * diff;
                    if (diff < 0) diff = -diff;
                    // |a − b| · 200 > tol · (a + b)  ⇔  |a − b| > tol% of the pair's mean
                    if ((long)diff * 200 > tol * (v + later)) irregular++;
                }
                later = v;
                n++;
            }
            if (n == 0)
            {
                f.Clear();
                return;
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
            else
            {
                f.IrregularPermille = 0;
                f.NormalizedRmssdPermille = 0;
            }
            int median = MedianSelect.Median(sc, n);
            f.MedianIntervalMs = median;
            f.RateBpm = median > 0 ? (60000 + median / 2) / median : 0;
            int outliers = 0;
            for (int i = 0; i < n; i++)
            {
                int dev = sc[i] - median;
                if (dev < 0) dev = -dev;
                if (dev * 5 > median) outliers++;
            }
            f.OutlierPermille = outliers * 1000 / n;
        }

        /// <summary>
        /// The part of <see cref="Compute"/> a quick look needs: IntervalCount, MedianIntervalMs,
        /// LongestIntervalMs and ShortestIntervalMs, each exactly as Compute gives them; f's other fields are 0.
        /// </summary>
        public void ComputeSpan(long fromSample, int maxIntervals, RhythmFeatures f)
        {
            f.Clear();
            int[] iv = intervals;
            long[] ends = endSamples;
            int[] sc = scratch;
            int limit = count < maxIntervals ? count : maxIntervals;
            int n = 0;
            int idx = head;
            int longest = 0;
            int shortest = int.MaxValue;
            while (n < limit)
            {
                idx = (idx - 1) & (Capacity - 1);
                if (ends[idx] <= fromSample) break;
                int v = iv[idx];
                sc[n++] = v;
                if (v > longest) longest = v;
                if (v < shortest) shortest = v;
            }
            if (n == 0) return;
            f.IntervalCount = n;
            f.LongestIntervalMs = longest;
            f.ShortestIntervalMs = shortest;
            f.MedianIntervalMs = MedianSelect.Median(sc, n);
        }
    }
}
