using System.CommandLine;
using Micro.Tooling.Monitoring;
using Micro.Tooling.Serial;
using Spectre.Console;

namespace Micro.HostTools.Commands;

/// <summary>micro monitor --port PORT [--baud N] [--log FILE.csv] [--duration S] [--wait]</summary>
public static class MonitorCommand
{
    public static Command Create()
    {
        var port = new Option<string>("--port", "-p") { Description = "serial port: /dev/ttyUSB0, /dev/cu.usbserial-…, COM3", Required = true };
        var baud = new Option<int>("--baud", "-b") { Description = "baud rate", DefaultValueFactory = _ => 115200 };
        var log = new Option<FileInfo?>("--log") { Description = "append every accepted alert line to this CSV file" };
        var duration = new Option<double?>("--duration") { Description = "stop after this many seconds (default: until Ctrl+C)" };
        var wait = new Option<bool>("--wait") { Description = "wait for the port to appear instead of failing" };
        var cmd = new Command("monitor", "show the alert lines a board sends, check their CRC and sequence numbers, survive garbage and unplugging");
        foreach (var o in new Option[] { port, baud, log, duration, wait }) cmd.Options.Add(o);
        cmd.SetAction(r => CommandErrors.Run(() => Execute(r.GetValue(port)!, r.GetValue(baud), r.GetValue(log), r.GetValue(duration), r.GetValue(wait))));
        return cmd;
    }

    public static int Execute(string port, int baud, FileInfo? logFile, double? seconds, bool wait)
    {
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
        Console.CancelKeyPress += onCancel;
        using var log = logFile == null ? null : new StreamWriter(logFile.FullName, append: true) { AutoFlush = true };
        var monitor = new AlertMonitor(log);
        if (log != null && log.BaseStream.Length == 0) monitor.Start();
        try
        {
            var options = new SerialMonitorOptions
            {
                Port = port,
                BaudRate = baud,
                LineStart = AlertMonitor.LineStart,
                WaitForPort = wait,
                MaxRunTime = seconds is double s ? TimeSpan.FromSeconds(s) : null,
            };
            new SerialMonitor(options).Run(e =>
            {
                foreach (var m in monitor.Handle(e)) AnsiConsole.MarkupLine(Colour(m));
            }, cts.Token);
        }
        catch (SerialPortException e)
        {
            return CommandErrors.Fail(e.Message, e.Kind == SerialErrorKind.Lost ? ExitCodes.IoError : ExitCodes.BadInput);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        AnsiConsole.MarkupLine(Markup.Escape(monitor.Summary()));
        return ExitCodes.Ok;
    }

    private static string Colour(MonitorMessage m)
    {
        string text = Markup.Escape(m.Text);
        return m.Severity switch
        {
            MonitorSeverity.Alarm => $"[bold red]{text}[/]",
            MonitorSeverity.Ok => $"[green]{text}[/]",
            MonitorSeverity.Notice => $"[yellow]{text}[/]",
            MonitorSeverity.Problem => $"[magenta]{text}[/]",
            _ => text,
        };
    }
}
