using System.Globalization;
using System.Reflection;
using System.Text;
using Micro.HeartRate;
using Micro.Tooling.Recordings;

namespace Micro.Tooling.Tuning;

/// <summary>One setting of the tracker: field name = value pairs applied to HeartRateSettings.</summary>
public sealed record TrackerCandidate(IReadOnlyList<KeyValuePair<string, int>> Values)
{
    public HeartRateSettings Settings()
    {
        var s = new HeartRateSettings();
        foreach (var (name, value) in Values)
        {
            var f = typeof(HeartRateSettings).GetField(name, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new ArgumentException($"HeartRateSettings has no field {name}");
            f.SetValue(s, f.FieldType == typeof(bool) ? value != 0 : value);
        }
        return s;
    }

    public override string ToString() => string.Join(" ", Values.Select(v => $"{v.Key.Replace("Tracker", "")}={v.Value}"));
}

/// <summary>The held-out result of one TROIKA recording: the candidate chosen without its subject, and its outcome.</summary>
public sealed record LosoRecording(string RecordId, string Subject, TrackerCandidate Chosen, TroikaOutcome HeldOut, TroikaOutcome InSample);

/// <summary>
/// Leave-one-subject-out choice of the spectral tracker's settings on TROIKA. Every candidate runs the whole
/// chain (<see cref="TroikaEvaluation"/>) on every recording once; then, for each subject, the candidate with
/// the best score on the other subjects' recordings is applied to that subject's recordings. Score: the mean of
/// the per-recording MAE (each recording weighs the same, so a long easy one cannot hide a failing one) plus
/// the largest, and 100 bpm for each recording under the coverage floor (share of reference windows with a
/// rate). The in-sample figure is the candidate that scores best on all recordings.
/// </summary>
public static class TrackerLoso
{
    /// <summary>Share of reference windows a candidate must cover on every training recording: above the 90 %
    /// target, so that a gate chosen on some subjects keeps the target on another.</summary>
    public const double CoverageFloor = 0.95;

    /// <summary>The person a TROIKA recording comes from: DATA_NN_TYPExx is training subject NN; DATA_Sxx_Tyy
    /// and TEST_Sxx_Tyy are test-set subject Sxx (the extra training recording S04_T01 is the same person as
    /// TEST_S04_T02).</summary>
    public static string SubjectOf(string recordId)
    {
        var parts = recordId.Split('_');
        if (parts.Length >= 3 && parts[1].StartsWith('S')) return parts[1];
        if (parts.Length >= 2 && parts[0] == "DATA") return "train" + parts[1];
        return recordId;
    }

    /// <summary>The Cartesian product of the values given per field.</summary>
    public static List<TrackerCandidate> Grid(IReadOnlyList<KeyValuePair<string, int[]>> axes)
    {
        var list = new List<TrackerCandidate> { new(Array.Empty<KeyValuePair<string, int>>()) };
        foreach (var (name, values) in axes)
            list = list.SelectMany(c => values.Select(v => new TrackerCandidate(c.Values.Append(new KeyValuePair<string, int>(name, v)).ToList()))).ToList();
        return list;
    }

    /// <summary>outcomes[c][r]: candidate c on recording r (parallel over both).</summary>
    public static TroikaOutcome[][] RunAll(IReadOnlyList<TroikaRecording> recordings, IReadOnlyList<TrackerCandidate> candidates)
    {
        var result = new TroikaOutcome[candidates.Count][];
        for (int c = 0; c < candidates.Count; c++) result[c] = new TroikaOutcome[recordings.Count];
        Parallel.For(0, candidates.Count * recordings.Count, i =>
        {
            int c = i / recordings.Count, r = i % recordings.Count;
            result[c][r] = TroikaEvaluation.EvaluateOne(recordings[r], candidates[c].Settings());
        });
        return result;
    }

    public static double Coverage(TroikaOutcome o) => o.Windows == 0 ? 0 : (double)o.Estimated / o.Windows;

    /// <summary>Score of a candidate's outcomes on the recordings selected (lower is better).</summary>
    public static double Score(TroikaOutcome[] outcomes, Func<int, bool> use)
    {
        double sum = 0, max = 0;
        int n = 0;
        for (int r = 0; r < outcomes.Length; r++)
        {
            if (!use(r)) continue;
            var o = outcomes[r];
            double mae = double.IsNaN(o.MeanAbsoluteError) ? 100 : o.MeanAbsoluteError;
            if (Coverage(o) < CoverageFloor) mae += 100;
            sum += mae;
            max = Math.Max(max, mae);
            n++;
        }
        return n == 0 ? 0 : sum / n + max;
    }

    public static int Best(TroikaOutcome[][] outcomes, Func<int, bool> use)
    {
        int best = 0;
        double bestScore = double.MaxValue;
        for (int c = 0; c < outcomes.Length; c++)
        {
            double s = Score(outcomes[c], use);
            if (s < bestScore)
            {
                bestScore = s;
                best = c;
            }
        }
        return best;
    }

    /// <summary>Leave-one-subject-out over the candidates' outcomes.</summary>
    public static List<LosoRecording> Loso(IReadOnlyList<TroikaRecording> recordings, IReadOnlyList<TrackerCandidate> candidates, TroikaOutcome[][] outcomes)
    {
        var subjects = recordings.Select(r => SubjectOf(r.RecordId)).ToArray();
        int inSample = Best(outcomes, _ => true);
        var list = new List<LosoRecording>();
        foreach (string subject in subjects.Distinct())
        {
            int chosen = Best(outcomes, r => subjects[r] != subject);
            for (int r = 0; r < recordings.Count; r++)
                if (subjects[r] == subject)
                    list.Add(new LosoRecording(recordings[r].RecordId, subject, candidates[chosen], outcomes[chosen][r], outcomes[inSample][r]));
        }
        return list.OrderBy(l => l.RecordId, StringComparer.Ordinal).ToList();
    }

    /// <summary>A table: per recording the held-out and the in-sample MAE and coverage, then the means.</summary>
    public static string Describe(IReadOnlyList<LosoRecording> rows)
    {
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.AppendLine("recording         subject   LOSO MAE  cover   in-sample MAE  cover   chosen without the subject");
        foreach (var r in rows)
            sb.AppendLine(string.Format(ci, "{0,-17} {1,-8} {2,8:F2} {3,6:P0}   {4,13:F2} {5,6:P0}   {6}", r.RecordId, r.Subject,
                r.HeldOut.MeanAbsoluteError, Coverage(r.HeldOut), r.InSample.MeanAbsoluteError, Coverage(r.InSample), r.Chosen));
        sb.AppendLine(string.Format(ci, "LOSO: mean {0:F2}, worst {1:F2} bpm, windows {2:P1}; in-sample: mean {3:F2}, worst {4:F2} bpm, windows {5:P1}",
            rows.Average(r => r.HeldOut.MeanAbsoluteError), rows.Max(r => r.HeldOut.MeanAbsoluteError),
            (double)rows.Sum(r => r.HeldOut.Estimated) / rows.Sum(r => r.HeldOut.Windows),
            rows.Average(r => r.InSample.MeanAbsoluteError), rows.Max(r => r.InSample.MeanAbsoluteError),
            (double)rows.Sum(r => r.InSample.Estimated) / rows.Sum(r => r.InSample.Windows)));
        return sb.ToString();
    }
}
