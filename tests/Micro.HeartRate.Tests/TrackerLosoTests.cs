using Micro.Tooling.Recordings;
using Micro.Tooling.Tuning;

namespace Micro.HeartRate.Tests;

/// <summary>
/// Leave-one-subject-out on TROIKA for the spectral tracker's settings (TrackerLoso). A small grid around the
/// committed defaults keeps the run short; the wider search behind the defaults used the same harness
/// (its figures are in the tracker's commit messages). Prints the per-recording table.
/// </summary>
[TestClass]
public sealed class TrackerLosoTests
{
    [TestMethod]
    public void SubjectsAreThePeopleNotTheRecordings()
    {
        Assert.AreEqual("train01", TrackerLoso.SubjectOf("DATA_01_TYPE01"));
        Assert.AreEqual("train12", TrackerLoso.SubjectOf("DATA_12_TYPE02"));
        Assert.AreEqual("S04", TrackerLoso.SubjectOf("DATA_S04_T01"));
        Assert.AreEqual("S04", TrackerLoso.SubjectOf("TEST_S04_T02"));
        Assert.AreEqual("S06", TrackerLoso.SubjectOf("TEST_S06_T01"));
    }

    [TestMethod]
    public void DefaultsAreTheAllSubjectChoiceAndHoldOnHeldOutSubjects()
    {
        var recordings = TroikaDataset.ReadAll(SharedData.Troika);
        var d = new HeartRateSettings();
        var candidates = TrackerLoso.Grid(new[]
        {
            new KeyValuePair<string, int[]>("TrackerLeakPermille", new[] { 985, d.TrackerLeakPermille }),
            new KeyValuePair<string, int[]>("TrackerSwitchMarginPercent", new[] { 0, d.TrackerSwitchMarginPercent }),
            new KeyValuePair<string, int[]>("TrackerGatePermille", new[] { d.TrackerGatePermille, 100 }),
        });
        var outcomes = TrackerLoso.RunAll(recordings, candidates);
        var rows = TrackerLoso.Loso(recordings, candidates, outcomes);
        Console.Write(TrackerLoso.Describe(rows));

        // The defaults are what the harness picks on all subjects.
        var chosen = candidates[TrackerLoso.Best(outcomes, _ => true)].Settings();
        Assert.AreEqual(d.TrackerLeakPermille, chosen.TrackerLeakPermille);
        Assert.AreEqual(d.TrackerSwitchMarginPercent, chosen.TrackerSwitchMarginPercent);
        Assert.AreEqual(d.TrackerGatePermille, chosen.TrackerGatePermille);

        // In-sample: every recording within 5 bpm on at least 90 % of its windows.
        foreach (var r in rows)
        {
            Assert.IsTrue(r.InSample.MeanAbsoluteError <= 5, $"{r.RecordId} in-sample {r.InSample.MeanAbsoluteError:F2} bpm");
            Assert.IsTrue(TrackerLoso.Coverage(r.InSample) >= 0.9, $"{r.RecordId} in-sample coverage {TrackerLoso.Coverage(r.InSample):P0}");
        }
        // Held out: the recordings the issue names as failing are within 5 bpm, and the mean over recordings
        // stays under 3 bpm (TEST_S06_T02 is the one that may fall short of the coverage target; see the report).
        foreach (string id in new[] { "TEST_S04_T02", "DATA_10_TYPE02", "DATA_S04_T01" })
        {
            var r = rows.Single(x => x.RecordId == id);
            Assert.IsTrue(r.HeldOut.MeanAbsoluteError <= 5, $"{id} held out {r.HeldOut.MeanAbsoluteError:F2} bpm");
        }
        Assert.IsTrue(rows.Average(r => r.HeldOut.MeanAbsoluteError) <= 3, "LOSO mean " + rows.Average(r => r.HeldOut.MeanAbsoluteError));
    }
}
