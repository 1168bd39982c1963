using Micro.HeartRate;
using Micro.HeartRate.Alarms;
using Micro.Tooling.Recordings;
using Micro.Tooling.Training;

namespace Micro.Tooling.Evaluation;

/// <summary>One Liu 2022 segment through the whole alarm: irregular evidence and tachycardia at its end.</summary>
public sealed record LiuSegmentOutcome(string SegmentId, string Subject, string Label, bool Irregular, bool Tachycardia, int IrregularityPermille);

/// <summary>Liu 2022 segments through the whole alarm (10 s from cold each): AF separation and tachycardia on SVT/VT.</summary>
public sealed record LiuAlarmSummary(int Af, int AfFlagged, int Sinus, int SinusFlagged, int Ectopic, int EctopicFlagged,
    int Svt, int SvtTachy, int Vt, int VtTachy)
{
    /// <summary>Every segment's outcome (empty when the summary was built from counts).</summary>
    public IReadOnlyList<LiuSegmentOutcome> Segments { get; init; } = Array.Empty<LiuSegmentOutcome>();

    /// <summary>(sensitivity + specificity) / 2 for AF against sinus rhythm.</summary>
    public double AfBalancedAccuracy => (AfSensitivity + AfSpecificity) / 2;

    public static LiuAlarmSummary From(IReadOnlyList<LiuSegmentOutcome> segments)
    {
        int af = 0, afF = 0, sin = 0, sinF = 0, ect = 0, ectF = 0, svt = 0, svtT = 0, vt = 0, vtT = 0;
        foreach (var seg in segments)
        {
            switch (seg.Label)
            {
                case "atrial_fibrillation": af++; if (seg.Irregular) afF++; break;
                case "sinus_rhythm": sin++; if (seg.Irregular) sinF++; break;
                case "PVC": case "PAC": ect++; if (seg.Irregular) ectF++; break;
                case "SVT": svt++; if (seg.Tachycardia) svtT++; break;
                case "ventricular_tachycardia": vt++; if (seg.Tachycardia) vtT++; break;
            }
        }
        return new LiuAlarmSummary(af, afF, sin, sinF, ect, ectF, svt, svtT, vt, vtT) { Segments = segments };
    }

    public double AfSensitivity => Af == 0 ? double.NaN : (double)AfFlagged / Af;
    public double AfSpecificity => Sinus == 0 ? double.NaN : 1.0 - (double)SinusFlagged / Sinus;
    public double EctopicFlaggedShare => Ectopic == 0 ? double.NaN : (double)EctopicFlagged / Ectopic;
    public double SvtTachyShare => Svt == 0 ? double.NaN : (double)SvtTachy / Svt;
    public double VtTachyShare => Vt == 0 ? double.NaN : (double)VtTachy / Vt;
}

/// <summary>
/// Early-exit accounting. A window is a classification opportunity: a step with a full window, at the
/// monitor's model cadence (ModelIntervalSeconds). The baseline runs the full network on every window.
/// </summary>
public sealed class ExitHeadAccount
{
    public long Steps;              // steps with a full window
    public long GateSkipped;        // of those, steps where the cheap gate said no network
    public long BaselineRuns;       // windows at the model cadence
    public long ModelRuns;
    public long ExitRuns;           // runs answered by an exit head
    public long Macs;               // MACs actually executed
    public long FullMacs;           // MACs of one full network
    public long NormalSteps, NormalGateSkipped, NormalBaselineRuns, NormalModelRuns, NormalExitRuns, NormalMacs;

    public double GateShare => Steps == 0 ? double.NaN : (double)GateSkipped / Steps;
    public double ExitShare => ModelRuns == 0 ? double.NaN : (double)ExitRuns / ModelRuns;
    public double MacsSavedShare => BaselineRuns == 0 || FullMacs == 0 ? double.NaN : 1.0 - (double)Macs / (BaselineRuns * FullMacs);
    public double NormalGateShare => NormalSteps == 0 ? double.NaN : (double)NormalGateSkipped / NormalSteps;
    public double NormalMacsSavedShare => NormalBaselineRuns == 0 || FullMacs == 0 ? double.NaN : 1.0 - (double)NormalMacs / (NormalBaselineRuns * FullMacs);
}

/// <summary>Everything `micro evaluate` measures; a part is null when its data folder is absent. The figures are
/// in-sample (the settings were not chosen on held-out data) unless they come from <see cref="CrossValidation"/>.</summary>
public sealed record AlarmEvaluationReport(string? ModelName, CincSummary? Cinc, LiuAlarmSummary? Liu, TroikaSummary? Troika, ExitHeadAccount Exits)
{
    /// <summary>The cross-validated figures (micro evaluate --cv), or null.</summary>
    public CrossValidationReport? CrossValidation { get; init; }

    /// <summary>The TROIKA recordings started late (<see cref="ColdStart"/>), in-sample; null without TROIKA.</summary>
    public TroikaSummary? TroikaColdStart { get; init; }

    /// <summary>The CinC alarms as the challenge frames them (the bedside monitor's alarm kept or suppressed by
    /// <see cref="Micro.HeartRate.Alarms.AlarmVerifier"/>), in-sample with the report's settings; null without CinC.</summary>
    public VerifierSummary? Verifier { get; init; }

    /// <summary>The verifier's cross-validated figures (micro evaluate --cv), or null.</summary>
    public VerifierCrossValidationReport? VerifierCrossValidation { get; init; }

    /// <summary>The report as nested objects (JSON keys cinc2015.true_alarm_sensitivity, ...).</summary>
    public Dictionary<string, object?> ToJsonObject()
    {
        var root = new Dictionary<string, object?> { ["model"] = ModelName, ["figures"] = "in-sample: default settings, measured on the data they were developed on" };
        foreach (var (k, v) in EvaluationJson.Parts(Cinc, Liu, Troika, perRecord: true)) root[k] = v;
        if (Cinc != null && root["cinc2015"] is Dictionary<string, object?> cj)
        {
            var perType = new Dictionary<string, object?>();
            foreach (var g in Cinc.Outcomes.GroupBy(o => o.Alarm.AlarmType).OrderBy(g => g.Key))
            {
                int t = g.Count(o => o.Alarm.TrueAlarm), d = g.Count(o => o.Alarm.TrueAlarm && o.Detected);
                int f = g.Count(o => !o.Alarm.TrueAlarm), s = g.Count(o => !o.Alarm.TrueAlarm && o.Suppressed);
                perType[g.Key.ToString()] = new Dictionary<string, object?>
                {
                    ["true_alarms"] = t,
                    ["detected"] = d,
                    ["true_alarm_sensitivity"] = Num(t == 0 ? double.NaN : (double)d / t),
                    ["false_alarms"] = f,
                    ["suppressed"] = s,
                    ["false_alarm_suppression"] = Num(f == 0 ? double.NaN : (double)s / f),
                };
            }
            var legacy = new Dictionary<string, object?>
            {
                ["records"] = Cinc.Outcomes.Count,
                ["true_alarms"] = Cinc.TrueAlarms,
                ["detected"] = Cinc.Detected,
                ["true_alarm_sensitivity"] = Num(Cinc.DetectionRate),
                ["false_alarms"] = Cinc.FalseAlarms,
                ["suppressed"] = Cinc.Suppressed,
                ["false_alarm_suppression"] = Num(Cinc.SuppressionRate),
                ["false_alarm_suppression_with_technical"] = Num(Cinc.FullSuppressionRate),
                ["true_alarms_with_normal_looking_pulse"] = Cinc.TrueAlarmsWithNormalPulse,
                ["per_type"] = perType,
            };
            foreach (var (k, v) in legacy) cj.TryAdd(k, v);
        }
        if (Liu != null && root["liu2022"] is Dictionary<string, object?> lj)
        {
            var legacy = new Dictionary<string, object?>
            {
                ["af_segments"] = Liu.Af,
                ["af_sensitivity"] = Num(Liu.AfSensitivity),
                ["sinus_segments"] = Liu.Sinus,
                ["af_specificity"] = Num(Liu.AfSpecificity),
                ["ectopic_segments"] = Liu.Ectopic,
                ["ectopic_flagged_irregular"] = Num(Liu.EctopicFlaggedShare),
                ["svt_segments"] = Liu.Svt,
                ["svt_tachycardia_detected"] = Num(Liu.SvtTachyShare),
                ["vt_segments"] = Liu.Vt,
                ["vt_tachycardia_detected"] = Num(Liu.VtTachyShare),
            };
            foreach (var (k, v) in legacy) lj.TryAdd(k, v);
        }
        if (Troika != null && root["troika"] is Dictionary<string, object?> tj)
        {
            var legacy = new Dictionary<string, object?>
            {
                ["recordings"] = Troika.Outcomes.Count,
                ["hr_mae_bpm"] = Num(Troika.MeanAbsoluteError),
                ["windows"] = Troika.Windows,
                ["windows_estimated"] = Troika.Estimated,
                ["exercise_tachy_alarms"] = Troika.TachycardiaAlarms,
                ["alarms_raised"] = Troika.Outcomes.Sum(o => o.AlarmsRaised),
            };
            foreach (var (k, v) in legacy) tj.TryAdd(k, v);
        }
        var x = Exits;
        root["early_exit"] = new Dictionary<string, object?>
        {
            ["windows"] = x.Steps,
            ["gate_share"] = Num(x.GateShare),
            ["model_runs"] = x.ModelRuns,
            ["exit_share"] = Num(x.ExitShare),
            ["full_network_macs"] = x.FullMacs,
            ["macs_executed"] = x.Macs,
            ["baseline_runs"] = x.BaselineRuns,
            ["macs_saved_share"] = Num(x.MacsSavedShare),
            ["normal_windows"] = x.NormalSteps,
            ["gate_share_normal"] = Num(x.NormalGateShare),
            ["macs_saved_share_normal"] = Num(x.NormalMacsSavedShare),
        };
        if (TroikaColdStart != null) root["troika_cold_start"] = EvaluationJson.ColdStart(TroikaColdStart);
        if (CrossValidation != null) root["cross_validation"] = CrossValidation.ToJsonObject();
        if (Verifier != null && root["cinc2015"] is Dictionary<string, object?> vj)
            vj["bedside_verifier"] = Verifier.ToJsonObject("in-sample: the bedside monitor's alarm kept or suppressed by the verifier with the default settings");
        if (VerifierCrossValidation != null)
        {
            if (root.TryGetValue("cross_validation", out var cvj) && cvj is Dictionary<string, object?> cvd) cvd["bedside_verifier"] = VerifierCrossValidation.ToJsonObject();
            else root["bedside_verifier_cross_validation"] = VerifierCrossValidation.ToJsonObject();
        }
        return root;
    }

    private static double? Num(double v) => double.IsNaN(v) ? null : Math.Round(v, 4);
}

/// <summary>
/// `micro evaluate`: the whole alarm (the portable <see cref="HeartRateMonitor"/> plus, when given, the blob
/// classifier run by the device's interpreter) over every record of the data-set folders present:
/// CinC 2015 (scored by <see cref="CincEvaluation"/>'s alarm compatibility), Liu 2022 (AF evidence and
/// tachycardia at the end of each 10 s segment) and TROIKA (rate error against the ECG reference,
/// tachycardia alarms while exercising), with the early-exit accounting.
/// </summary>
public static class AlarmEvaluation
{
    public static AlarmEvaluationReport Run(string dataFolder, byte[]? blob = null, HeartRateSettings? template = null, TextWriter? log = null) =>
        Run(EvaluationData.Load(dataFolder, log), blob, template);

    /// <summary>The whole alarm with one set of settings over the loaded records, with the early-exit accounting.</summary>
    public static AlarmEvaluationReport Run(EvaluationData data, byte[]? blob, HeartRateSettings? template = null)
    {
        var classifier = blob == null ? null : new HostRhythmClassifier(blob);
        var account = new ExitHeadAccount { FullMacs = classifier?.FullMacs ?? 0 };
        var (cinc, liu, troika) = Pass(data, template, classifier, account);
        // Cold starts: their own pass, outside the early-exit accounting (the rest at each recording's start is cut).
        TroikaSummary? coldStart = null;
        if (data.Troika != null)
        {
            var cold = ColdStart.Of(data.Troika, ColdStart.Seconds);
            if (cold.Count > 0) coldStart = Pass(new EvaluationData(data.Folder, null, null, cold), template, classifier, new ExitHeadAccount()).Troika;
        }
        return new AlarmEvaluationReport(classifier?.Model.Name, cinc, liu, troika, account)
        {
            Verifier = cinc == null ? null : VerifierSummary.From(cinc.Outcomes, template ?? new HeartRateSettings()),
            TroikaColdStart = coldStart,
        };
    }

    /// <summary>One pass of the chain over every record (outcomes per record), adding the network's work to account.</summary>
    public static (CincSummary? Cinc, LiuAlarmSummary? Liu, TroikaSummary? Troika) Pass(EvaluationData data, HeartRateSettings? template,
        HostRhythmClassifier? classifier, ExitHeadAccount account)
    {
        int interval = Math.Max(1, (template ?? new HeartRateSettings()).ModelIntervalSeconds);
        int window = classifier?.WindowSamples ?? HeartRateMonitor.MaxWindowSamples;
        CincSummary? cinc = null;
        LiuAlarmSummary? liu = null;
        TroikaSummary? troika = null;
        if (data.Cinc != null)
        {
            var outcomes = new List<CincOutcome>(data.Cinc.Count);
            foreach (var r in data.Cinc)
            {
                int before = classifier?.Calls.Count ?? 0;
                var (outcome, steps) = CincEvaluation.Run(r.Alarm, r.Recording, template, classifier);
                Account(account, steps, classifier, before, window, interval, _ => false);
                outcomes.Add(outcome with
                {
                    Visibility = r.Visibility,
                    DetectedFromEventStart = r.Alarm.TrueAlarm && r.Visibility is { Visible: true } v ? CincEvaluation.CompatibleFrom(r.Alarm, steps, v.EventStartSeconds) : null,
                });
            }
            cinc = new CincSummary(outcomes);
        }
        if (data.Liu != null)
        {
            var segments = new List<LiuSegmentOutcome>(data.Liu.Count);
            foreach (var seg in data.Liu) segments.Add(RunLiuSegment(seg, template, classifier, account, window, interval));
            liu = LiuAlarmSummary.From(segments);
        }
        if (data.Troika != null)
        {
            var outcomes = new List<TroikaOutcome>(data.Troika.Count);
            foreach (var rec in data.Troika)
            {
                int before = classifier?.Calls.Count ?? 0;
                var steps = ChainHarness.Run(rec.Recording, template, classifier);
                bool hasRest = rec.RecordId.StartsWith("DATA_", StringComparison.Ordinal) && rec.RecordId.Contains("_TYPE0", StringComparison.Ordinal);
                double duration = rec.Recording.DurationSeconds;
                // The TYPE01/TYPE02 protocol starts and ends with 30 s of rest.
                Account(account, steps, classifier, before, window, interval, s => hasRest && (s.TimeSeconds <= 30 || s.TimeSeconds > duration - 30));
                outcomes.Add(TroikaScore(rec, steps));
            }
            troika = new TroikaSummary(outcomes);
        }
        return (cinc, liu, troika);
    }

    /// <summary>CinC scoring as in <see cref="CincEvaluation"/>, over steps that may include the classifier.</summary>
    public static CincOutcome CincScore(CincAlarm alarm, IReadOnlyList<StepReport> steps) => CincEvaluation.Score(alarm, steps);

    /// <summary>TROIKA scoring as in <see cref="TroikaEvaluation"/>, over steps that may include the classifier.</summary>
    public static TroikaOutcome TroikaScore(TroikaRecording rec, IReadOnlyList<StepReport> steps) => TroikaEvaluation.Score(rec, steps);

    // One Liu segment: irregular = the alarm's irregular evidence at the last step (the alarm itself needs
    // IrregularOnsetSeconds of it, longer than a segment); tachy = tachycardia raised or evidenced at the end.
    private static LiuSegmentOutcome RunLiuSegment(Liu2022Segment seg, HeartRateSettings? template, HostRhythmClassifier? classifier,
        ExitHeadAccount account, int window, int interval)
    {
        var rec = seg.ToRecording();
        var monitor = new HeartRateMonitor(ChainHarness.SettingsFor(rec, template));
        if (classifier != null) monitor.SetClassifier(classifier);
        int before = classifier?.Calls.Count ?? 0;
        var steps = new List<StepReport>();
        bool tachyRaised = false;
        for (int i = 0; i < rec.Length; i++)
        {
            if (!monitor.AddSample(rec.PpgCounts(i))) continue;
            var r = monitor.Result;
            for (int e = 0; e < monitor.Policy.EventCount; e++)
            {
                var ev = monitor.Policy.GetEvent(e);
                if (ev.Raised && ev.Kind == AlarmKind.Tachycardia) tachyRaised = true;
            }
            steps.Add(new StepReport(r.Step, r.UptimeMs / 1000.0, r.RateBpm, r.RateConfidencePercent, r.RateSource, r.BeatRateBpm, r.SpectralRateBpm,
                r.IrregularityPermille, r.Rhythm.IntervalCount, r.Quality, r.MsSinceBeat, r.Moving, r.Exercising, r.NeedsModel, r.ModelRan,
                r.ActiveAlarms, Array.Empty<AlarmEventReport>()));
        }
        Account(account, steps, classifier, before, window, interval, _ => seg.IsSinus);
        bool irregular = monitor.Policy.LastEvidence(AlarmKind.Irregular) == Evidence.Present;
        bool tachy = tachyRaised || monitor.Policy.LastEvidence(AlarmKind.Tachycardia) == Evidence.Present;
        return new LiuSegmentOutcome(seg.SegmentId, seg.Subject, seg.Label, irregular, tachy, steps.Count == 0 ? -1 : steps[^1].IrregularityPermille);
    }

    /// <summary>Adds one record's steps and the classifier calls it made (from index firstCall) to the account.</summary>
    public static void Account(ExitHeadAccount a, IReadOnlyList<StepReport> steps, HostRhythmClassifier? classifier, int firstCall,
        int windowSamples, int interval, Func<StepReport, bool> normal)
    {
        int first = (windowSamples + HeartRateMonitor.StepSamples - 1) / HeartRateMonitor.StepSamples;
        int call = firstCall;
        foreach (var s in steps)
        {
            ClassifierCall? c = null;
            if (s.ModelRan && classifier != null && call < classifier.Calls.Count) c = classifier.Calls[call++];
            if (s.Step < first) continue;
            bool isNormal = normal(s);
            bool cadence = (s.Step - first) % interval == 0;
            a.Steps++;
            if (!s.NeedsModel) a.GateSkipped++;
            if (cadence) a.BaselineRuns++;
            if (isNormal)
            {
                a.NormalSteps++;
                if (!s.NeedsModel) a.NormalGateSkipped++;
                if (cadence) a.NormalBaselineRuns++;
            }
            if (c is { } cc)
            {
                a.ModelRuns++;
                a.Macs += cc.Macs;
                if (cc.Exit != 0) a.ExitRuns++;
                if (isNormal)
                {
                    a.NormalModelRuns++;
                    a.NormalMacs += cc.Macs;
                    if (cc.Exit != 0) a.NormalExitRuns++;
                }
            }
        }
    }
}
