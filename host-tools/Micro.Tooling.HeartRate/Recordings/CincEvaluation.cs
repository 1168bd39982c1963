using Micro.HeartRate;
using Micro.HeartRate.Alarms;
using Micro.HeartRate.Model;
using Micro.HeartRate.Signal;

namespace Micro.Tooling.Recordings;

/// <summary>What the chain did with one CinC alarm record. PulseLooksNormal: after a 5 s warm-up every
/// step saw a beat rate of 45..130 bpm and no pause over 2.5 s, i.e. the PPG alone shows nothing wrong.</summary>
public sealed record CincOutcome(CincAlarm Alarm, int RaisedMask, bool PulseLooksNormal)
{
    /// <summary>Clinical alarms raised (brady, tachy, irregular, no pulse).</summary>
    public int ClinicalMask => RaisedMask & AlarmKinds.ClinicalMask;

    /// <summary>True alarm: a compatible clinical alarm was raised.</summary>
    public bool Detected => (ClinicalMask & CincEvaluation.CompatibleMask(Alarm.AlarmType)) != 0;

    /// <summary>False alarm: no clinical alarm was raised in the 16 s.</summary>
    public bool Suppressed => ClinicalMask == 0;

    /// <summary>False alarm with no alarm at all, technical ones included.</summary>
    public bool FullySuppressed => RaisedMask == 0;

    /// <summary>Technical alerts raised (sensor off, model fault): never counted as clinical alarms.</summary>
    public int TechnicalMask => RaisedMask & ~AlarmKinds.ClinicalMask;

    /// <summary>Whether the alarm is kept (any clinical alarm raised for a false one, a compatible one for a
    /// true one), as the challenge scores it: TP, FN, FP or TN.</summary>
    public string ChallengeOutcome => Alarm.TrueAlarm ? (Detected ? "TP" : "FN") : (Suppressed ? "TN" : "FP");

    /// <summary>For a true alarm, whether its event shows in the PPG (offline ECG + PPG label, evaluation only);
    /// null for false alarms or when not labelled.</summary>
    public Micro.Tooling.Evaluation.Visibility.PpgVisibility? Visibility { get; init; }

    /// <summary>For a true alarm whose event the label finds visible: whether a compatible alarm was raised, or still
    /// active, at a step from the ECG event's start on (a detection that is about the event, not an earlier
    /// episode); null otherwise.</summary>
    public bool? DetectedFromEventStart { get; init; }

    /// <summary>The bedside alarm verifier after observing every step of the record (null when it did not run):
    /// its verdict on this record's alarm under any verifier settings is Verifier.Verify(BedsideAlarm, settings).</summary>
    public AlarmVerifier? Verifier { get; init; }

    /// <summary>The verifier's verdict on the record's alarm with the given settings' verifier limits.</summary>
    public VerifierVerdict Verdict(HeartRateSettings settings) =>
        (Verifier ?? throw new InvalidOperationException($"{Alarm.RecordId}: the verifier did not run")).Verify(CincEvaluation.Bedside(Alarm.AlarmType), settings);

    /// <summary>Whether the verifier keeps the record's alarm with the given settings.</summary>
    public bool VerifierKeeps(HeartRateSettings settings) =>
        AlarmVerifier.Keeps(Verdict(settings), CincEvaluation.Bedside(Alarm.AlarmType), settings.VerifierKeepUncertainMask);
}

/// <summary>Detection and suppression rates over a set of CinC records.</summary>
public sealed record CincSummary(IReadOnlyList<CincOutcome> Outcomes)
{
    public int TrueAlarms => Outcomes.Count(o => o.Alarm.TrueAlarm);

    public int Detected => Outcomes.Count(o => o.Alarm.TrueAlarm && o.Detected);

    public int FalseAlarms => Outcomes.Count(o => !o.Alarm.TrueAlarm);

    public int Suppressed => Outcomes.Count(o => !o.Alarm.TrueAlarm && o.Suppressed);

    public int FullySuppressed => Outcomes.Count(o => !o.Alarm.TrueAlarm && o.FullySuppressed);

    public double DetectionRate => TrueAlarms == 0 ? 0 : (double)Detected / TrueAlarms;

    public double SuppressionRate => FalseAlarms == 0 ? 0 : (double)Suppressed / FalseAlarms;

    public double FullSuppressionRate => FalseAlarms == 0 ? 0 : (double)FullySuppressed / FalseAlarms;

    /// <summary>True alarms whose event the offline label finds visible in the PPG.</summary>
    public int VisibleTrueAlarms => Outcomes.Count(o => o.Alarm.TrueAlarm && o.Visibility?.Visible == true);

    /// <summary>Of those, the ones detected.</summary>
    public int VisibleDetected => Outcomes.Count(o => o.Alarm.TrueAlarm && o.Visibility?.Visible == true && o.Detected);

    /// <summary>Visible true alarms with a compatible alarm raised or active from the ECG event's start on.</summary>
    public int VisibleDetectedFromEventStart => Outcomes.Count(o => o.Alarm.TrueAlarm && o.Visibility?.Visible == true && o.DetectedFromEventStart == true);

    public double VisibleDetectionRate => VisibleTrueAlarms == 0 ? double.NaN : (double)VisibleDetected / VisibleTrueAlarms;

    /// <summary>True alarms that carry a visibility label.</summary>
    public int LabelledTrueAlarms => Outcomes.Count(o => o.Alarm.TrueAlarm && o.Visibility != null);

    /// <summary>True alarms whose PPG looks normal throughout (no PPG-only rule can catch them).</summary>
    public int TrueAlarmsWithNormalPulse => Outcomes.Count(o => o.Alarm.TrueAlarm && o.PulseLooksNormal);

    /// <summary>One line per alarm type: detected/true and suppressed/false.</summary>
    public string Describe()
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"true alarms detected {Detected}/{TrueAlarms} ({DetectionRate:P1}); false alarms suppressed {Suppressed}/{FalseAlarms} ({SuppressionRate:P1}; {FullSuppressionRate:P1} counting technical alerts)");
        sb.AppendLine($"  true alarms whose PPG looks normal throughout (45..130 bpm, no pause > 2.5 s): {TrueAlarmsWithNormalPulse}/{TrueAlarms}");
        foreach (var g in Outcomes.GroupBy(o => o.Alarm.AlarmType).OrderBy(g => g.Key))
        {
            int t = g.Count(o => o.Alarm.TrueAlarm), d = g.Count(o => o.Alarm.TrueAlarm && o.Detected);
            int f = g.Count(o => !o.Alarm.TrueAlarm), s = g.Count(o => !o.Alarm.TrueAlarm && o.Suppressed);
            int normal = g.Count(o => o.Alarm.TrueAlarm && o.PulseLooksNormal);
            sb.AppendLine($"  {g.Key}: detected {d}/{t} ({normal} of them with a normal-looking pulse), suppressed {s}/{f}");
        }
        return sb.ToString();
    }
}

/// <summary>
/// Runs the chain over the CinC 2015 records (16 s before each monitor alarm) and scores it: a true alarm
/// is detected when a compatible alarm is raised (asystole → no pulse; bradycardia → bradycardia or no
/// pulse; tachycardia → tachycardia; ventricular tachycardia → tachycardia, irregular or no pulse;
/// ventricular flutter/fibrillation → no pulse or tachycardia); a false alarm is suppressed when no
/// clinical alarm is raised.
/// </summary>
public static class CincEvaluation
{
    /// <summary>The clinical alarms that count for a CinC alarm type: the bedside verifier's table (AlarmVerifier.CompatibleMask).</summary>
    public static int CompatibleMask(CincAlarmType type) => AlarmVerifier.CompatibleMask(Bedside(type));

    /// <summary>The bedside alarm type the verifier checks for a CinC alarm type.</summary>
    public static BedsideAlarm Bedside(CincAlarmType type) => type switch
    {
        CincAlarmType.Asystole => BedsideAlarm.Asystole,
        CincAlarmType.Bradycardia => BedsideAlarm.Bradycardia,
        CincAlarmType.Tachycardia => BedsideAlarm.Tachycardia,
        CincAlarmType.VentricularTachycardia => BedsideAlarm.VentricularTachycardia,
        CincAlarmType.VentricularFlutterFib => BedsideAlarm.VentricularFlutterFib,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown CinC alarm type"),
    };

    public static CincOutcome EvaluateOne(string folder, CincAlarm alarm, HeartRateSettings? template = null, IRhythmClassifier? classifier = null)
    {
        var recording = CincDataset.ReadRecording(folder, alarm);
        var (outcome, _) = Run(alarm, recording, template, classifier);
        return outcome;
    }

    /// <summary>Runs the chain, and the bedside verifier beside it, over one alarm record: the outcome (with its
    /// verifier) and the chain's steps.</summary>
    public static (CincOutcome Outcome, List<StepReport> Steps) Run(CincAlarm alarm, Recording recording, HeartRateSettings? template = null,
        IRhythmClassifier? classifier = null)
    {
        var verifier = new AlarmVerifier(template ?? new HeartRateSettings());
        var steps = ChainHarness.Run(recording, template, classifier, afterStep: m => verifier.Observe(m.Result, m.Policy));
        return (Score(alarm, steps) with { Verifier = verifier }, steps);
    }

    /// <summary>The outcome of one alarm record from the chain's steps: the alarms raised, and whether the
    /// PPG looked normal (plausible beat rate, beats, no flat line or lost pulse) after the first 5 s.</summary>
    public static CincOutcome Score(CincAlarm alarm, IReadOnlyList<StepReport> steps)
    {
        bool normal = steps.Count > 5 && steps.Skip(5).All(s =>
            s.BeatRateBpm >= 45 && s.BeatRateBpm <= 130 && s.MsSinceBeat < 2500
            && s.Quality != SignalQuality.Flat && s.Quality != SignalQuality.NoPulse);
        return new CincOutcome(alarm, ChainHarness.RaisedMask(steps), normal);
    }

    /// <summary>Whether a step at or after fromSeconds (from the record's start) raised, or still had active, an alarm
    /// compatible with the alarm's type.</summary>
    public static bool CompatibleFrom(CincAlarm alarm, IReadOnlyList<StepReport> steps, double fromSeconds)
    {
        var from = steps.Where(s => s.TimeSeconds >= fromSeconds).ToList();
        int seen = ChainHarness.RaisedMask(from);
        foreach (var s in from) seen |= s.ActiveAlarms;
        return (seen & CompatibleMask(alarm.AlarmType)) != 0;
    }

    public static CincSummary Evaluate(string folder, HeartRateSettings? template = null, IRhythmClassifier? classifier = null)
    {
        var outcomes = new List<CincOutcome>();
        foreach (var alarm in CincDataset.ReadLabels(folder)) outcomes.Add(EvaluateOne(folder, alarm, template, classifier));
        return new CincSummary(outcomes);
    }
}
