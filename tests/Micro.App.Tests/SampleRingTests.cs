namespace Micro.App.Tests;

/// <summary>The loop's sample ring: values in order across the wrap, each gap mark on exactly the sample it was put on.</summary>
[TestClass]
public sealed class SampleRingTests
{
    [TestMethod]
    public void GapMarksFollowTheirSamplesAcrossTheWrapAndSlotReuse()
    {
        var ring = new SampleRing(40);
        int next = 0, expected = 0;
        var gapAt = new HashSet<int>();
        var rnd = new Random(3);
        for (int round = 0; round < 500; round++)
        {
            int n = rnd.Next(0, ring.Free + 1);
            bool gap = rnd.Next(4) == 0;
            var batch = Enumerable.Range(next, n).ToArray();
            ring.Put(batch, n, gap);
            if (gap && n > 0) gapAt.Add(next);
            next += n;
            int take = rnd.Next(0, ring.Count + 1);
            for (int i = 0; i < take; i++)
            {
                if (i % 2 == 0)
                {
                    Assert.AreEqual(gapAt.Contains(expected), ring.PeekGap(), $"gap mark of sample {expected}");
                    Assert.AreEqual(expected++, ring.Take());
                }
                else
                {
                    // The loop's form: value and mark in one call.
                    Assert.AreEqual(expected, ring.Take(out bool gapBefore));
                    Assert.AreEqual(gapAt.Contains(expected++), gapBefore, $"gap mark of sample {expected - 1}");
                }
            }
            if (round % 100 == 99)
            {
                // Clear forgets the waiting samples and their marks.
                ring.Clear();
                expected = next;
            }
        }
        Assert.IsTrue(gapAt.Count > 50);
        Assert.ThrowsExactly<InvalidOperationException>(() => ring.Put(new int[41], 41, false));
    }
}
