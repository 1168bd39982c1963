using Micro.HeartRate;
using Micro.HeartRate.Alarms;
using Micro.Tooling.Evaluation.Visibility;
using Micro.Tooling.Evaluation;
using Micro.Tooling.Recordings;

namespace Micro.Tooling.HeartRate.Tests.Evaluation;

[TestClass]
public sealed class CrossValidationTests
{
    [TestMethod]
    public void Each_fold_gets_the_candidate_best_on_the_other_folds_never_on_itself()
    {
        // Records in folds a, a, b, c; objective = mean value. Candidate "one" is excellent on fold c only.
        string[] folds = { "a", "a", "b", "c" };
        var zero = new[] { 1.0, 1.0, 1.0, 0.0 }.Select((v, i) => (Fold: folds[i], Value: v)).ToList();
        var one = new[] { 0.0, 0.0, 0.0, 9.0 }.Select((v, i) => (Fold: folds[i], Value: v)).ToList();
        var choices = new List<FoldChoice>();
        var held = CrossValidation.Choose(new[] { zero, one }, new[] { "zero", "one" }, x => x.Fold, xs => xs.Average(x => x.Value), choices);
        // Fold c: trained on a and b, where "zero" is better, so c is scored with zero's 0 — not one's 9.
        // Folds a and b: trained on sets that include c, where "one" wins on average (9/3 or 9/2 > 1).
        CollectionAssert.AreEqual(new[] { 0.0, 0.0, 0.0, 0.0 }, held.Select(x => x.Value).ToArray());
        CollectionAssert.AreEqual(new[] { "a:one:2", "b:one:1", "c:zero:1" }, choices.Select(c => $"{c.Fold}:{c.Candidate}:{c.HeldOut}").ToArray());
    }

    [TestMethod]
    public void Cold_starts_count_in_the_troika_objective_and_are_held_out_with_their_subject()
    {
        // As micro evaluate --cv runs the tracker's grid: the recordings and their cold starts, two candidates (the
        // motion-track rule on and off).
        var whole = TroikaDataset.ReadAll(SharedData.Troika);
        var records = ColdStart.With(whole, ColdStart.Seconds);
        var grid = SettingsGrid.Product(("TrackerMotionTrackUpdates", new[] { 1, 0 }));
        var report = CrossValidation.Run(new EvaluationData(SharedData.Root, null, null, records), null, grid);

        // Reported apart: the whole recordings under troika, the cold starts under TroikaColdStart.
        Assert.AreEqual(whole.Count, report.Troika!.Outcomes.Count);
        Assert.IsFalse(report.Troika.Outcomes.Any(o => ColdStart.IsColdStart(o.RecordId)));
        Assert.AreEqual(2 * whole.Count, report.TroikaColdStart!.Outcomes.Count);
        // One fold per subject (16), each holding its recordings and their cold starts (57 in all).
        Assert.AreEqual(16, report.TroikaFolds.Count);
        Assert.AreEqual(3 * whole.Count, report.TroikaFolds.Sum(f => f.HeldOut));
        Assert.AreEqual(6, report.TroikaFolds.Single(f => f.Fold == "test-S04").HeldOut, "S04: two recordings, four cold starts");
        // With the other settings at their defaults, the rule costs no subject anything, so every fold keeps it
        // (ties keep the first candidate), the fold holding DATA_10 too: its cold start from 60 s is within 5 bpm held
        // out. (In the full grid that fold prefers leak 985, margin 10, β 150 with the rule off: 15.5 bpm.)
        foreach (var f in report.TroikaFolds) Assert.AreEqual("TrackerMotionTrackUpdates=1", f.Candidate, f.Fold);
        var cold10 = report.TroikaColdStart.Outcomes.Single(o => o.RecordId == ColdStart.Id("DATA_10_TYPE02", 60));
        Assert.IsTrue(cold10.MeanAbsoluteError <= 5, $"DATA_10 from 60 s held out {cold10.MeanAbsoluteError:F1} bpm");
    }

    [TestMethod]
    public void The_cinc_objective_leaves_out_true_alarms_the_ppg_does_not_show()
    {
        static PpgVisibility Label(bool visible) => new(visible, true, false, "test", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        static CincOutcome Outcome(string id, bool trueAlarm, bool raised, PpgVisibility? label) =>
            new(new CincAlarm(id, id + ".csv", CincAlarmType.VentricularTachycardia, trueAlarm), raised ? AlarmKinds.Bit(AlarmKind.Tachycardia) : 0, false) { Visibility = label };
        // One visible true alarm caught, one false alarm suppressed, and a true alarm the PPG does not show, missed.
        var outcomes = new[]
        {
            Outcome("v1", true, true, Label(true)),
            Outcome("v2", false, false, null),
            Outcome("v3", true, false, Label(false)),
        };
        Assert.AreEqual(1.0, CrossValidation.CincObjective(outcomes), 1e-12, "the unseen miss does not count");
        Assert.AreEqual(2.0 / 7.0, ChallengeScore.From(outcomes).Score, 1e-12, "the reported challenge score still counts it");
        // A missed true alarm without a label still counts: only the ECG label may leave one out.
        var unlabelled = new[] { outcomes[0], outcomes[1], Outcome("v4", true, false, null) };
        Assert.AreEqual(2.0 / 7.0, CrossValidation.CincObjective(unlabelled), 1e-12);
    }

    [TestMethod]
    public void The_troika_objective_weighs_the_worst_recording_so_one_failure_is_not_averaged_away()
    {
        // 10 recordings: candidate "even" is 3 bpm everywhere; "one bad" is 2 bpm on nine and 12 bpm on one (same mean).
        var even = Enumerable.Range(0, 10).Select(i => new TroikaOutcome($"r{i}", 100, 100, 300, 0, 0)).ToList();
        var oneBad = Enumerable.Range(0, 10).Select(i => new TroikaOutcome($"r{i}", 100, 100, i == 0 ? 1200 : 200, 0, 0)).ToList();
        Assert.AreEqual(-(3.0 + 3.0), CrossValidation.TroikaObjective(even), 1e-9);
        Assert.AreEqual(-(3.0 + 12.0), CrossValidation.TroikaObjective(oneBad), 1e-9);
        // Withholding half the windows costs 10 bpm-equivalents; an exercise tachycardia alarm 10.
        var withheld = new[] { new TroikaOutcome("w", 100, 50, 50, 1, 1) };
        Assert.AreEqual(-2 * (1.0 + 10.0 + 10.0), CrossValidation.TroikaObjective(withheld), 1e-9);
    }

    [TestMethod]
    public void The_default_troika_grid_is_the_trackers_with_the_defaults_first()
    {
        var grid = SettingsGrid.Tracker;
        Assert.AreEqual(432, grid.Count);
        var first = grid[0].Build();
        var d = new HeartRateSettings();
        Assert.AreEqual((d.TrackerLeakPermille, d.TrackerSwitchMarginPercent, d.TrackerGatePermille, d.TrackerCleanWeightPercent, d.TrackerReacquireUpdates, d.TrackerHarmonicLobeBins, d.TrackerMotionTrackUpdates),
            (first.TrackerLeakPermille, first.TrackerSwitchMarginPercent, first.TrackerGatePermille, first.TrackerCleanWeightPercent, first.TrackerReacquireUpdates, first.TrackerHarmonicLobeBins, first.TrackerMotionTrackUpdates));
        Assert.IsTrue(grid.Any(c => c.Build().TrackerCleanWeightPercent == 0), "the folds may turn the clean hypothesis off");
        Assert.IsTrue(grid.Any(c => c.Build().TrackerHarmonicLobeBins == 0) && grid.Any(c => c.Build().TrackerMotionTrackUpdates == 0),
            "the folds may turn the half-rate lobe and the motion-track rule off");
        Assert.AreEqual(grid.Count, grid.Select(c => c.Name).Distinct().Count(), "no candidate twice");
    }

    [TestMethod]
    public void Ties_keep_the_earlier_candidate()
    {
        var same = new[] { ("a", 1.0), ("b", 1.0) }.Select(x => (Fold: x.Item1, Value: x.Item2)).ToList();
        var choices = new List<FoldChoice>();
        CrossValidation.Choose(new[] { same, same }, new[] { "defaults", "other" }, x => x.Fold, xs => xs.Average(x => x.Value), choices);
        Assert.IsTrue(choices.All(c => c.Candidate == "defaults"));
    }

    [TestMethod]
    public void Grids_are_every_combination_and_refuse_unknown_or_non_integer_settings()
    {
        var grid = SettingsGrid.Parse("IrregularPermille=50,60; NoPulseMs=3000,4000,5000");
        Assert.AreEqual(6, grid.Count);
        Assert.AreEqual("IrregularPermille=50,NoPulseMs=3000", grid[0].Name);
        var s = grid[5].Build();
        Assert.AreEqual((60, 5000), (s.IrregularPermille, s.NoPulseMs));
        Assert.AreEqual(new HeartRateSettings().TachycardiaBpm, s.TachycardiaBpm, "other settings keep their defaults");
        Assert.AreEqual("IrregularPermille=60,BeatThresholdPercent=50,NoPulseMs=4000", SettingsGrid.Default[0].Name, "the defaults come first");
        var d = SettingsGrid.Default[0].Build();
        var defaults = new HeartRateSettings();
        Assert.AreEqual((defaults.IrregularPermille, defaults.BeatThresholdPercent, defaults.NoPulseMs), (d.IrregularPermille, d.BeatThresholdPercent, d.NoPulseMs));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => SettingsGrid.Parse("NoSuchSetting=1")).Message, "not an integer setting");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => SettingsGrid.Parse("HasAccelerometer=1")).Message, "not an integer setting");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => SettingsGrid.Parse("NoPulseMs=3s")).Message, "not an integer");
    }

    [TestMethod]
    public void Troika_subjects_group_a_subjects_recordings()
    {
        Assert.AreEqual("train-01", SubjectFolds.TroikaSubject("DATA_01_TYPE01"));
        Assert.AreEqual("test-S04", SubjectFolds.TroikaSubject("DATA_S04_T01"));
        Assert.AreEqual("test-S04", SubjectFolds.TroikaSubject("TEST_S04_T02"));
        Assert.AreEqual("elsewhere_7", SubjectFolds.TroikaSubject("elsewhere_7"));
        // A cold start belongs to its recording's subject, so it is held out with it.
        Assert.AreEqual("train-10", SubjectFolds.TroikaSubject(ColdStart.Id("DATA_10_TYPE02", 60)));
        Assert.AreEqual("test-S06", SubjectFolds.TroikaSubject(ColdStart.Id("TEST_S06_T02", 120)));
        var folds = SubjectFolds.CincFoldOf(CincDataset.ReadLabels(SharedData.Cinc));
        Assert.AreEqual(461, folds.Count);
        var sizes = folds.Values.GroupBy(f => f).Select(g => g.Count()).ToList();
        Assert.AreEqual(SubjectFolds.CincFolds, sizes.Count);
        Assert.IsTrue(sizes.Max() - sizes.Min() <= 5, string.Join(",", sizes));
    }
}
