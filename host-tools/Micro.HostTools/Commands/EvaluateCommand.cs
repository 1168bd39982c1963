using System.CommandLine;
using System.Text.Json;
using Micro.Tooling;
using Micro.Tooling.Evaluation;
using Micro.Tooling.Recordings;
using Spectre.Console;

namespace Micro.HostTools.Commands;

/// <summary>micro evaluate --data DIR [--model FILE.mblob] [--json OUT] [--report OUT.html] [--cv [--grid SPEC]]</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "folder holding cinc2015_false_alarm/, ppg_arrhythmia_liu2022/, troika_spc2015/ (any present)", Required = true };
        var model = new Option<FileInfo?>("--model", "-m") { Description = "rhythm classifier blob (.mblob); without it the rules alone decide" };
        var json = new Option<FileInfo?>("--json") { Description = "write the results, with every record's outcome, as JSON to this file (written whole or not at all)" };
        var report = new Option<FileInfo?>("--report") { Description = "write an HTML page: the score tables and, per TROIKA recording, estimated against reference heart rate" };
        var cv = new Option<bool>("--cv") { Description = "also report cross-validated figures: each subject (TROIKA, Liu) or CinC fold scored with the settings a candidate grid chose without it (TROIKA: the tracker's grid, each recording's cold starts counted with it), and the bedside verifier with each alarm type's policy chosen on the other CinC folds" };
        var grid = new Option<string?>("--grid") { Description = "candidate settings for --cv, e.g. \"IrregularPermille=50,60;NoPulseMs=3000,4000\" (integer HeartRateSettings fields); default: SettingsGrid.Default" };
        var cmd = new Command("evaluate", "run the whole heart-rate alarm over the recordings and score it (CinC 2015 alarms and challenge score, Liu 2022 AF, TROIKA rate per recording and from cold starts mid-exercise, early-exit savings). Exit code 0 means the evaluation ran: read each score against its target in the table; a missed target does not change the exit code");
        cmd.Options.Add(data);
        cmd.Options.Add(model);
        cmd.Options.Add(json);
        cmd.Options.Add(report);
        cmd.Options.Add(cv);
        cmd.Options.Add(grid);
        cmd.SetAction(r => CommandErrors.Run(() => Execute(r.GetValue(data)!, r.GetValue(model), r.GetValue(json), r.GetValue(report), r.GetValue(cv), r.GetValue(grid))));
        return cmd;
    }

    public static int Execute(DirectoryInfo data, FileInfo? model, FileInfo? json) => Execute(data, model, json, null, false, null);

    public static int Execute(DirectoryInfo data, FileInfo? model, FileInfo? json, FileInfo? html, bool cv, string? gridSpec)
    {
        if (gridSpec != null && !cv) throw new ArgumentException("--grid needs --cv");
        IReadOnlyList<SettingsCandidate>? grid = cv ? gridSpec == null ? SettingsGrid.Default : SettingsGrid.Parse(gridSpec) : null;
        // Refuse unwritable outputs before the minutes of work.
        if (json != null) AtomicFile.WritableTarget(json.FullName);
        if (html != null) AtomicFile.WritableTarget(html.FullName);
        byte[]? blob = model == null ? null : File.ReadAllBytes(model.FullName);
        AlarmEvaluationReport report;
        try
        {
            var loaded = EvaluationData.Load(data.FullName);
            report = AlarmEvaluation.Run(loaded, blob);
            if (grid != null && gridSpec == null && loaded.Troika != null)
            {
                // Default grids: rhythm rules for CinC and Liu, the tracker's settings for TROIKA.
                var rules = loaded.Cinc == null && loaded.Liu == null ? null : CrossValidation.Run(loaded with { Troika = null }, blob, grid, Console.Error);
                // The tracker's objective includes cold starts: a setting must also find the rate mid-exercise.
                var tracker = CrossValidation.Run(new EvaluationData(loaded.Folder, null, null, ColdStart.With(loaded.Troika, ColdStart.Seconds)), blob, SettingsGrid.Tracker, Console.Error);
                report = report with { CrossValidation = rules == null ? tracker : rules.WithTroikaFrom(tracker) };
            }
            else if (grid != null) report = report with { CrossValidation = CrossValidation.Run(loaded, blob, grid, Console.Error) };
            if (cv && report.Cinc != null) report = report with { VerifierCrossValidation = VerifierCrossValidation.Run(report.Cinc.Outcomes) };
        }
        catch (CsvFormatException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
        Print(report);
        if (json != null)
            AtomicFile.WriteAllText(json.FullName, JsonSerializer.Serialize(report.ToJsonObject(), Indented) + "\n");
        if (html != null)
            AtomicFile.WriteAllText(html.FullName, EvaluationHtmlReport.Render(report));
        return ExitCodes.Ok;
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string GridNote(CrossValidationReport cv) =>
        cv.Candidates.Any(c => c.TroikaObjective != null) && cv.Candidates.Any(c => c.CincObjective != null || c.LiuObjective != null) && !cv.Candidates.Any(c => c.TroikaObjective != null && (c.CincObjective != null || c.LiuObjective != null))
            ? "; TROIKA chooses among the tracker's settings, CinC and Liu among the rhythm rules'" : "";

    public static void Print(AlarmEvaluationReport r)
    {
        AnsiConsole.MarkupLine(r.ModelName == null ? "rules only (no --model)" : $"model [bold]{Markup.Escape(r.ModelName)}[/]");
        AnsiConsole.MarkupLine("[bold]In-sample[/] (default settings, measured on the data they were developed on)");
        var table = NewTable();
        Rows(table, r.Cinc, r.Liu, r.Troika, perRecording: true);
        ColdStartRow(table, r.TroikaColdStart);
        var x = r.Exits;
        Row(table, "windows (steps with a full window)", x.Steps.ToString("N0"));
        Row(table, "cheap gate: no network", P(x.GateShare));
        if (x.FullMacs > 0)
        {
            Row(table, "network runs / answered by the exit head", $"{x.ModelRuns:N0} / {P(x.ExitShare)}");
            Row(table, "MACs saved, all windows", P(x.MacsSavedShare));
            Row(table, "MACs saved, normal windows", P(x.NormalMacsSavedShare), "≥ 50 %");
        }
        AnsiConsole.Write(table);
        if (r.Verifier is { } v && r.Cinc != null)
        {
            AnsiConsole.MarkupLine("[bold]Bedside verifier[/], in-sample: the CinC challenge's own framing (the bedside monitor raised each alarm from the ECG; the verifier keeps it unless the PPG refutes it, uncertain ones by type)");
            var vt = NewTable();
            VerifierRows(vt, v, r.Cinc);
            AnsiConsole.Write(vt);
        }
        if (r.CrossValidation is { } cv)
        {
            AnsiConsole.MarkupLine($"[bold]Cross-validated[/] ({cv.Candidates.Count} candidate settings; each TROIKA/Liu subject and CinC fold scored with the candidate chosen without it{GridNote(cv)})");
            var t = NewTable();
            Rows(t, cv.Cinc, cv.Liu, cv.Troika, perRecording: true);
            ColdStartRow(t, cv.TroikaColdStart);
            foreach (var (name, folds, objective) in new[] { ("cinc2015", cv.CincFolds, (Func<CandidateResult, double?>)(c => c.CincObjective)), ("liu2022", cv.LiuFolds, c => c.LiuObjective), ("troika", cv.TroikaFolds, c => c.TroikaObjective) })
            {
                if (folds.Count == 0) continue;
                Row(t, $"{name} folds' choices", string.Join("; ", folds.GroupBy(f => f.Candidate).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} ×{g.Count()}")));
                var best = cv.Candidates.Where(c => objective(c) != null).MaxBy(c => objective(c)!.Value);
                if (best != null) Row(t, $"{name} objective: best candidate in-sample (tuned on all)", $"{objective(best):F3} ({best.Candidate}); defaults {objective(cv.Candidates.First(c => objective(c) != null)):F3}");
            }
            AnsiConsole.Write(t);
        }
        if (r.VerifierCrossValidation is { } vcv && r.Cinc != null)
        {
            AnsiConsole.MarkupLine($"[bold]Bedside verifier, cross-validated[/] (each CinC fold decided with the per-type policy chosen on the other {SubjectFolds.CincFolds - 1})");
            var vt = NewTable();
            VerifierRows(vt, vcv.Summary, r.Cinc);
            foreach (var g in vcv.Folds.GroupBy(f => f.AlarmType))
                Row(vt, $"  {g.Key} folds' choices", string.Join("; ", g.GroupBy(f => f.Choice.Candidate).OrderByDescending(c => c.Count()).Select(c => $"{c.Key} ×{c.Count()}")));
            foreach (var (type, candidate) in vcv.AllRecordsChoice) Row(vt, $"  {type} chosen on all records", candidate);
            AnsiConsole.Write(vt);
        }
    }

    private static void ColdStartRow(Table table, TroikaSummary? cold)
    {
        if (cold == null) return;
        var worst = cold.Outcomes.MaxBy(o => o.MeanAbsoluteError)!;
        Row(table, $"troika cold starts ({string.Join(", ", ColdStart.Seconds)} s in): MAE / worst / within 5 bpm",
            $"{cold.MeanAbsoluteError:F2} bpm / {worst.MeanAbsoluteError:F1} ({worst.RecordId}) / {cold.RecordingsWithin(5, 0.9)}/{cold.Outcomes.Count}");
    }

    /// <summary>The verifier's rows: per alarm type TP/FN/FP/TN with the verdicts, the challenge score against
    /// alarming always and never and against the wearable alone (wearable: the in-sample chain's own alarms).</summary>
    private static void VerifierRows(Table table, VerifierSummary v, CincSummary wearable)
    {
        var wearableScores = ChallengeScore.Table(wearable.Outcomes).ToDictionary(x => x.Name, x => x.Score);
        Row(table, "bedside verifier: false alarms suppressed", $"{v.Suppressed}/{v.FalseAlarms} = {P(v.SuppressionRate)}");
        Row(table, "bedside verifier: visible true alarms kept (confirmed by the chain)", $"{v.VisibleKept}/{v.VisibleTrueAlarms} ({v.VisibleConfirmed} confirmed)");
        foreach (var (name, s) in v.Table())
        {
            var g = v.OfType(name).ToList();
            string label = name == "all" ? "bedside verifier challenge score (all)" : $"  {name}";
            string w = wearableScores.TryGetValue(name, out var ws) ? $"; wearable {S(ws.Score)}" : "";
            Row(table, label, $"TP {s.TruePositives} FN {s.FalseNegatives} FP {s.FalsePositives} TN {s.TrueNegatives} ({VerifierSummary.Verdicts(g)}); "
                + $"{S(s.Score)} vs always {S(s.AlwaysAlarm)}, never {S(s.NeverAlarm)}{w}{(s.BeatsAlwaysAlarm ? "" : " (not above always)")}", "> always");
        }
    }

    private static Table NewTable()
    {
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("metric");
        table.AddColumn(new TableColumn("value").RightAligned());
        table.AddColumn("target");
        return table;
    }

    private static void Row(Table table, string name, string value, string target = "") => table.AddRow(Markup.Escape(name), Markup.Escape(value), Markup.Escape(target));

    private static string P(double v) => double.IsNaN(v) ? "n/a" : v.ToString("P1");

    private static string S(double v) => double.IsNaN(v) ? "n/a" : v.ToString("F3");

    /// <summary>The CinC, Liu and TROIKA rows (the same for in-sample and cross-validated figures).</summary>
    private static void Rows(Table table, CincSummary? c, LiuAlarmSummary? l, TroikaSummary? t, bool perRecording)
    {
        if (c != null)
        {
            Row(table, "cinc2015 true alarms detected", $"{c.Detected}/{c.TrueAlarms} = {P((double)c.Detected / c.TrueAlarms)}");
            Row(table, "cinc2015 true alarms visible in the PPG (ECG label)", $"{c.VisibleTrueAlarms}/{c.LabelledTrueAlarms} = {P((double)c.VisibleTrueAlarms / c.LabelledTrueAlarms)}");
            Row(table, "cinc2015 visible true alarms detected", $"{c.VisibleDetected}/{c.VisibleTrueAlarms} = {P(c.VisibleDetectionRate)} ({c.VisibleDetectedFromEventStart} raised or active from the ECG event's start on)", "≥ 90 %");
            Row(table, "cinc2015 false alarms suppressed (clinical)", $"{c.Suppressed}/{c.FalseAlarms} = {P(c.SuppressionRate)}", "≥ 80 %");
            foreach (var (name, s) in ChallengeScore.Table(c.Outcomes))
            {
                var g = name == "all" ? c.Outcomes : c.Outcomes.Where(o => o.Alarm.AlarmType.ToString() == name).ToList();
                int v = g.Count(o => o.Visibility?.Visible == true), vd = g.Count(o => o.Visibility?.Visible == true && o.Detected);
                string label = name == "all" ? "cinc2015 challenge score (all)" : $"  {name}";
                string detail = name == "all" ? "" : $"TP {s.TruePositives} FN {s.FalseNegatives} (visible {vd}/{v}) FP {s.FalsePositives} TN {s.TrueNegatives}; ";
                Row(table, label, $"{detail}{S(s.Score)} vs always {S(s.AlwaysAlarm)}, never {S(s.NeverAlarm)}{(s.BeatsAlwaysAlarm ? "" : " (not above always)")}", "> always");
            }
        }
        if (l != null)
        {
            Row(table, "liu2022 AF sensitivity", $"{l.AfFlagged}/{l.Af} = {P(l.AfSensitivity)}", "≥ 95 %");
            Row(table, "liu2022 AF specificity (sinus)", $"{l.Sinus - l.SinusFlagged}/{l.Sinus} = {P(l.AfSpecificity)}", "≥ 95 %");
            Row(table, "liu2022 PVC/PAC flagged irregular", $"{l.EctopicFlagged}/{l.Ectopic} = {P(l.EctopicFlaggedShare)}");
            Row(table, "liu2022 tachycardia on SVT", $"{l.SvtTachy}/{l.Svt} = {P(l.SvtTachyShare)}");
            Row(table, "liu2022 tachycardia on VT", $"{l.VtTachy}/{l.Vt} = {P(l.VtTachyShare)}");
        }
        if (t != null)
        {
            Row(table, "troika HR MAE (all windows)", $"{t.MeanAbsoluteError:F2} bpm, {t.Estimated}/{t.Windows} windows reported ({P(t.Coverage)})");
            Row(table, "troika recordings ≤ 5 bpm with ≥ 90 % reported", $"{t.RecordingsWithin(5, 0.9)}/{t.Outcomes.Count} (worst {t.WorstRecordingError:F1} bpm)", "all");
            if (perRecording)
                foreach (var o in t.Outcomes)
                    Row(table, $"  {o.RecordId}", $"{o.MeanAbsoluteError:F1} bpm (max {o.MaxAbsoluteError:F0}), {P(o.Coverage)} reported", "≤ 5, ≥ 90 %");
            Row(table, "troika tachycardia alarms while exercising", t.TachycardiaAlarms.ToString(), "0");
        }
    }
}
