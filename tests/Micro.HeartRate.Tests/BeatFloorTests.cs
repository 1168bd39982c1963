using Micro.HeartRate.Alarms;
using Micro.Tooling.Recordings;

namespace Micro.HeartRate.Tests;

/// <summary>
/// The beat detector's floor during a pulse pause (BeatMedianFloorPermille) on CinC 2015 record b269l in
/// ../shared/data: a true bradycardia (ECG 27 bpm) whose PPG pauses 5 s after its last pulse at 11.1 s.
/// </summary>
[TestClass]
public sealed class BeatFloorTests
{
    public TestContext TestContext { get; set; }

    [TestMethod]
    public void RipplesDuringAPulsePauseAreNoBeats()
    {
        string cinc;
        try { cinc = SharedData.Cinc; }
        catch (InvalidOperationException) { Assert.Inconclusive("../shared/data not found"); return; }
        if (!Directory.Exists(cinc)) Assert.Inconclusive($"{cinc} not found");

        // Without the floor the threshold sags to ~600 in the pause and upstrokes of 5–10 % of the last pulse
        // (11.7 k) become beats: they reset the pause, so neither no pulse nor bradycardia is raised.
        int brady = AlarmKinds.Bit(AlarmKind.Bradycardia) | AlarmKinds.Bit(AlarmKind.NoPulse);
        // BradyPausePermille = 0: the 5 s pause counts as the rhythm's interval, so the pause shows as bradycardia
        // too (with the default the pause, many times the noisy beats before it, is judged by no pulse alone).
        int with = CincRecords.Raised("b269l", new HeartRateSettings { BradyPausePermille = 0 });
        int without = CincRecords.Raised("b269l", new HeartRateSettings { BeatMedianFloorPermille = 0, BradyPausePermille = 0 });
        TestContext.WriteLine($"b269l: alarms {with:x} with the floor, {without:x} without");
        Assert.AreNotEqual(0, with & AlarmKinds.Bit(AlarmKind.NoPulse), "the pause is seen: no pulse");
        Assert.AreNotEqual(0, with & AlarmKinds.Bit(AlarmKind.Bradycardia), "bradycardia");
        Assert.AreEqual(0, without & brady, "without the floor the ripples hide the pause");
    }
}
