using Micro.HeartRate;
using Micro.HeartRate.Alarms;
using Micro.Tooling.Evaluation;
using Micro.Tooling.Evaluation.Visibility;
using Micro.Tooling.Recordings;

namespace Micro.Tooling.HeartRate.Tests.Evaluation;

/// <summary>
/// The bedside alarm verifier (AlarmVerifier, the CinC challenge's framing) on the real CinC 2015 records, with
/// the chain as `micro evaluate --model models/heart-rate/heart-rate.mblob` runs it: what it refutes really has a
/// steady pulse, the defaults are what the folds choose, it beats alarming always where it can, and tachycardia,
/// where it cannot, is kept whole. Inconclusive when ../shared/data has no CinC records.
/// </summary>
[TestClass]
public sealed class VerifierRealDataTests
{
    public TestContext TestContext { get; set; } = null!;

    private static readonly Lazy<AlarmEvaluationReport> Report = new(() =>
    {
        var data = EvaluationData.Load(SharedData.Root) with { Liu = null, Troika = null };
        byte[] blob = File.ReadAllBytes(Path.Combine(SharedData.RepositoryRoot, "models", "heart-rate", "heart-rate.mblob"));
        var report = AlarmEvaluation.Run(data, blob);
        return report with { VerifierCrossValidation = VerifierCrossValidation.Run(report.Cinc!.Outcomes) };
    });

    private static AlarmEvaluationReport Data()
    {
        string labels;
        try { labels = Path.Combine(SharedData.Cinc, "labels.csv"); }
        catch (InvalidOperationException e) { Assert.Inconclusive("no shared data: " + e.Message); throw; }
        if (!File.Exists(labels)) Assert.Inconclusive($"{labels} is absent: the CinC 2015 records are not beside the repository");
        return Report.Value;
    }

    private static ChallengeScore TypeScore(VerifierSummary v, CincAlarmType type) => v.Table().Single(r => r.Name == type.ToString()).Score;

    [TestMethod]
    public void Every_refuted_alarm_has_a_steady_pulse_in_its_last_seconds_by_the_offline_detector()
    {
        // The verifier refutes from the chain's own beats; the offline pulse detector (evaluation only, looks ahead)
        // must agree that the PPG pulses steadily at the end of every refuted record.
        var v = Data().Verifier!;
        var refuted = v.Outcomes.Where(o => o.Verdict == VerifierVerdict.Refuted).ToList();
        Assert.IsTrue(refuted.Count > 50, $"{refuted.Count} refuted");
        var unsteady = new List<string>();
        foreach (var o in refuted)
        {
            var ch = CincChannels.Read(SharedData.Cinc, o.Alarm);
            double end = ch.Ppg.Length / ch.SampleRateHz;
            var pulses = PulseDetector.Detect(ch.Ppg, ch.SampleRateHz).Where(p => p.TimeSeconds >= end - 5).Select(p => p.TimeSeconds).ToList();
            var intervals = pulses.Zip(pulses.Skip(1), (a, b) => b - a).ToList();
            // Steady and normal: pulses up to the end, a median rate of 40..150 bpm, and most intervals within 25 % of
            // the median (the offline detector also counts some dicrotic waves, which split one interval in two).
            double median = intervals.Count == 0 ? 0 : intervals.Order().ElementAt(intervals.Count / 2);
            bool steady = intervals.Count >= 3 && end - pulses[^1] < 2.0 && median >= 0.4 && median <= 1.5
                && intervals.Count(i => Math.Abs(i - median) <= 0.25 * median) * 3 >= intervals.Count * 2;
            if (!steady) unsteady.Add($"{o.Alarm.RecordId} ({string.Join(" ", intervals.Select(i => i.ToString("F2")))})");
        }
        TestContext.WriteLine($"{refuted.Count} refuted; unsteady by the offline detector: {string.Join(", ", unsteady)}");
        // A few records (a376s, f415l, v692s, v696s when written) pulse at a steady 54..76 bpm by the chain's beats while the
        // offline detector splits their upstrokes unevenly: at most 5 % may disagree.
        Assert.IsTrue(unsteady.Count * 20 <= refuted.Count, $"{unsteady.Count} of {refuted.Count} refuted records lack a steady pulse in their last 5 s: {string.Join(", ", unsteady)}");
        // And none of them is a record whose PPG is flat.
        Assert.IsFalse(refuted.Any(o => o.Outcome.Visibility?.PpgFlat == true));
    }

    [TestMethod]
    public void The_defaults_are_the_policy_the_folds_choose()
    {
        var cv = Data().VerifierCrossValidation!;
        var s = new HeartRateSettings();
        foreach (var (type, chosen) in cv.AllRecordsChoice)
        {
            var bedside = CincEvaluation.Bedside(Enum.Parse<CincAlarmType>(type));
            var defaults = VerifierCrossValidation.Candidates(bedside).Single(c =>
                c.KeepUncertain == ((s.VerifierKeepUncertainMask >> (int)bedside & 1) == 1)
                && (VerifierCandidate.HasLimit(bedside)
                    ? c.RefuteBpm == bedside switch
                    {
                        BedsideAlarm.Bradycardia => s.VerifierBradyRefuteBpm,
                        BedsideAlarm.Tachycardia => s.VerifierTachyRefuteBpm,
                        _ => s.VerifierVtRefuteBpm,
                    }
                    : c.PulseLossConfirms == ((s.VerifierPulseLossConfirmsMask >> (int)bedside & 1) == 1)));
            Assert.AreEqual(chosen, defaults.Name, $"{type}: the defaults differ from the choice on all records");
            var folds = cv.Folds.Where(f => f.AlarmType == type).ToList();
            Assert.AreEqual(SubjectFolds.CincFolds, folds.Count);
            Assert.IsTrue(folds.Count(f => f.Choice.Candidate == chosen) * 2 > folds.Count, $"{type}: most folds choose {chosen}: {string.Join("; ", folds.Select(f => f.Choice.Candidate))}");
            TestContext.WriteLine($"{type}: {chosen}; folds: {string.Join("; ", folds.Select(f => f.Choice.Candidate))}");
        }
        Assert.AreEqual(461, cv.Folds.Sum(f => f.Choice.HeldOut), "every record held out once");
    }

    [TestMethod]
    public void Cross_validated_the_verifier_beats_alarming_always_on_every_type_but_tachycardia_where_it_keeps_every_true_alarm()
    {
        var r = Data();
        var cv = r.VerifierCrossValidation!.Summary;
        foreach (CincAlarmType type in Enum.GetValues<CincAlarmType>())
        {
            var s = TypeScore(cv, type);
            var wearable = ChallengeScore.Table(r.Cinc!.Outcomes).Single(x => x.Name == type.ToString()).Score;
            TestContext.WriteLine($"{type}: verifier TP {s.TruePositives} FN {s.FalseNegatives} FP {s.FalsePositives} TN {s.TrueNegatives} {s.Score:F3} vs always {s.AlwaysAlarm:F3}; wearable {wearable.Score:F3}");
            if (type == CincAlarmType.Tachycardia)
            {
                // 72 of 76 tachycardia alarms are true: beating always needs no missed one and a suppressed false one.
                Assert.AreEqual(0, s.FalseNegatives, "every true tachycardia alarm kept");
                Assert.AreEqual(s.AlwaysAlarm, s.Score, 1e-12, "ties alarming always: no false tachycardia alarm is refuted");
            }
            else Assert.IsTrue(s.BeatsAlwaysAlarm, $"{type}: {s.Score:F3} vs always {s.AlwaysAlarm:F3}");
        }
        // Per type the folds may choose worse than the wearable alone (VT: two folds keep uncertain alarms); over all
        // alarms the verifier scores above it.
        double verifierAll = cv.Table().Single(x => x.Name == "all").Score.Score, wearableAll = ChallengeScore.From(r.Cinc!.Outcomes).Score;
        Assert.IsTrue(verifierAll > wearableAll, $"verifier {verifierAll:F3} vs wearable {wearableAll:F3}");
    }

    [TestMethod]
    public void No_tachycardia_refutation_limit_reaches_a_false_alarm_so_tachycardia_can_only_tie_alarming_always()
    {
        // Why VerifierTachyRefuteBpm is off: the four false tachycardia alarms never end in a clean steady pulse (three
        // are noisy, t409l pulses steadily at 157 bpm), so no limit suppresses one; and with 72 of 76 alarms true,
        // beating alarming always needs a suppressed false alarm and no missed true one.
        var outcomes = Data().Cinc!.Outcomes.Where(o => o.Alarm.AlarmType == CincAlarmType.Tachycardia).ToList();
        Assert.AreEqual(4, outcomes.Count(o => !o.Alarm.TrueAlarm));
        foreach (int limit in VerifierCrossValidation.TachyLimits.Append(new HeartRateSettings().TachycardiaBpm))
        {
            var s = new HeartRateSettings { VerifierTachyRefuteBpm = limit };
            var refuted = outcomes.Where(o => o.Verdict(s) == VerifierVerdict.Refuted).ToList();
            TestContext.WriteLine($"≤ {limit} bpm refutes {refuted.Count}: {string.Join(", ", refuted.Select(o => o.Alarm.RecordId + (o.Alarm.TrueAlarm ? " (true)" : " (false)")))}");
            Assert.IsFalse(refuted.Any(o => !o.Alarm.TrueAlarm), $"a limit of {limit} bpm refutes a false tachycardia alarm");
        }
        var always = ChallengeScore.FromKept(outcomes.Select(o => (o.Alarm.TrueAlarm, true)));
        var oneFewerFalse = new ChallengeScore(always.TruePositives - 1, 1, always.FalsePositives - 4, 4);
        Assert.IsTrue(oneFewerFalse.Score < always.Score, "one missed true alarm costs more than suppressing all four false ones gains");
    }

    [TestMethod]
    public void Json_verifier_records_add_up_and_the_wearable_figures_are_the_chains()
    {
        var r = Data();
        var json = r.ToJsonObject();
        var cinc = (Dictionary<string, object?>)json["cinc2015"]!;
        var verifier = (Dictionary<string, object?>)cinc["bedside_verifier"]!;
        var records = (List<Dictionary<string, object?>>)verifier["per_record"]!;
        Assert.AreEqual(r.Cinc!.Outcomes.Count, records.Count);
        var all = (Dictionary<string, object?>)((Dictionary<string, object?>)verifier["challenge_score"]!)["all"]!;
        foreach (var k in new[] { "TP", "FN", "FP", "TN" })
            Assert.AreEqual(all[k.ToLowerInvariant()], records.Count(x => (string)x["outcome"]! == k), k);
        Assert.AreEqual(all["refuted"], records.Count(x => (string)x["verdict"]! == "refuted"));
        // The wearable's detection of a true alarm confirms it; beyond that only a PPG without pulse confirms, and only
        // asystole and flutter/fibrillation.
        foreach (var o in r.Verifier!.Outcomes.Where(o => o.Alarm.TrueAlarm))
        {
            if (o.Outcome.Detected) Assert.AreEqual(VerifierVerdict.Confirmed, o.Verdict, o.Alarm.RecordId);
            else if (o.Verdict == VerifierVerdict.Confirmed)
                Assert.IsTrue(o.Alarm.AlarmType is CincAlarmType.Asystole or CincAlarmType.VentricularFlutterFib, o.Alarm.RecordId);
        }
        foreach (CincAlarmType t in Enum.GetValues<CincAlarmType>())
            Assert.AreEqual(CincEvaluation.CompatibleMask(t), AlarmVerifier.CompatibleMask(CincEvaluation.Bedside(t)), t.ToString());
    }
}
