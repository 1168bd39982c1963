using System.Globalization;
using Micro.HeartRate.Signal;
using Micro.Tooling.Monitoring;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Micro.HostTools.Monitor;

/// <summary>
/// `micro monitor`'s live screen, drawn from a <see cref="MonitorState"/> at a given moment: heart rate with its
/// confidence and age, rhythm, signal and contact, motion, the active alarms with start and duration, a sparkline
/// of the last minutes of heart rate, the link's losses, and the newest events in plain words. Fits 80 columns.
/// </summary>
public static class LiveView
{
    /// <summary>How much heart rate the sparkline shows.</summary>
    public static readonly TimeSpan TrendWindow = TimeSpan.FromMinutes(10);

    /// <summary>Sparkline width in characters (10 min / 48 = 12.5 s a column; status lines come every 10 s).</summary>
    public const int TrendColumns = 48;

    private const string Blocks = "▁▂▃▄▅▆▇█";

    public static IRenderable Render(MonitorState s, DateTimeOffset now, TimeZoneInfo? zone = null, int eventLines = 8, string? title = null)
    {
        var grid = new Grid();
        grid.AddColumn(new GridColumn().NoWrap().PadRight(2));
        grid.AddColumn(new GridColumn());
        grid.AddRow(Label("Heart rate"), new Markup(Rate(s, now)));
        grid.AddRow(Label("Rhythm"), new Markup(Markup.Escape(s.Last is null ? "–" : AlertWording.RhythmOf(s.Last.IrregularityPermille))));
        grid.AddRow(Label("Signal"), new Markup(Signal(s)));
        grid.AddRow(Label("Motion"), new Markup(s.Last is null ? "–" : AlertWording.MotionOf(s.Last.Moving)));
        grid.AddRow(Label("Alarms"), new Markup(Alarms(s, now, zone)));
        grid.AddRow(Label("Trend"), new Markup(Markup.Escape(Sparkline(s, now))));
        grid.AddRow(Label("Link"), new Markup(Link(s, now, zone)));
        var status = new Panel(grid) { Header = new PanelHeader(Markup.Escape(title ?? "Micro heart-rate monitor")), Border = BoxBorder.Rounded, Expand = true };

        // Time and words in two columns, so a long event wraps under its words, not under the time.
        var log = new Grid();
        log.AddColumn(new GridColumn().NoWrap().PadRight(1));
        log.AddColumn(new GridColumn());
        foreach (var e in s.Recent.TakeLast(eventLines))
            log.AddRow(new Markup(PlainText.Clock(e.At, zone)), new Markup(Colour(e, Markup.Escape(e.Text))));
        IRenderable body = s.Recent.Count == 0 ? new Markup("[grey]no events yet[/]") : log;
        var events = new Panel(body) { Header = new PanelHeader("Events"), Border = BoxBorder.Rounded, Expand = true };
        return new Rows(status, events);
    }

    /// <summary>The heart-rate history of the last <see cref="TrendWindow"/> before <paramref name="now"/> as block characters ('·' where no rate came), with its range.</summary>
    public static string Sparkline(MonitorState s, DateTimeOffset now)
    {
        var from = now - TrendWindow;
        var sums = new double[TrendColumns];
        var counts = new int[TrendColumns];
        for (int i = s.Rates.Count - 1; i >= 0 && s.Rates[i].At > from; i--)
        {
            var r = s.Rates[i];
            if (r.At > now) continue;
            int c = Math.Clamp((int)((r.At - from).TotalSeconds / TrendWindow.TotalSeconds * TrendColumns), 0, TrendColumns - 1);
            sums[c] += r.Bpm;
            counts[c]++;
        }
        var means = Enumerable.Range(0, TrendColumns).Where(c => counts[c] > 0).Select(c => sums[c] / counts[c]).ToList();
        if (means.Count == 0) return "no heart rate in the last " + PlainText.Duration(TrendWindow);
        double lo = means.Min(), hi = means.Max();
        var line = new char[TrendColumns];
        for (int c = 0; c < TrendColumns; c++)
        {
            if (counts[c] == 0) { line[c] = '·'; continue; }
            double v = sums[c] / counts[c];
            line[c] = hi - lo < 1 ? Blocks[3] : Blocks[(int)Math.Round((v - lo) / (hi - lo) * (Blocks.Length - 1))];
        }
        return new string(line) + string.Create(CultureInfo.InvariantCulture, $" {lo:F0}–{hi:F0} bpm");
    }

    private static string Rate(MonitorState s, DateTimeOffset now)
    {
        if (s.LastGoodRate is not int bpm) return "[grey]no heart rate yet[/]";
        string age = "updated " + PlainText.Duration(now - s.LastGoodRateAt!.Value) + " ago";
        string confidence = s.RateConfidence is int c ? string.Create(CultureInfo.InvariantCulture, $", confidence {c} %") : "";
        if (s.Last?.RateBpm is null)
            return string.Create(CultureInfo.InvariantCulture, $"[yellow]no rate now[/]; last good [bold]{bpm} bpm[/], {age}");
        return string.Create(CultureInfo.InvariantCulture, $"[bold]{bpm} bpm[/]{confidence}, {age}");
    }

    private static string Signal(MonitorState s)
    {
        if (s.Last is null) return "–";
        var q = AlertWording.Of(s.Last.Quality);
        string text = Markup.Escape($"{q.Signal}; {q.Contact}");
        return s.Last.Quality == SignalQuality.Unreachable ? $"[magenta]{text}[/]" : q.Poor ? $"[yellow]{text}[/]" : $"[green]{text}[/]";
    }

    private static string Alarms(MonitorState s, DateTimeOffset now, TimeZoneInfo? zone)
    {
        if (s.Active.Count == 0) return s.Last is null ? "–" : "[green]none[/]";
        var lines = s.Active.Values.OrderBy(a => a.Since).Select(a =>
        {
            var w = AlertWording.Of(a.Kind);
            string since = (a.StartSeen ? "since " : "since at least ") + PlainText.Clock(a.Since, zone);
            string text = Markup.Escape($"{w.Name} {since} ({PlainText.Duration(now - a.Since)})");
            return w.Clinical ? $"[bold red]{text}[/]" : $"[magenta]{text}[/]";
        });
        return string.Join("\n", lines);
    }

    private static string Link(MonitorState s, DateTimeOffset now, TimeZoneInfo? zone)
    {
        string port = s.PortOpen switch
        {
            true => "[green]port open[/]",
            false when s.PortLostSince is { } t => $"[magenta]port lost since {PlainText.Clock(t, zone)} ({PlainText.Duration(now - t)})[/]",
            false => "[yellow]waiting for the port[/]",
            null => "replay",
        };
        port += string.Create(CultureInfo.InvariantCulture, $", lost {s.PortLosses} {(s.PortLosses == 1 ? "time" : "times")} so far");
        string counts = string.Create(CultureInfo.InvariantCulture,
            $"{s.Lines} lines, {s.Lost} lost, {s.Rejected + s.Garbage} unreadable, {s.Restarts} device {(s.Restarts == 1 ? "restart" : "restarts")}");
        return (s.Lost > 0 || s.Rejected + s.Garbage > 0 ? $"[yellow]{counts}[/]" : counts) + "\n" + port;
    }

    private static string Colour(MonitorEvent e, string text) => e.Kind switch
    {
        MonitorEventKind.AlarmRaised => $"[bold red]{text}[/]",
        MonitorEventKind.AlarmCleared => $"[green]{text}[/]",
        MonitorEventKind.Device => $"[yellow]{text}[/]",
        MonitorEventKind.Link => $"[magenta]{text}[/]",
        _ => text,
    };

    private static Markup Label(string text) => new($"[bold]{text}[/]");
}
