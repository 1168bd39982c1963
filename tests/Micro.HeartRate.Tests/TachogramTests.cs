using Micro.HeartRate.Beats;
using Micro.Tooling.Recordings;

namespace Micro.HeartRate.Tests;

/// <summary>The two-channel classifier window: PPG as before, plus the beat intervals aligned to it.</summary>
[TestClass]
public sealed class TachogramTests
{
    [TestMethod]
    public void FillTachogramGivesTheIntervalInProgressAtEverySample()
    {
        var t = new IntervalTracker(20);
        var dst = new int[90];
        Assert.IsFalse(t.FillTachogram(90, 90, dst), "no interval yet");
        Assert.IsTrue(dst.All(v => v == 0));
        t.Add(800, 100);
        t.Add(1000, 125);
        t.Add(900, 147);
        Assert.IsTrue(t.FillTachogram(90, 90, dst));   // samples 90..179
        for (int i = 0; i < 90; i++)
        {
            long s = 90 + i;
            int expected = s <= 100 ? 800 : s <= 125 ? 1000 : s <= 147 ? 900 : (int)Math.Max(900, (s - 147) * 40);
            Assert.AreEqual(expected, dst[i], $"sample {s}");
        }
        Assert.AreEqual(1280, dst[89], "a pause after the newest beat shows as a rising interval");
    }

    [TestMethod]
    public void ChannelZeroIsThePpgWindowAndAFlatSignalHasNoTachogram()
    {
        var m = new HeartRateMonitor(new HeartRateSettings());
        var one = new sbyte[250];
        var two = new sbyte[500];
        for (int i = 0; i < 400; i++) m.AddSample((int)(20000 * Math.Sin(2 * Math.PI * 1.2 * i / 25.0)));
        Assert.IsTrue(m.CopyWindow(one, 250));
        Assert.IsTrue(m.CopyWindow(two, 250, 2));
        for (int i = 0; i < 250; i++) Assert.AreEqual(one[i], two[2 * i], $"PPG sample {i}");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => m.CopyWindow(new sbyte[499], 250, 2));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => m.CopyWindow(two, 250, 3));

        var flat = new HeartRateMonitor(new HeartRateSettings());
        for (int i = 0; i < 400; i++) flat.AddSample(100000);
        Assert.IsTrue(flat.CopyWindow(two, 250, 2));
        for (int i = 0; i < 250; i++) Assert.AreEqual(0, two[2 * i + 1], "no beats, no tachogram");
    }

    [TestMethod]
    public void OnRealFingerPpgTheTachogramVariesMoreInAtrialFibrillationThanInSinusRhythm()
    {
        var segments = Liu2022Dataset.Read(SharedData.Liu2022).ToList();
        double sinus = MeanAbsTachogram(segments.Where(s => s.IsSinus).Take(60));
        double af = MeanAbsTachogram(segments.Where(s => s.IsAtrialFibrillation).Take(60));
        Console.WriteLine($"mean |tachogram|: sinus {sinus:F1}, AF {af:F1}");
        Assert.IsTrue(af > 2 * sinus, $"AF {af:F1} vs sinus {sinus:F1}");
    }

    private static double MeanAbsTachogram(IEnumerable<Liu2022Segment> segments)
    {
        double sum = 0;
        int n = 0;
        var w = new sbyte[500];
        foreach (var seg in segments)
        {
            var rec = seg.ToRecording();
            var m = new HeartRateMonitor(ChainHarness.SettingsFor(rec));
            for (int i = 0; i < rec.Length; i++) m.AddSample(rec.PpgCounts(i));
            Assert.IsTrue(m.CopyWindow(w, 250, 2), seg.SegmentId);
            for (int i = 0; i < 250; i++) sum += Math.Abs((int)w[2 * i + 1]);
            n += 250;
        }
        Assert.IsTrue(n > 0);
        return sum / n;
    }
}
