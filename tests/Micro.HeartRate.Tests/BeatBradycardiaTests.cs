using Micro.HeartRate.Alarms;
using Micro.Tooling.Recordings;

namespace Micro.HeartRate.Tests;

/// <summary>
/// Bradycardia judged on the dominant pulses (Beats/DominantPulseRate) on the CinC 2015 records in
/// ../shared/data, rules alone: each test compares the chain with the judgement (defaults) and without it
/// (BradyEchoPercent = 0).
/// </summary>
[TestClass]
public sealed class BeatBradycardiaTests
{
    public TestContext TestContext { get; set; }

    private static HeartRateSettings Without()
    {
        return new HeartRateSettings { BradyEchoPercent = 0 };
    }

    [TestMethod]
    public void SlowPulsesWhoseEchoesWereCountedAsBeatsRaiseBradycardia()
    {
        // True bradycardia alarms whose PPG follows the ECG below 40 bpm (offline label): b538s 29 bpm,
        // b562s 30, b560s 30 (26 in the PPG) with an echo 0.8–0.9 s after each pulse, b497l 36 (40 in the PPG)
        // with a clean slowdown in the last 5 s. The beat median and the spectrum read 60–70 bpm on all four.
        int brady = AlarmKinds.Bit(AlarmKind.Bradycardia);
        foreach (string id in new[] { "b538s", "b562s", "b560s", "b497l" })
        {
            int with = CincRecords.Raised(id);
            int without = CincRecords.Raised(id, Without());
            TestContext.WriteLine($"{id}: alarms {with:x} with the judgement, {without:x} without");
            Assert.AreNotEqual(0, with & brady, $"{id} raises bradycardia");
            Assert.AreEqual(0, without & brady, $"{id}: the judgement is what finds it");
        }
        // b560s's echoes looked like small fast pulses (a pulse collapse): the slow dominant pulses veto that
        // tachycardia now.
        Assert.AreNotEqual(0, CincRecords.Raised("b560s", Without()) & AlarmKinds.Bit(AlarmKind.Tachycardia));
        Assert.AreEqual(0, CincRecords.Raised("b560s") & AlarmKinds.Bit(AlarmKind.Tachycardia));
    }

    [TestMethod]
    public void NoFalseAlarmRaisesBradycardiaBecauseOfTheJudgement()
    {
        // Every false CinC alarm (asystole, bradycardia, tachycardia, VT, VF): the judgement adds no clinical
        // alarm, and the bradycardia true alarms it finds outnumber nothing lost.
        var with = CincEvaluation.Evaluate(SharedData.Cinc).Outcomes.ToDictionary(o => o.Alarm.RecordId);
        var without = CincEvaluation.Evaluate(SharedData.Cinc, Without()).Outcomes.ToDictionary(o => o.Alarm.RecordId);
        var added = with.Values.Where(o => !o.Alarm.TrueAlarm && (o.ClinicalMask & ~without[o.Alarm.RecordId].ClinicalMask) != 0)
            .Select(o => o.Alarm.RecordId).ToList();
        var found = with.Values.Where(o => o.Alarm.TrueAlarm && o.Detected && !without[o.Alarm.RecordId].Detected).Select(o => o.Alarm.RecordId).ToList();
        var lost = with.Values.Where(o => o.Alarm.TrueAlarm && !o.Detected && without[o.Alarm.RecordId].Detected).Select(o => o.Alarm.RecordId).ToList();
        TestContext.WriteLine($"new alarms on false records: [{string.Join(' ', added)}]; true alarms found: [{string.Join(' ', found)}]; lost: [{string.Join(' ', lost)}]");
        Assert.AreEqual(0, added.Count, "no false alarm raises a new clinical alarm");
        Assert.AreEqual(0, lost.Count, "no true alarm is lost (the tachycardia veto)");
        Assert.IsTrue(found.Count >= 4, "b497l b538s b560s b562s");
    }
}
