using System.CommandLine;
using Micro.Tooling;
using Micro.Tooling.Evaluation;
using Micro.Tooling.Serial;
using Spectre.Console;

namespace Micro.HostTools.Commands;

/// <summary>micro simulate --model FILE.mblob --recording REC.csv [--fs HZ] [--alerts OUT] [--serial PORT]</summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo?>("--model", "-m") { Description = "rhythm classifier blob (.mblob); without it the rules alone decide" };
        var recording = new Option<FileInfo>("--recording", "-r") { Description = "CSV recording whose first line is a header naming the columns (a file without a header row is refused): CinC 2015 (t_s,ppg,ecg), TROIKA (t_s,ppg,acc_x,acc_y,acc_z,...) or ppg[,acc_x,acc_y,acc_z][,t_s] in sensor counts", Required = true };
        var fs = new Option<double?>("--fs") { Description = "sample rate in Hz (when the file has no t_s column)" };
        var alerts = new Option<FileInfo?>("--alerts") { Description = "also write the alert lines to this file" };
        var serial = new Option<string?>("--serial") { Description = "also send the alert lines to this serial port or pty (for micro monitor on the other end)" };
        var baud = new Option<int>("--baud") { Description = "baud rate for --serial", DefaultValueFactory = _ => 115200 };
        var cmd = new Command("simulate", "replay a recording through the device's heart-rate alarm and print the alert lines it would send");
        foreach (var o in new Option[] { model, recording, fs, alerts, serial, baud }) cmd.Options.Add(o);
        cmd.SetAction(r => CommandErrors.Run(() => Execute(r.GetValue(model), r.GetValue(recording)!, r.GetValue(fs), r.GetValue(alerts), r.GetValue(serial), r.GetValue(baud))));
        return cmd;
    }

    public static int Execute(FileInfo? model, FileInfo recording, double? fs, FileInfo? alerts, string? serial = null, int baud = 115200)
    {
        if (fs is <= 0) throw new ArgumentException("--fs must be positive");
        byte[]? blob = model == null ? null : File.ReadAllBytes(model.FullName);
        var rec = AlarmSimulation.ReadRecording(recording.FullName, fs);
        // The port is opened before the recording runs: a missing or busy port is said at once, not after the replay.
        SerialLineWriter? port = null;
        if (serial != null)
        {
            try { port = SerialLineWriter.Open(serial, baud); }
            catch (SerialPortException e) { return CommandErrors.Fail(e.Message, e.Kind == SerialErrorKind.Lost ? ExitCodes.IoError : ExitCodes.BadInput); }
        }
        using (port)
        {
            var lines = new StringWriter { NewLine = "\n" };
            var result = AlarmSimulation.Run(rec, blob, lines);
            Console.Out.Write(lines.ToString());
            if (alerts != null) AtomicFile.WriteAllText(alerts.FullName, lines.ToString());
            if (port != null)
            {
                try
                {
                    foreach (var line in lines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)) port.WriteLine(line);
                }
                catch (SerialPortException e)
                {
                    return CommandErrors.Fail(e.Message, e.Kind == SerialErrorKind.Lost ? ExitCodes.IoError : ExitCodes.BadInput);
                }
            }
            PrintSummary(result);
        }
        return ExitCodes.Ok;
    }

    public static void PrintSummary(SimulationResult r)
    {
        var raised = r.Raised.Select(e => $"{e.Kind} at {e.TimeSeconds:F0} s").ToList();
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(r.Recording.Name)}[/]: {r.Recording.DurationSeconds:F0} s, alarms raised: {Markup.Escape(raised.Count == 0 ? "none" : string.Join(", ", raised))}");
        var x = r.Exits;
        if (x.FullMacs > 0)
            AnsiConsole.MarkupLine($"  network: {x.ModelRuns} runs ({x.ExitRuns} answered by the exit head), gate skipped {x.GateSkipped}/{x.Steps} windows, " +
                $"MACs {x.Macs:N0} vs {x.BaselineRuns * x.FullMacs:N0} for the full network on every window ({(double.IsNaN(x.MacsSavedShare) ? "n/a" : $"{x.MacsSavedShare * 100:F1} %")} saved)");
    }
}
