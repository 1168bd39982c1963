using Micro.Tooling.Recordings;

namespace Micro.Tooling.Evaluation;

/// <summary>
/// The PhysioNet/CinC 2015 challenge score over a set of alarms: score = (TP + TN) / (TP + TN + FP + 5·FN),
/// a missed true alarm weighing five false ones. An alarm is kept when the chain raises a clinical alarm
/// (bradycardia, tachycardia, irregular, no pulse) — for a true alarm one compatible with its type
/// (<see cref="CincEvaluation.CompatibleMask"/>). Technical alerts (sensor off, model fault) keep nothing.
/// The baselines: alarming always (every alarm kept: TP = true, FP = false) and never (TN = false, FN = true).
/// </summary>
public readonly record struct ChallengeScore(int TruePositives, int FalseNegatives, int FalsePositives, int TrueNegatives)
{
    public int Alarms => TruePositives + FalseNegatives + FalsePositives + TrueNegatives;

    public double Score => Of(TruePositives, FalseNegatives, FalsePositives, TrueNegatives);

    /// <summary>Score of keeping every alarm (the monitor as it is).</summary>
    public double AlwaysAlarm => Of(TruePositives + FalseNegatives, 0, FalsePositives + TrueNegatives, 0);

    /// <summary>Score of suppressing every alarm.</summary>
    public double NeverAlarm => Of(0, TruePositives + FalseNegatives, 0, FalsePositives + TrueNegatives);

    /// <summary>Whether the chain scores above alarming always (the target, per type).</summary>
    public bool BeatsAlwaysAlarm => Score > AlwaysAlarm;

    public static ChallengeScore From(IEnumerable<CincOutcome> outcomes)
    {
        int tp = 0, fn = 0, fp = 0, tn = 0;
        foreach (var o in outcomes)
        {
            if (o.Alarm.TrueAlarm) { if (o.Detected) tp++; else fn++; }
            else if (o.Suppressed) tn++;
            else fp++;
        }
        return new ChallengeScore(tp, fn, fp, tn);
    }

    /// <summary>Counts from (true alarm, kept) pairs: the bedside verifier's framing, where every alarm is the
    /// monitor's and the verifier keeps or suppresses it.</summary>
    public static ChallengeScore FromKept(IEnumerable<(bool TrueAlarm, bool Kept)> alarms)
    {
        int tp = 0, fn = 0, fp = 0, tn = 0;
        foreach (var (isTrue, kept) in alarms)
        {
            if (isTrue) { if (kept) tp++; else fn++; }
            else if (kept) fp++;
            else tn++;
        }
        return new ChallengeScore(tp, fn, fp, tn);
    }

    /// <summary>Overall, then one per alarm type present (in enum order).</summary>
    public static IReadOnlyList<(string Name, ChallengeScore Score)> Table(IReadOnlyList<CincOutcome> outcomes)
    {
        var rows = new List<(string, ChallengeScore)> { ("all", From(outcomes)) };
        foreach (var g in outcomes.GroupBy(o => o.Alarm.AlarmType).OrderBy(g => g.Key)) rows.Add((g.Key.ToString(), From(g)));
        return rows;
    }

    private static double Of(int tp, int fn, int fp, int tn)
    {
        double denominator = tp + tn + fp + 5.0 * fn;
        return denominator == 0 ? double.NaN : (tp + tn) / denominator;
    }
}
