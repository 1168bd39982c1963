using Micro.HeartRate.Signal;

namespace Micro.HeartRate.Tests;

/// <summary>IntRing.NormalizeLast (the classifier window's PPG channel) against its formula over the newest samples.</summary>
[TestClass]
public sealed class IntRingTests
{
    [TestMethod]
    public void NormalizeLastScalesTheNewestSamplesOldestFirstAcrossTheWrap()
    {
        var rng = new Random(3);
        for (int trial = 0; trial < 200; trial++)
        {
            var ring = new IntRing(250);
            var all = new List<int>();
            int added = rng.Next(1, 700);
            int spread = rng.Next(3) == 0 ? 0 : rng.Next(1, 1 << rng.Next(1, 31));
            for (int i = 0; i < added; i++)
            {
                int v = spread == 0 ? 1234 : rng.Next(-spread, spread);
                ring.Add(v);
                all.Add(v);
            }
            int n = rng.Next(1, Math.Min(added, 250) + 1);
            int stride = rng.Next(1, 3);
            var dst = Enumerable.Repeat((sbyte)99, n * stride).ToArray();
            ring.NormalizeLast(n, dst, stride);
            var last = all.Skip(all.Count - n).ToList();
            long min = last.Min(), range = last.Max() - min;
            for (int i = 0; i < n; i++)
            {
                int expected = range == 0 ? 0 : (int)(((last[i] - min) * 255 + range / 2) / range - 128);
                Assert.AreEqual(expected, (int)dst[i * stride], $"trial {trial}, sample {i} of {n}");
                if (stride == 2) Assert.AreEqual((sbyte)99, dst[i * 2 + 1], "the other channel is left alone");
            }
            Assert.AreEqual(range == 0 ? 0 : -128, (int)dst.Where((_, k) => k % stride == 0).Min(v => v));
        }
    }
}
