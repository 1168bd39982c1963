using System.CommandLine;
using System.Text.Json;
using Micro.Tooling;
using Micro.Tooling.Evaluation;
using Micro.Tooling.Recordings;
using Spectre.Console;

namespace Micro.HostTools.Commands;

/// <summary>micro evaluate --data DIR [--model FILE.mblob] [--json OUT]</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "folder holding cinc2015_false_alarm/, ppg_arrhythmia_liu2022/, troika_spc2015/ (any present)", Required = true };
        var model = new Option<FileInfo?>("--model", "-m") { Description = "rhythm classifier blob (.mblob); without it the rules alone decide" };
        var json = new Option<FileInfo?>("--json") { Description = "write the results as JSON to this file" };
        var cmd = new Command("evaluate", "run the whole heart-rate alarm over the recordings and score it (CinC 2015 alarms, Liu 2022 AF, TROIKA rate, early-exit savings). Exit code 0 means the evaluation ran: read each score against its target in the table; a missed target does not change the exit code");
        cmd.Options.Add(data);
        cmd.Options.Add(model);
        cmd.Options.Add(json);
        cmd.SetAction(r => CommandErrors.Run(() => Execute(r.GetValue(data)!, r.GetValue(model), r.GetValue(json))));
        return cmd;
    }

    public static int Execute(DirectoryInfo data, FileInfo? model, FileInfo? json)
    {
        byte[]? blob = model == null ? null : File.ReadAllBytes(model.FullName);
        AlarmEvaluationReport report;
        try
        {
            report = AlarmEvaluation.Run(data.FullName, blob);
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
        return ExitCodes.Ok;
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Print(AlarmEvaluationReport r)
    {
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("metric");
        table.AddColumn(new TableColumn("value").RightAligned());
        table.AddColumn("target");
        void Row(string name, string value, string target = "") => table.AddRow(Markup.Escape(name), Markup.Escape(value), Markup.Escape(target));
        static string P(double v) => double.IsNaN(v) ? "n/a" : v.ToString("P1");
        if (r.Cinc != null)
        {
            var c = r.Cinc;
            Row("cinc2015 true alarms detected", $"{c.Detected}/{c.TrueAlarms} = {P(c.DetectionRate)}", "≥ 97 %");
            Row("cinc2015 false alarms suppressed", $"{c.Suppressed}/{c.FalseAlarms} = {P(c.SuppressionRate)}", "≥ 70 %");
            foreach (var g in c.Outcomes.GroupBy(o => o.Alarm.AlarmType).OrderBy(g => g.Key))
            {
                int t = g.Count(o => o.Alarm.TrueAlarm), d = g.Count(o => o.Alarm.TrueAlarm && o.Detected);
                int f = g.Count(o => !o.Alarm.TrueAlarm), s = g.Count(o => !o.Alarm.TrueAlarm && o.Suppressed);
                Row($"  {g.Key}", $"detected {d}/{t}, suppressed {s}/{f}");
            }
        }
        if (r.Liu != null)
        {
            var l = r.Liu;
            Row("liu2022 AF sensitivity", $"{l.AfFlagged}/{l.Af} = {P(l.AfSensitivity)}", "≥ 95 %");
            Row("liu2022 AF specificity (sinus)", $"{l.Sinus - l.SinusFlagged}/{l.Sinus} = {P(l.AfSpecificity)}", "≥ 95 %");
            Row("liu2022 PVC/PAC flagged irregular", $"{l.EctopicFlagged}/{l.Ectopic} = {P(l.EctopicFlaggedShare)}");
            Row("liu2022 tachycardia on SVT", $"{l.SvtTachy}/{l.Svt} = {P(l.SvtTachyShare)}");
            Row("liu2022 tachycardia on VT", $"{l.VtTachy}/{l.Vt} = {P(l.VtTachyShare)}");
        }
        if (r.Troika != null)
        {
            Row("troika HR MAE", $"{r.Troika.MeanAbsoluteError:F2} bpm ({r.Troika.Estimated}/{r.Troika.Windows} windows)", "≤ 5 bpm");
            Row("troika tachycardia alarms while exercising", r.Troika.TachycardiaAlarms.ToString(), "0");
        }
        var x = r.Exits;
        Row("windows (steps with a full window)", x.Steps.ToString("N0"));
        Row("cheap gate: no network", P(x.GateShare));
        if (x.FullMacs > 0)
        {
            Row("network runs / answered by the exit head", $"{x.ModelRuns:N0} / {P(x.ExitShare)}");
            Row("MACs saved, all windows", P(x.MacsSavedShare));
            Row("MACs saved, normal windows", P(x.NormalMacsSavedShare), "≥ 50 %");
        }
        AnsiConsole.MarkupLine(r.ModelName == null ? "rules only (no --model)" : $"model [bold]{Markup.Escape(r.ModelName)}[/]");
        AnsiConsole.Write(table);
    }
}
