using Micro.HeartRate.Beats;

namespace Micro.HeartRate.Tests;

/// <summary>
/// IntervalTracker.Compute (one pass from the newest interval back) and ComputeSpan against the definitions
/// computed here from the plain list of the window's intervals, oldest first.
/// </summary>
[TestClass]
public sealed class IntervalFeaturesTests
{
    [TestMethod]
    public void ComputeMatchesTheDefinitionsOnRandomRhythms()
    {
        var rng = new Random(12);
        for (int trial = 0; trial < 400; trial++)
        {
            int tolerance = rng.Next(5, 40);
            var t = new IntervalTracker(tolerance);
            var added = new List<(int Ms, long End)>();
            long end = 0;
            int beats = rng.Next(0, 90);   // past the ring's 64 too
            bool irregular = rng.Next(2) == 0;
            for (int b = 0; b < beats; b++)
            {
                int ms = irregular ? rng.Next(300, 1600) : 800 + rng.Next(-40, 41);
                end += ms / 40;
                t.Add(ms, end);
                added.Add((ms, end));
            }
            long from = end - rng.Next(0, 1200);
            int max = rng.Next(1, 40);
            var f = new RhythmFeatures();
            t.Compute(from, max, f);
            var window = added.Skip(Math.Max(0, added.Count - 64)).Where(a => a.End > from).Select(a => a.Ms).ToList();
            // The newest ones only, as the ring walks back from the newest until the window's start.
            window = window.Skip(Math.Max(0, window.Count - max)).ToList();
            var expected = Reference(window, tolerance);
            Assert.AreEqual(expected, Fields(f), $"trial {trial}: {window.Count} intervals");

            var span = new RhythmFeatures();
            t.ComputeSpan(from, max, span);
            Assert.AreEqual((f.IntervalCount, f.MedianIntervalMs, f.LongestIntervalMs, f.ShortestIntervalMs, 0, 0, 0, 0, 0),
                (span.IntervalCount, span.MedianIntervalMs, span.LongestIntervalMs, span.ShortestIntervalMs,
                    span.MeanIntervalMs, span.RateBpm, span.IrregularPermille, span.NormalizedRmssdPermille, span.OutlierPermille), $"trial {trial}: span");
        }
    }

    private static (int, int, int, int, int, int, int, int, int) Fields(RhythmFeatures f) =>
        (f.IntervalCount, f.MedianIntervalMs, f.MeanIntervalMs, f.RateBpm, f.IrregularPermille, f.NormalizedRmssdPermille,
            f.OutlierPermille, f.LongestIntervalMs, f.ShortestIntervalMs);

    // The features by their definitions (RhythmFeatures), from the window's intervals oldest first.
    private static (int, int, int, int, int, int, int, int, int) Reference(List<int> v, int tolerance)
    {
        int n = v.Count;
        if (n == 0) return (0, 0, 0, 0, 0, 0, 0, 0, 0);
        var sorted = v.OrderBy(x => x).ToList();
        int median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) >> 1;
        int mean = (int)(v.Sum(x => (long)x) / n);
        int irregular = 0, rmssd = 0;
        if (n > 1)
        {
            long sq = 0;
            int pairs = 0;
            for (int i = 1; i < n; i++)
            {
                long d = v[i] - v[i - 1];
                sq += d * d;
                if (Math.Abs(d) * 200 > (long)tolerance * (v[i] + v[i - 1])) pairs++;
            }
            irregular = pairs * 1000 / (n - 1);
            int root = (int)Math.Floor(Math.Sqrt(sq / (n - 1)));
            while ((long)root * root > sq / (n - 1)) root--;
            while ((long)(root + 1) * (root + 1) <= sq / (n - 1)) root++;
            rmssd = (int)((long)root * 1000 / mean);
        }
        int outliers = v.Count(x => Math.Abs(x - median) * 5 > median);
        int rate = (60000 + median / 2) / median;
        return (n, median, mean, rate, irregular, rmssd, outliers * 1000 / n, v.Max(), v.Min());
    }
}
