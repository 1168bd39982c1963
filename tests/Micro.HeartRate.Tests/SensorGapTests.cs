using Micro.HeartRate.Alarms;
using Micro.Tooling.Recordings;

namespace Micro.HeartRate.Tests;

/// <summary>
/// A sensor that was unplugged and plugged back: the samples after the gap are not continuous with those
/// before (time has passed, the sensor sits differently). <see cref="HeartRateMonitor.Restart"/> starts the
/// signal chain over. Real CinC 2015 PPG (PhysioNet, ODC-By 1.0) on both sides of the gap.
/// </summary>
[TestClass]
public sealed class SensorGapTests
{
    public TestContext TestContext { get; set; }

    private static Recording Cinc(string id) =>
        CincDataset.ReadRecording(SharedData.Cinc, CincDataset.ReadLabels(SharedData.Cinc).Single(a => a.RecordId == id));

    private static int[] Counts(Recording rec) => Enumerable.Range(0, rec.Length).Select(rec.PpgCounts).ToArray();

    // The same pulse from `resumeAt` on as a re-seated sensor shows it: the DC level moved by `dcShift`
    // counts and the pulse is `gainPercent` of what it was.
    private static int[] Replugged(int[] before, int resumeAt, int dcShift, int gainPercent)
    {
        long mean = (long)before.Average();
        return before.Skip(resumeAt).Select(v => (int)(mean + dcShift + (v - mean) * gainPercent / 100)).ToArray();
    }

    private static List<string> Feed(HeartRateMonitor m, int[] samples, List<int> raised)
    {
        var steps = new List<string>();
        foreach (int v in samples)
        {
            if (!m.AddSample(v)) continue;
            var r = m.Result;
            steps.Add($"rate {r.RateBpm} beats {r.BeatRateBpm} short {r.ShortIntervalMs} since {r.MsSinceBeat} irr {r.IrregularityPermille} "
                + $"n {r.Rhythm.IntervalCount} q {r.Quality} spec {r.SpectralRateBpm} amp {r.PulseAmplitude} gate {r.NeedsModel}");
            for (int e = 0; e < m.Policy.EventCount; e++)
                if (m.Policy.GetEvent(e).Raised) raised.Add(AlarmKinds.Bit(m.Policy.GetEvent(e).Kind));
        }
        return steps;
    }

    [TestMethod]
    public void AfterARestartTheChainSeesOnlyTheNewSamples()
    {
        // a103l: a false ICU asystole alarm; the finger PPG shows a steady pulse of ~126 bpm throughout.
        var rec = Cinc("a103l");
        int[] before = Counts(rec);
        int[] after = Replugged(before, resumeAt: 3 * 125, dcShift: 40_000, gainPercent: 40);
        var settings = ChainHarness.SettingsFor(rec);

        var restarted = new HeartRateMonitor(settings);
        var raised = new List<int>();
        Feed(restarted, before, raised);
        long uptime = restarted.UptimeMs;
        restarted.Restart();
        Assert.AreEqual(uptime, restarted.UptimeMs, "the clock does not go back");
        var window = new sbyte[HeartRateMonitor.MaxWindowSamples];
        Assert.IsFalse(restarted.CopyWindow(window, window.Length), "no classifier window mixes the two sides");
        var got = Feed(restarted, after, raised);

        // Step for step the same analysis as a monitor that never saw the samples before the gap.
        var fresh = new HeartRateMonitor(settings);
        var expected = Feed(fresh, after, new List<int>());
        CollectionAssert.AreEqual(expected, got, "restarted:\n" + string.Join("\n", got) + "\nfresh:\n" + string.Join("\n", expected));
        Assert.AreEqual(0, raised.Aggregate(0, (a, b) => a | b) & AlarmKinds.ClinicalMask);
        Assert.IsTrue(restarted.Result.RateBpm is > 115 and < 135, "rate after the gap " + restarted.Result.RateBpm);
        Assert.AreEqual(1L, restarted.Restarts);
        Assert.AreEqual(uptime + after.Length / 5 * 40, restarted.UptimeMs);

        // Without the restart the chain joins the two sides: intervals and the window span the gap.
        var joined = new HeartRateMonitor(settings);
        Feed(joined, before, new List<int>());
        Assert.IsTrue(joined.CopyWindow(window, window.Length));
        var joinedSteps = Feed(joined, after, new List<int>());
        CollectionAssert.AreNotEqual(expected, joinedSteps);
    }

    [TestMethod]
    public void AnAlarmActiveBeforeTheGapIsNeitherLostNorClearedByIt()
    {
        // t150s: a true tachycardia (> 140 bpm) from the CinC 2015 training set.
        var rec = Cinc("t150s");
        int[] before = Counts(rec);
        var m = new HeartRateMonitor(ChainHarness.SettingsFor(rec));
        var raised = new List<int>();
        Feed(m, before, raised);
        int tachy = AlarmKinds.Bit(AlarmKind.Tachycardia);
        Assert.IsTrue(m.Policy.IsActive(AlarmKind.Tachycardia), "tachycardia before the gap");
        m.Restart();
        // While the restarted chain learns (no beats yet), nothing is raised or cleared.
        var after = Replugged(before, resumeAt: 2 * 125, dcShift: -20_000, gainPercent: 150);
        int steps = 0, cleared = 0;
        foreach (int v in after)
        {
            if (!m.AddSample(v)) continue;
            steps++;
            for (int e = 0; e < m.Policy.EventCount; e++)
                if (!m.Policy.GetEvent(e).Raised && m.Policy.GetEvent(e).Kind == AlarmKind.Tachycardia) cleared++;
            Assert.IsTrue((m.Policy.ActiveMask & tachy) != 0, "tachycardia still active at step " + steps + " after the gap");
        }
        Assert.AreEqual(0, cleared);
        Assert.IsTrue(m.Result.RateBpm > 140, "the restarted chain sees the fast rate again: " + m.Result.RateBpm);
    }
}
