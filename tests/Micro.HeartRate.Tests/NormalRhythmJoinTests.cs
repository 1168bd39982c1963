using Micro.Tooling.Recordings;

namespace Micro.HeartRate.Tests;

/// <summary>
/// The typical (normal-rhythm) benchmark joins Liu 2022 sinus segments at pulse onsets
/// (Liu2022Dataset.JoinAtPulseOnsets): the joins must find the onsets and must not add the irregularity a
/// plain end-to-end join does.
/// </summary>
[TestClass]
public sealed class NormalRhythmJoinTests
{
    [TestMethod]
    public void PulseOnsetsAreTheFeetOfASyntheticPulseTrain()
    {
        // 10 s at 100 Hz of a pulse every 0.8 s (75 bpm): a fast rise from the foot over 150 ms, a slow decay.
        var x = new double[1000];
        var feet = new List<int>();
        for (int foot = 37; foot < 1000; foot += 80) feet.Add(foot);
        var expected = feet.Where(f => f + 20 < x.Length).ToList();   // the last foot has no upstroke left in the segment
        for (int i = 0; i < x.Length; i++)
        {
            int last = feet.LastOrDefault(f => f <= i, feet[0] - 80);
            double t = i - last;
            x[i] = t < 15 ? t / 15.0 : Math.Exp(-(t - 15) / 25.0);
            if (i < feet[0]) x[i] = Math.Exp(-(i + 80 - feet[0] - 15) / 25.0);
        }
        var onsets = Liu2022Dataset.PulseOnsets(x);
        CollectionAssert.AreEqual(expected, onsets, string.Join(",", onsets));
    }

    [TestMethod]
    public void JoiningAtOnsetsAddsNoIrregularity()
    {
        // The bench's three subjects: on the plain join the phase jumps make the chain see an irregular rhythm
        // and ask the model nearly every step; joined at onsets most steps are left to the rules.
        var liu = Liu2022Dataset.Read(SharedData.Liu2022);
        var subjects = liu.Where(s => s.IsSinus).GroupBy(s => s.Subject).Where(g => g.Count() >= 12).OrderBy(g => g.Key, StringComparer.Ordinal).Take(3).ToList();
        Assert.AreEqual(3, subjects.Count);
        foreach (var subject in subjects)
        {
            var plain = new Recording(subject.Key, Liu2022Dataset.SampleRateHz, subject.Take(12).SelectMany(s => s.Samples).ToArray(), Liu2022Dataset.PpgScale);
            var atOnsets = Liu2022Dataset.JoinAtPulseOnsets(subject.Key, subject.Take(12));
            // Each 10 s segment loses at most one beat at either end.
            Assert.IsTrue(atOnsets.DurationSeconds > 12 * 10 - 12 * 2.5, $"{subject.Key}: {atOnsets.DurationSeconds:F0} s");
            var p = ChainHarness.Run(plain).Where(s => s.TimeSeconds > 30).ToList();
            var o = ChainHarness.Run(atOnsets).Where(s => s.TimeSeconds > 30).ToList();
            double plainIrregularity = p.Average(s => s.IrregularityPermille), onsetIrregularity = o.Average(s => s.IrregularityPermille);
            Assert.IsTrue(onsetIrregularity < plainIrregularity * 0.75, $"{subject.Key}: irregularity {onsetIrregularity:F0} ‰ joined at onsets, {plainIrregularity:F0} ‰ plain");
            double plainAsks = p.Count(s => s.NeedsModel) / (double)p.Count, onsetAsks = o.Count(s => s.NeedsModel) / (double)o.Count;
            Assert.IsTrue(onsetAsks < plainAsks, $"{subject.Key}: the gate asks in {onsetAsks:P0} of steps joined at onsets, {plainAsks:P0} plain");
        }
    }

    [TestMethod]
    public void ASteadyRegularVerdictStandsForTheRecheckInterval()
    {
        // Normal rhythm whose irregularity sometimes sits between the clear and the alarm level: the gate asks,
        // a confident "regular" verdict then stands for ModelRecheckSeconds while the window stays steady, so
        // the network runs far less often, and the alarm says exactly the same.
        var subject = Liu2022Dataset.Read(SharedData.Liu2022).Where(s => s.IsSinus).GroupBy(s => s.Subject)
            .Where(g => g.Count() >= 12).OrderBy(g => g.Key, StringComparer.Ordinal).First();
        var rec = Liu2022Dataset.JoinAtPulseOnsets(subject.Key, subject.Take(12));
        List<StepReport> Run(int recheck, MonitorTests.FakeClassifier model)
        {
            var settings = ChainHarness.SettingsFor(rec);
            settings.ModelRecheckSeconds = recheck;
            return ChainHarness.Run(rec, settings, model);
        }
        var every = new MonitorTests.FakeClassifier();
        var held = new MonitorTests.FakeClassifier();
        var a = Run(2, every);
        var b = Run(10, held);
        Assert.IsTrue(a.Count(s => s.NeedsModel) > 10, "the gate asks " + a.Count(s => s.NeedsModel) + " times");
        Assert.IsTrue(held.Calls * 2 < every.Calls, $"{held.Calls} runs held, {every.Calls} every 2 s");
        CollectionAssert.AreEqual(a.Select(s => s.ActiveAlarms + " " + s.NeedsModel).ToList(), b.Select(s => s.ActiveAlarms + " " + s.NeedsModel).ToList());
    }
}
