using Micro.HeartRate.Alarms;
using Micro.Tooling.Evaluation;
using Micro.Tooling.Recordings;

namespace Micro.Tooling.HeartRate.Tests.Evaluation;

[TestClass]
public sealed class ChallengeScoreTests
{
    private static CincOutcome Outcome(CincAlarmType type, bool truth, params AlarmKind[] raised) =>
        new(new CincAlarm("r", "r.csv", type, truth), raised.Aggregate(0, (m, k) => m | AlarmKinds.Bit(k)), false);

    [TestMethod]
    public void Score_weighs_a_missed_true_alarm_five_times_and_the_baselines_keep_or_drop_every_alarm()
    {
        var outcomes = new[]
        {
            Outcome(CincAlarmType.Tachycardia, true, AlarmKind.Tachycardia),   // TP
            Outcome(CincAlarmType.Tachycardia, true, AlarmKind.Bradycardia),   // FN: a clinical alarm, but not a compatible one
            Outcome(CincAlarmType.Tachycardia, false, AlarmKind.Irregular),    // FP
            Outcome(CincAlarmType.Tachycardia, false, AlarmKind.SensorOff),    // TN: a technical alert is not a clinical alarm
            Outcome(CincAlarmType.Tachycardia, false),                         // TN
        };
        var s = ChallengeScore.From(outcomes);
        Assert.AreEqual((1, 1, 1, 2), (s.TruePositives, s.FalseNegatives, s.FalsePositives, s.TrueNegatives));
        Assert.AreEqual(3.0 / (3 + 1 + 5), s.Score, 1e-12);
        Assert.AreEqual(2.0 / (2 + 3), s.AlwaysAlarm, 1e-12);   // TP 2, FP 3
        Assert.AreEqual(3.0 / (3 + 10), s.NeverAlarm, 1e-12);   // TN 3, FN 2
        Assert.IsFalse(s.BeatsAlwaysAlarm);
        CollectionAssert.AreEqual(new[] { "TP", "FN", "FP", "TN", "TN" }, outcomes.Select(o => o.ChallengeOutcome).ToArray());
        Assert.AreEqual(AlarmKinds.Bit(AlarmKind.SensorOff), outcomes[3].TechnicalMask);
    }

    [TestMethod]
    public void The_table_has_all_first_then_each_type_and_the_types_add_up()
    {
        var outcomes = new[]
        {
            Outcome(CincAlarmType.Asystole, true, AlarmKind.NoPulse),
            Outcome(CincAlarmType.Asystole, false, AlarmKind.NoPulse),
            Outcome(CincAlarmType.Bradycardia, true),
        };
        var t = ChallengeScore.Table(outcomes);
        CollectionAssert.AreEqual(new[] { "all", "Asystole", "Bradycardia" }, t.Select(r => r.Name).ToArray());
        Assert.AreEqual(t[0].Score.Alarms, t.Skip(1).Sum(r => r.Score.Alarms));
        Assert.AreEqual(t[0].Score.TruePositives, t.Skip(1).Sum(r => r.Score.TruePositives));
    }
}

[TestClass]
public sealed class TroikaScoreTests
{
    private static StepReport Step(double t, int rate) =>
        new((int)t, t, rate, rate > 0 ? 80 : 0, rate > 0 ? Micro.HeartRate.RateSource.Spectrum : Micro.HeartRate.RateSource.None, 0, rate, -1, 0,
            Micro.HeartRate.Signal.SignalQuality.Good, 0, true, true, false, false, 0, Array.Empty<AlarmEventReport>());

    [TestMethod]
    public void A_withheld_rate_counts_against_coverage_and_not_in_the_error()
    {
        var reference = new[] { new HrReferenceWindow(0, 8, 100), new HrReferenceWindow(2, 10, 110), new HrReferenceWindow(4, 12, 120), new HrReferenceWindow(6, 14, 130) };
        var rec = new TroikaRecording("TEST_S09_T01", "test", new Recording("x", 62.5, new double[10], 1), reference);
        // Steps at 8, 10, 12 and 14 s: 104 bpm, withheld, 120 bpm, withheld.
        var o = Micro.Tooling.Recordings.TroikaEvaluation.Score(rec, new[] { Step(8, 104), Step(10, 0), Step(12, 120), Step(14, 0) });
        Assert.AreEqual((4, 2), (o.Windows, o.Estimated));
        Assert.AreEqual(0.5, o.Coverage, 1e-12);
        Assert.AreEqual(2.0, o.MeanAbsoluteError, 1e-12);
        Assert.AreEqual(4.0, o.MaxAbsoluteError, 1e-12);
        CollectionAssert.AreEqual(new[] { true, false, true, false }, o.Series.Select(w => w.Reported).ToArray());
        var s = new TroikaSummary(new[] { o });
        Assert.AreEqual(0, s.RecordingsWithin(5, 0.9), "2 bpm but only half the windows reported");
        Assert.AreEqual(1, s.RecordingsWithin(5, 0.5));
    }
}
