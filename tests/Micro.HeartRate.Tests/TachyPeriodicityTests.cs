using Micro.HeartRate.Alarms;

namespace Micro.HeartRate.Tests;

/// <summary>
/// Tachycardia from beats that are not clean must be one beat per pulse (TachyPeriodicityPermille,
/// Beats/PulsePeriodicity), on CinC 2015 records in ../shared/data, rules alone: each test compares the chain
/// with the check (defaults) and without it (TachyPeriodicityPermille = 0). ECG rates are the offline QRS
/// detector's (evaluation only).
/// </summary>
[TestClass]
public sealed class TachyPeriodicityTests
{
    public TestContext TestContext { get; set; }

    private static readonly int Tachy = AlarmKinds.Bit(AlarmKind.Tachycardia);

    [TestMethod]
    public void BeatsThatAreNotOnePerPulseRaiseNoTachycardia()
    {
        if (!CincRecords.Available) { Assert.Inconclusive("../shared/data not found"); return; }
        // False alarms whose uneven beats read 147–170 bpm while the ECG runs at 73–125: a272s (ECG 92, each
        // pulse's dicrotic wave counted), v168s (ECG 125), v155l (ECG 110), v423l (ECG 73) and a435l (ECG 93,
        // artefact in the first seconds). The pulse wave does not repeat itself at the counted interval.
        foreach (string id in new[] { "a272s", "v168s", "v155l", "v423l", "a435l" })
        {
            int with = CincRecords.Raised(id);
            int without = CincRecords.Raised(id, new HeartRateSettings { TachyPeriodicityPermille = 0 });
            TestContext.WriteLine($"{id}: alarms {with:x} with the check, {without:x} without");
            Assert.AreEqual(0, with & Tachy, $"{id}: no tachycardia");
            Assert.AreNotEqual(0, without & Tachy, $"{id}: without the check the uneven beats raise tachycardia");
        }
    }

    [TestMethod]
    public void RealFastPulsesStillRaiseTachycardia()
    {
        if (!CincRecords.Available) { Assert.Inconclusive("../shared/data not found"); return; }
        // True tachycardias at the limit with uneven beats (t150s, t151l: ECG 138–140; t356s: ECG 135, PPG 147)
        // and a clean one (t406s, 170 bpm): the pulse wave repeats at the beat interval, or the beats are clean.
        foreach (string id in new[] { "t150s", "t151l", "t356s", "t406s" })
        {
            int with = CincRecords.Raised(id);
            TestContext.WriteLine($"{id}: alarms {with:x}");
            Assert.AreNotEqual(0, with & Tachy, $"{id} raises tachycardia");
        }
    }
}
