using System.CommandLine;
using Micro.HostTools.Monitor;
using Micro.Tooling.Monitoring;
using Micro.Tooling.Serial;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Micro.HostTools.Commands;

/// <summary>How `micro monitor` shows what it reads.</summary>
public enum MonitorMode
{
    /// <summary>A live screen (the default on a terminal).</summary>
    Live,

    /// <summary>One plain-language line per event with an ISO time (the default when the output is not a terminal).</summary>
    Plain,

    /// <summary>The protocol lines as received, with the monitor's checks.</summary>
    Raw,
}

/// <summary>micro monitor --port PORT [--baud N] [--log FILE.csv] [--duration S] [--wait] [--plain | --raw] [--bell]</summary>
public static class MonitorCommand
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(500);

    public static Command Create()
    {
        var port = new Option<string>("--port", "-p") { Description = "serial port: /dev/ttyUSB0, /dev/cu.usbserial-…, COM3", Required = true };
        var baud = new Option<int>("--baud", "-b") { Description = "baud rate", DefaultValueFactory = _ => 115200 };
        var log = new Option<FileInfo?>("--log") { Description = "append every accepted alert line to this CSV file (micro report reads it)" };
        var duration = new Option<double?>("--duration") { Description = "stop after this many seconds (default: until Ctrl+C)" };
        var wait = new Option<bool>("--wait") { Description = "wait for the port to appear instead of failing" };
        var plain = new Option<bool>("--plain") { Description = "one plain-language line per event with an ISO time (the default when the output is not a terminal)" };
        var raw = new Option<bool>("--raw") { Description = "show the protocol lines as received, with the CRC and sequence checks" };
        var bell = new Option<bool>("--bell") { Description = "ring the terminal bell when an alarm is raised" };
        var cmd = new Command("monitor", "show what a board's alert lines say: a live screen on a terminal, plain-language lines when piped; checks CRC and sequence numbers, survives garbage and unplugging");
        foreach (var o in new Option[] { port, baud, log, duration, wait, plain, raw, bell }) cmd.Options.Add(o);
        cmd.Validators.Add(r =>
        {
            if (r.GetValue(plain) && r.GetValue(raw)) r.AddError("--plain and --raw cannot be used together");
        });
        cmd.SetAction(r => CommandErrors.Run(() =>
        {
            var mode = r.GetValue(raw) ? MonitorMode.Raw : r.GetValue(plain) || !IsTerminal() ? MonitorMode.Plain : MonitorMode.Live;
            return Execute(r.GetValue(port)!, r.GetValue(baud), r.GetValue(log), r.GetValue(duration), r.GetValue(wait), mode, r.GetValue(bell));
        }));
        return cmd;
    }

    /// <summary>A live screen needs a terminal that understands cursor movement.</summary>
    public static bool IsTerminal() =>
        !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Ansi && AnsiConsole.Profile.Capabilities.Interactive;

    public static int Execute(string port, int baud, FileInfo? logFile, double? seconds, bool wait, MonitorMode mode = MonitorMode.Raw, bool bell = false)
    {
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
        Console.CancelKeyPress += onCancel;
        using var log = logFile == null ? null : new StreamWriter(logFile.FullName, append: true) { AutoFlush = true };
        var monitor = new AlertMonitor(log);
        if (log != null && log.BaseStream.Length == 0) monitor.Start();
        var state = new MonitorState();
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
            var serial = new SerialMonitor(options);
            if (mode == MonitorMode.Live)
            {
                RunLive(serial, monitor, state, bell, cts.Token);
            }
            else
            {
                serial.Run(e =>
                {
                    var messages = monitor.Handle(e).ToList(); // also writes the --log row
                    var said = state.Apply(e);
                    if (mode == MonitorMode.Raw) foreach (var m in messages) AnsiConsole.MarkupLine(Colour(m));
                    else foreach (var m in said) Console.Out.WriteLine(m.PlainLine());
                    if (bell && said.Any(m => m.Kind == MonitorEventKind.AlarmRaised)) Bell();
                    Console.Out.Flush();
                }, cts.Token);
            }
        }
        catch (SerialPortException e)
        {
            return CommandErrors.Fail(e.Message, e.Kind == SerialErrorKind.Lost ? ExitCodes.IoError : ExitCodes.BadInput);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        if (mode == MonitorMode.Raw) AnsiConsole.MarkupLine(Markup.Escape(monitor.Summary()));
        else Console.Out.WriteLine("Summary: " + state.Summary());
        return ExitCodes.Ok;
    }

    // The serial monitor runs on its own thread; the screen is redrawn twice a second (ages and durations move on
    // without new lines). The screen starts only once the port opened or is awaited, so a wrong port name is a
    // plain error, not a flash of an empty screen.
    private static void RunLive(SerialMonitor serial, AlertMonitor monitor, MonitorState state, bool bell, CancellationToken token)
    {
        var gate = new object();
        using var started = new ManualResetEventSlim();
        var run = serial.RunAsync(e =>
        {
            bool ring;
            lock (gate)
            {
                _ = monitor.Handle(e).ToList();
                ring = state.Apply(e).Any(m => m.Kind == MonitorEventKind.AlarmRaised);
            }
            started.Set();
            if (bell && ring) Bell();
        }, token);
        WaitHandle.WaitAny([started.WaitHandle, ((IAsyncResult)run).AsyncWaitHandle]);
        if (run.IsFaulted) run.GetAwaiter().GetResult(); // throws the port error
        IAnsiConsole console = AnsiConsole.Console;
        // The status panel takes about 12 rows; the event log gets what is left of the terminal (a long event
        // takes two rows), and anything still too tall is cut at the bottom so the status stays in sight.
        int events = Math.Clamp((console.Profile.Height - 14) / 2, 3, 12);
        IRenderable Frame()
        {
            lock (gate) return LiveView.Render(state, DateTimeOffset.Now, eventLines: events, title: $"Micro heart-rate monitor · {state.Port} · Ctrl+C stops");
        }
        console.Live(Frame()).AutoClear(false).Overflow(VerticalOverflow.Crop).Cropping(VerticalOverflowCropping.Bottom).Start(ctx =>
        {
            while (!((IAsyncResult)run).AsyncWaitHandle.WaitOne(Refresh))
            {
                ctx.UpdateTarget(Frame());
                ctx.Refresh();
            }
            ctx.UpdateTarget(Frame());
            ctx.Refresh();
        });
        run.GetAwaiter().GetResult();
    }

    private static void Bell()
    {
        Console.Out.Write('\a');
        Console.Out.Flush();
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
