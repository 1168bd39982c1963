using Micro.HeartRate.Alarms;

namespace Micro.HeartRate.Tests;

/// <summary>
/// A pause many times the beat intervals before it is a gap in the pulse, not a slow rhythm (BradyPausePermille),
/// on CinC 2015 records in ../shared/data, rules alone: the chain with the rule (defaults) against without it
/// (BradyPausePermille = 0). ECG rates are the offline QRS detector's (evaluation only).
/// </summary>
[TestClass]
public sealed class BradyPauseTests
{
    public TestContext TestContext { get; set; }

    private static readonly int Brady = AlarmKinds.Bit(AlarmKind.Bradycardia);

    [TestMethod]
    public void AGapAfterAFastPulseIsNoBradycardia()
    {
        if (!CincRecords.Available) { Assert.Inconclusive("../shared/data not found"); return; }
        // False alarms whose PPG stops for 2.5–3.5 s after beats 460–670 ms apart (3.9–5.4 times the median)
        // while the ECG runs on at 74–134 bpm: t503l, v609l, f129l, a667l.
        foreach (string id in new[] { "t503l", "v609l", "f129l", "a667l" })
        {
            int with = CincRecords.Raised(id);
            int without = CincRecords.Raised(id, new HeartRateSettings { BradyPausePermille = 0 });
            TestContext.WriteLine($"{id}: alarms {with:x} with the rule, {without:x} without");
            Assert.AreEqual(0, with & Brady, $"{id}: no bradycardia");
            Assert.AreNotEqual(0, without & Brady, $"{id}: without the rule the gap raises bradycardia");
        }
    }

    [TestMethod]
    public void ASlowingPulseStillRaisesBradycardia()
    {
        if (!CincRecords.Available) { Assert.Inconclusive("../shared/data not found"); return; }
        // True bradycardias: b220s (ECG 27–30 bpm at the end; its first long pause is 3.0 times the median of the
        // noisy beats before), b497l and b538s (dominant pulses at 29–40 bpm).
        foreach (string id in new[] { "b220s", "b497l", "b538s" })
        {
            int with = CincRecords.Raised(id);
            TestContext.WriteLine($"{id}: alarms {with:x}");
            Assert.AreNotEqual(0, with & Brady, $"{id} raises bradycardia");
        }
    }
}
