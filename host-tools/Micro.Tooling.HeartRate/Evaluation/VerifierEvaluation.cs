using Micro.HeartRate;
using Micro.HeartRate.Alarms;
using Micro.Tooling.Recordings;

namespace Micro.Tooling.Evaluation;

/// <summary>The bedside verifier's decision on one CinC alarm record.</summary>
public sealed record VerifierOutcome(CincOutcome Outcome, VerifierVerdict Verdict, bool Kept)
{
    public CincAlarm Alarm => Outcome.Alarm;

    /// <summary>TP, FN, FP or TN as the challenge scores it (kept true alarm, suppressed true alarm, ...).</summary>
    public string ChallengeOutcome => Alarm.TrueAlarm ? (Kept ? "TP" : "FN") : (Kept ? "FP" : "TN");
}

/// <summary>
/// The CinC 2015 alarms as the challenge frames them: the bedside monitor raised each alarm from the ECG and the
/// verifier (<see cref="AlarmVerifier"/>, fed the wearable chain's steps) keeps or suppresses it. The wearable's
/// own figures (<see cref="CincSummary"/>) are a different question: did the wrist alone raise the alarm.
/// </summary>
public sealed record VerifierSummary(IReadOnlyList<VerifierOutcome> Outcomes)
{
    /// <summary>Every record's verdict and decision with one set of verifier settings.</summary>
    public static VerifierSummary From(IEnumerable<CincOutcome> outcomes, HeartRateSettings settings) =>
        new(outcomes.Select(o => Decide(o, settings)).ToList());

    public static VerifierOutcome Decide(CincOutcome o, HeartRateSettings settings)
    {
        var verdict = o.Verdict(settings);
        return new VerifierOutcome(o, verdict, AlarmVerifier.Keeps(verdict, CincEvaluation.Bedside(o.Alarm.AlarmType), settings.VerifierKeepUncertainMask));
    }

    public static ChallengeScore Score(IEnumerable<VerifierOutcome> outcomes) => ChallengeScore.FromKept(outcomes.Select(o => (o.Alarm.TrueAlarm, o.Kept)));

    /// <summary>Overall, then one row per alarm type present (in enum order).</summary>
    public IReadOnlyList<(string Name, ChallengeScore Score)> Table()
    {
        var rows = new List<(string, ChallengeScore)> { ("all", Score(Outcomes)) };
        foreach (var g in Outcomes.GroupBy(o => o.Alarm.AlarmType).OrderBy(g => g.Key)) rows.Add((g.Key.ToString(), Score(g)));
        return rows;
    }

    public IEnumerable<VerifierOutcome> OfType(string name) => name == "all" ? Outcomes : Outcomes.Where(o => o.Alarm.AlarmType.ToString() == name);

    public int FalseAlarms => Outcomes.Count(o => !o.Alarm.TrueAlarm);

    /// <summary>False alarms the verifier suppressed.</summary>
    public int Suppressed => Outcomes.Count(o => !o.Alarm.TrueAlarm && !o.Kept);

    public double SuppressionRate => FalseAlarms == 0 ? double.NaN : (double)Suppressed / FalseAlarms;

    /// <summary>True alarms whose event the offline label finds visible in the PPG.</summary>
    public int VisibleTrueAlarms => Outcomes.Count(o => o.Alarm.TrueAlarm && o.Outcome.Visibility?.Visible == true);

    /// <summary>Of those, the ones the verifier kept.</summary>
    public int VisibleKept => Outcomes.Count(o => o.Alarm.TrueAlarm && o.Outcome.Visibility?.Visible == true && o.Kept);

    /// <summary>Of those, the ones the chain confirmed (raised a compatible alarm): the wearable's visible detection.</summary>
    public int VisibleConfirmed => Outcomes.Count(o => o.Alarm.TrueAlarm && o.Outcome.Visibility?.Visible == true && o.Verdict == VerifierVerdict.Confirmed);

    public int Count(VerifierVerdict v) => Outcomes.Count(o => o.Verdict == v);

    /// <summary>Verdict counts of a set of outcomes, e.g. "confirmed 20, refuted 31, uncertain 11".</summary>
    public static string Verdicts(IEnumerable<VerifierOutcome> outcomes)
    {
        var list = outcomes.ToList();
        return $"confirmed {list.Count(o => o.Verdict == VerifierVerdict.Confirmed)}, refuted {list.Count(o => o.Verdict == VerifierVerdict.Refuted)}, uncertain {list.Count(o => o.Verdict == VerifierVerdict.Uncertain)}";
    }

    /// <summary>The JSON form: the score per type (with verdict counts), suppression, visible alarms kept, and
    /// every record's verdict and decision.</summary>
    public Dictionary<string, object?> ToJsonObject(string figures)
    {
        var perType = new Dictionary<string, object?>();
        foreach (var (name, s) in Table())
        {
            var g = OfType(name).ToList();
            var j = EvaluationJson.Score(s);
            j["confirmed"] = g.Count(o => o.Verdict == VerifierVerdict.Confirmed);
            j["refuted"] = g.Count(o => o.Verdict == VerifierVerdict.Refuted);
            j["uncertain"] = g.Count(o => o.Verdict == VerifierVerdict.Uncertain);
            j["false_alarms_suppressed"] = g.Count(o => !o.Alarm.TrueAlarm && !o.Kept);
            j["visible_true_alarms"] = g.Count(o => o.Alarm.TrueAlarm && o.Outcome.Visibility?.Visible == true);
            j["visible_kept"] = g.Count(o => o.Alarm.TrueAlarm && o.Outcome.Visibility?.Visible == true && o.Kept);
            j["beats_always_alarm"] = s.BeatsAlwaysAlarm;
            perType[name] = j;
        }
        return new Dictionary<string, object?>
        {
            ["figures"] = figures,
            ["false_alarms"] = FalseAlarms,
            ["false_alarms_suppressed"] = Suppressed,
            ["false_alarm_suppression"] = EvaluationJson.Num(SuppressionRate),
            ["visible_true_alarms"] = VisibleTrueAlarms,
            ["visible_kept"] = VisibleKept,
            ["visible_confirmed"] = VisibleConfirmed,
            ["challenge_score"] = perType,
            ["per_record"] = Outcomes.Select(o => new Dictionary<string, object?>
            {
                ["record"] = o.Alarm.RecordId,
                ["alarm_type"] = o.Alarm.AlarmType.ToString(),
                ["true_alarm"] = o.Alarm.TrueAlarm,
                ["verdict"] = o.Verdict.ToString().ToLowerInvariant(),
                ["kept"] = o.Kept,
                ["outcome"] = o.ChallengeOutcome,
            }).ToList(),
        };
    }
}
