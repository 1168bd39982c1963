using System.Text.RegularExpressions;
using Micro.Tooling.Recordings;

namespace Micro.Tooling.Evaluation;

/// <summary>
/// Who each record comes from, for subject-wise cross-validation (docs/evaluation.md):
/// <list type="bullet">
/// <item>TROIKA: DATA_NN_TYPExx is training subject NN; DATA_Sxx_Tyy and TEST_Sxx_Tyy are test-set subject Sxx
/// (the two sets' subject numbers are kept apart: nothing says they are the same people).</item>
/// <item>Liu 2022: the subject column.</item>
/// <item>CinC 2015: the set gives no patient ids; each record counts as its own patient, and records are dealt
/// into <see cref="CincFolds"/> folds round-robin by id within each alarm type (so every fold holds every type).</item>
/// </list>
/// </summary>
public static partial class SubjectFolds
{
    public const int CincFolds = 5;

    /// <summary>The subject of a TROIKA recording (any other id is its own subject).</summary>
    public static string TroikaSubject(string recordId)
    {
        int at = recordId.IndexOf('@', StringComparison.Ordinal);   // a cold start is its recording's subject
        if (at >= 0) recordId = recordId[..at];
        var m = TrainingId().Match(recordId);
        if (m.Success) return "train-" + m.Groups[1].Value;
        m = TestId().Match(recordId);
        if (m.Success) return "test-" + m.Groups[1].Value;
        return recordId; // another naming: the recording is its own subject
    }

    /// <summary>Fold (0..CincFolds−1) of every CinC alarm, by record id.</summary>
    public static Dictionary<string, int> CincFoldOf(IEnumerable<CincAlarm> alarms)
    {
        var fold = new Dictionary<string, int>();
        foreach (var g in alarms.GroupBy(a => a.AlarmType))
        {
            int k = 0;
            foreach (var a in g.OrderBy(a => a.RecordId, StringComparer.Ordinal)) fold[a.RecordId] = k++ % CincFolds;
        }
        return fold;
    }

    [GeneratedRegex("^DATA_([0-9]+)_TYPE[0-9]+$")]
    private static partial Regex TrainingId();

    [GeneratedRegex("^(?:DATA|TEST)_(S[0-9]+)_T[0-9]+$")]
    private static partial Regex TestId();
}
