using System.CommandLine;
using Micro.Tooling;
using Micro.Tooling.Monitoring;
using Spectre.Console;

namespace Micro.HostTools.Commands;

/// <summary>micro report LOG -o report.html</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("log") { Description = "a recorded session: micro monitor --log CSV, or the alert lines of micro simulate --alerts" };
        var output = new Option<FileInfo>("--output", "-o") { Description = "the HTML page to write (self-contained: no scripts, nothing fetched)", Required = true };
        var cmd = new Command("report", "a self-contained HTML page for a recorded session: heart rate over time with alarm periods and poor signal, counts and time per alarm, lines lost and restarts");
        cmd.Arguments.Add(input);
        cmd.Options.Add(output);
        cmd.SetAction(r => CommandErrors.Run(() => Execute(r.GetValue(input)!, r.GetValue(output)!)));
        return cmd;
    }

    public static int Execute(FileInfo input, FileInfo output)
    {
        var s = SessionSummary.Of(input.FullName);
        AtomicFile.WriteAllText(output.FullName, SessionHtmlReport.Render(s));
        var raised = s.Totals.Where(t => t.Count > 0).Select(t => $"{t.Wording.Name} ×{t.Count} ({PlainText.Duration(t.Total)})").ToList();
        AnsiConsole.MarkupLine(Markup.Escape($"{input.Name}: {PlainText.Duration(s.Duration)}, {s.State.Lines} lines, {s.State.Rates.Count} heart rates, " +
            $"{s.State.Lost} lost, {s.State.Restarts} restarts; alarms: {(raised.Count == 0 ? "none" : string.Join(", ", raised))}"));
        AnsiConsole.MarkupLine(Markup.Escape($"wrote {output.FullName}"));
        return ExitCodes.Ok;
    }
}
