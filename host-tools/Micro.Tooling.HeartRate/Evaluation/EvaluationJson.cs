using Micro.HeartRate.Alarms;
using Micro.Tooling.Recordings;

namespace Micro.Tooling.Evaluation;

/// <summary>The JSON form (nested dictionaries) of the CinC, Liu and TROIKA figures, shared by the in-sample and the
/// cross-validated parts of `micro evaluate --json` (docs/evaluation.md lists the keys).</summary>
public static class EvaluationJson
{
    public static IEnumerable<(string Key, object? Value)> Parts(CincSummary? cinc, LiuAlarmSummary? liu, TroikaSummary? troika, bool perRecord)
    {
        if (cinc != null) yield return ("cinc2015", Cinc(cinc, perRecord));
        if (liu != null) yield return ("liu2022", Liu(liu, perRecord));
        if (troika != null) yield return ("troika", Troika(troika, perRecord));
    }

    public static Dictionary<string, object?> Cinc(CincSummary c, bool perRecord)
    {
        var challenge = new Dictionary<string, object?>();
        foreach (var (name, s) in ChallengeScore.Table(c.Outcomes)) challenge[name] = Score(s);
        var visiblePerType = new Dictionary<string, object?>();
        foreach (var g in c.Outcomes.Where(o => o.Alarm.TrueAlarm).GroupBy(o => o.Alarm.AlarmType).OrderBy(g => g.Key))
        {
            int v = g.Count(o => o.Visibility?.Visible == true), d = g.Count(o => o.Visibility?.Visible == true && o.Detected);
            visiblePerType[g.Key.ToString()] = new Dictionary<string, object?> { ["true_alarms"] = g.Count(), ["visible"] = v, ["visible_detected"] = d, ["visible_detection_rate"] = Num(v == 0 ? double.NaN : (double)d / v) };
        }
        var j = new Dictionary<string, object?>
        {
            ["records"] = c.Outcomes.Count,
            ["true_alarms"] = c.TrueAlarms,
            ["detected"] = c.Detected,
            ["true_alarm_sensitivity"] = Num(c.TrueAlarms == 0 ? double.NaN : c.DetectionRate),
            ["false_alarms"] = c.FalseAlarms,
            ["suppressed"] = c.Suppressed,
            ["false_alarm_suppression"] = Num(c.FalseAlarms == 0 ? double.NaN : c.SuppressionRate),
            ["challenge_score"] = challenge,
            ["visibility_labelled_true_alarms"] = c.LabelledTrueAlarms,
            ["visible_true_alarms"] = c.VisibleTrueAlarms,
            ["visible_share_of_true_alarms"] = Num(c.LabelledTrueAlarms == 0 ? double.NaN : (double)c.VisibleTrueAlarms / c.LabelledTrueAlarms),
            ["visible_detected"] = c.VisibleDetected,
            ["visible_detected_from_event_start"] = c.VisibleDetectedFromEventStart,
            ["visible_detection_rate"] = Num(c.VisibleDetectionRate),
            ["visible_per_type"] = visiblePerType,
        };
        if (perRecord) j["per_record"] = c.Outcomes.Select(Record).ToList();
        return j;
    }

    private static Dictionary<string, object?> Record(CincOutcome o)
    {
        var r = new Dictionary<string, object?>
        {
            ["record"] = o.Alarm.RecordId,
            ["alarm_type"] = o.Alarm.AlarmType.ToString(),
            ["true_alarm"] = o.Alarm.TrueAlarm,
            ["outcome"] = o.ChallengeOutcome,
            ["alarm_kept"] = o.Alarm.TrueAlarm ? o.Detected : !o.Suppressed,
            ["clinical_alarms"] = Kinds(o.ClinicalMask),
            ["technical_alerts"] = Kinds(o.TechnicalMask),
        };
        if (o.Visibility is { } v)
        {
            r["visible_in_ppg"] = v.Visible;
            if (o.DetectedFromEventStart is bool fromEvent) r["detected_from_event_start"] = fromEvent;
            r["visibility"] = new Dictionary<string, object?>
            {
                ["ecg_confirms"] = v.EcgConfirms,
                ["ppg_flat"] = v.PpgFlat,
                ["reason"] = v.Reason,
                ["event_s"] = new[] { v.EventStartSeconds, v.EventEndSeconds },
                ["ecg_rate_bpm"] = v.EcgRateBpm,
                ["ppg_rate_bpm"] = v.PpgRateBpm,
                ["ppg_rate_before_bpm"] = v.PpgRateBeforeBpm,
                ["longest_pulse_gap_s"] = v.LongestPulseGapSeconds,
                ["pulse_amplitude"] = v.PulseAmplitude,
                ["pulse_amplitude_before"] = v.PulseAmplitudeBefore,
            };
        }
        return r;
    }

    public static List<string> Kinds(int mask)
    {
        var names = new List<string>();
        for (int k = 0; k < AlarmKinds.Count; k++) if ((mask & (1 << k)) != 0) names.Add(((AlarmKind)k).ToString());
        return names;
    }

    public static Dictionary<string, object?> Liu(LiuAlarmSummary l, bool perRecord)
    {
        var j = new Dictionary<string, object?>
        {
            ["af_segments"] = l.Af,
            ["af_flagged"] = l.AfFlagged,
            ["af_sensitivity"] = Num(l.AfSensitivity),
            ["sinus_segments"] = l.Sinus,
            ["sinus_flagged"] = l.SinusFlagged,
            ["af_specificity"] = Num(l.AfSpecificity),
        };
        if (perRecord && l.Segments.Count > 0)
        {
            j["per_subject"] = l.Segments.GroupBy(s => s.Subject).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            {
                var s = LiuAlarmSummary.From(g.ToList());
                return new Dictionary<string, object?> { ["subject"] = g.Key, ["segments"] = g.Count(), ["af_segments"] = s.Af, ["af_flagged"] = s.AfFlagged, ["sinus_segments"] = s.Sinus, ["sinus_flagged"] = s.SinusFlagged };
            }).ToList();
            j["per_record"] = l.Segments.Select(s => new Dictionary<string, object?>
            {
                ["segment"] = s.SegmentId,
                ["subject"] = s.Subject,
                ["label"] = s.Label,
                ["irregular"] = s.Irregular,
                ["tachycardia"] = s.Tachycardia,
                ["irregularity_permille"] = s.IrregularityPermille,
            }).ToList();
        }
        return j;
    }

    public static Dictionary<string, object?> Troika(TroikaSummary t, bool perRecord)
    {
        var j = new Dictionary<string, object?>
        {
            ["recordings"] = t.Outcomes.Count,
            ["hr_mae_bpm"] = Num(t.MeanAbsoluteError),
            ["windows"] = t.Windows,
            ["windows_estimated"] = t.Estimated,
            ["windows_reported_share"] = Num(t.Coverage),
            ["worst_recording_mae_bpm"] = Num(t.WorstRecordingError),
            ["recordings_within_5bpm_and_90pct_reported"] = t.RecordingsWithin(5, 0.9),
            ["exercise_tachy_alarms"] = t.TachycardiaAlarms,
        };
        if (perRecord)
            j["per_record"] = t.Outcomes.Select(o => new Dictionary<string, object?>
            {
                ["record"] = o.RecordId,
                ["subject"] = SubjectFolds.TroikaSubject(o.RecordId),
                ["mae_bpm"] = Num(o.MeanAbsoluteError),
                ["max_error_bpm"] = Num(o.MaxAbsoluteError),
                ["windows"] = o.Windows,
                ["windows_reported"] = o.Estimated,
                ["windows_reported_share"] = Num(o.Coverage),
                ["tachycardia_alarms"] = o.TachycardiaAlarms,
                ["alarms_raised"] = o.AlarmsRaised,
            }).ToList();
        return j;
    }

    /// <summary>Cold starts (<see cref="ColdStart"/>): the TROIKA figures, per cold start, with what they are.</summary>
    public static Dictionary<string, object?> ColdStart(TroikaSummary t)
    {
        var j = Troika(t, perRecord: true);
        j["figures"] = "each TROIKA recording started " + string.Join(" and ", Recordings.ColdStart.Seconds) + " s in, mid-exercise (id: recording@cut); not part of the per-recording target";
        return j;
    }

    public static Dictionary<string, object?> Score(ChallengeScore s) => new()
    {
        ["tp"] = s.TruePositives,
        ["fn"] = s.FalseNegatives,
        ["fp"] = s.FalsePositives,
        ["tn"] = s.TrueNegatives,
        ["score"] = Num(s.Score),
        ["always_alarm"] = Num(s.AlwaysAlarm),
        ["never_alarm"] = Num(s.NeverAlarm),
        ["beats_always_alarm"] = s.BeatsAlwaysAlarm,
    };

    public static double? Num(double v) => double.IsNaN(v) || double.IsInfinity(v) ? null : Math.Round(v, 4);
}
