using System.Globalization;
using System.Net;
using System.Text;

namespace Micro.Tooling.Monitoring;

/// <summary>
/// `micro report`'s page: one self-contained HTML file (inline CSS and SVG, no scripts, nothing fetched) for a
/// recorded session: heart rate over time with the alarm periods as coloured bands and poor signal shaded, the
/// count and total time of each alarm kind, lines lost, restarts and the event log in plain words. Every number
/// is also in a data- attribute so a test (or a script) can read it back from the page.
/// </summary>
public static class SessionHtmlReport
{
    /// <summary>Band colour per alarm kind, in protocol order (BRADY, TACHY, IRREG, NOPULSE, CONTACT, MODEL).</summary>
    private static readonly string[] Colours = ["#2e86c1", "#c0392b", "#8e44ad", "#111111", "#e67e22", "#16a085"];

    /// <summary>A gap longer than this between two rates breaks the line (three status intervals without a rate).</summary>
    public static readonly TimeSpan LineBreakGap = TimeSpan.FromSeconds(30);

    private const int MaxEvents = 1000;

    public static string Render(SessionSummary s, TimeZoneInfo? zone = null)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>micro report: ").Append(E(s.Source)).Append("</title>");
        sb.Append("<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}" +
                  "th:first-child,td:first-child{text-align:left}h1{font-size:1.4em}figure{margin:1.5em 0}.legend span{display:inline-block;margin-right:1em}" +
                  ".sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}ol{font-family:ui-monospace,monospace;font-size:.9em}</style></head><body>");
        sb.Append("<h1>Heart-rate session: ").Append(E(s.Source)).Append("</h1>");
        sb.Append("<p>").Append(E(s.Log.WallClock
            ? $"{When(s.Start, zone)} to {When(s.End, zone)} ({PlainText.Duration(s.Duration)}), from a {s.Log.Format}."
            : $"{PlainText.Duration(s.Duration)} of device time from {s.Log.Format} (no wall-clock times; times are from the start).")).Append("</p>");

        var st = s.State;
        sb.Append("<h2>Session</h2><table id=\"session\"><tr><th>measure</th><th>value</th></tr>");
        Row(sb, "duration", PlainText.Duration(s.Duration), "seconds", Sec(s.Duration));
        Row(sb, "alert lines read", Num(st.Lines), "lines", Num(st.Lines));
        Row(sb, "heart rates", Num(st.Rates.Count), "rates", Num(st.Rates.Count));
        Row(sb, "lines lost (sequence gaps)", Num(st.Lost), "lost", Num(st.Lost));
        Row(sb, "device restarts", Num(st.Restarts), "restarts", Num(st.Restarts));
        // A monitor log holds only the accepted lines: what was unreadable and when the port went away is not in it.
        bool onlyLines = s.Log.Format != AlertLog.SerialEventLogFormat;
        const string NotLogged = "not recorded in this log";
        Row(sb, "unreadable lines and noise", onlyLines && st.Rejected + st.Garbage == 0 ? NotLogged : Num(st.Rejected + st.Garbage), "unreadable", Num(st.Rejected + st.Garbage));
        Row(sb, "connection lost", onlyLines ? NotLogged : Num(st.PortLosses), "port-losses", onlyLines ? "" : Num(st.PortLosses));
        Row(sb, "time with a poor signal", PlainText.Duration(s.PoorTime), "poor-seconds", Sec(s.PoorTime));
        if (st.Rates.Count > 0)
            Row(sb, "heart rate min / median / max", $"{st.Rates.Min(r => r.Bpm)} / {Median(st.Rates)} / {st.Rates.Max(r => r.Bpm)} bpm", "rate-range",
                $"{st.Rates.Min(r => r.Bpm)} {st.Rates.Max(r => r.Bpm)}");
        sb.Append("</table>");

        sb.Append("<figure><figcaption>Heart rate (bpm) over time; alarm periods as coloured bands, poor signal shaded grey</figcaption>")
          .Append(Chart(s, zone)).Append(Legend()).Append("</figure>");

        sb.Append("<h2>Alarms</h2><table id=\"alarms\"><tr><th>alarm</th><th>token</th><th>times raised</th><th>total time</th><th>longest</th><th>at the end</th></tr>");
        foreach (var t in s.Totals)
            sb.Append(CultureInfo.InvariantCulture, $"<tr data-kind=\"{t.Wording.Token}\" data-count=\"{t.Count}\" data-seconds=\"{Sec(t.Total)}\">")
              .Append("<td>").Append(E(t.Wording.Name)).Append("</td><td>").Append(t.Wording.Token).Append("</td><td>").Append(t.Count)
              .Append("</td><td>").Append(t.Count == 0 ? "–" : PlainText.Duration(t.Total)).Append("</td><td>").Append(t.Count == 0 ? "–" : PlainText.Duration(t.Longest))
              .Append("</td><td>").Append(t.ActiveAtEnd ? "still active" : "").Append("</td></tr>");
        sb.Append("</table>");

        var events = s.Events.Where(e => e.Kind != MonitorEventKind.Status).ToList();
        sb.Append("<h2>Events</h2>");
        if (events.Count > MaxEvents) sb.Append(CultureInfo.InvariantCulture, $"<p>The first {MaxEvents} of {events.Count} events.</p>");
        sb.Append("<ol id=\"events\">");
        foreach (var e in events.Take(MaxEvents))
            sb.Append("<li>").Append(E(TimeOf(s, e.At, zone))).Append(' ').Append(E(e.Text)).Append("</li>");
        sb.Append("</ol></body></html>\n");
        return sb.ToString();
    }

    private static string Chart(SessionSummary s, TimeZoneInfo? zone)
    {
        const int w = 900, h = 260, left = 44, right = 10, top = 10, bottom = 24;
        int pw = w - left - right, ph = h - top - bottom;
        var rates = s.State.Rates;
        int lo = Math.Min(40, rates.Count == 0 ? 40 : rates.Min(r => r.Bpm) - 10) / 20 * 20;
        int hi = (Math.Max(160, rates.Count == 0 ? 160 : rates.Max(r => r.Bpm) + 10) + 19) / 20 * 20;
        double span = Math.Max(1, s.Duration.TotalSeconds);
        double X(DateTimeOffset t) => left + (t - s.Start).TotalSeconds / span * pw;
        double Y(int bpm) => top + (hi - bpm) / (double)(hi - lo) * ph;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"heart rate over time\">");
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{top}\" width=\"{pw}\" height=\"{ph}\" fill=\"#fafafa\" stroke=\"#ccc\"/>");
        foreach (var q in s.Qualities.Where(q => q.Poor && q.End > q.Start))
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"poor\" data-quality=\"{AlertWording.Of(q.Quality).Token}\" data-start=\"{Sec(q.Start - s.Start)}\" data-end=\"{Sec(q.End - s.Start)}\" " +
                $"x=\"{X(q.Start):F1}\" y=\"{top}\" width=\"{Math.Max(0.5, X(q.End) - X(q.Start)):F1}\" height=\"{ph}\" fill=\"#888\" fill-opacity=\"0.25\"/>");
        foreach (var p in s.Periods)
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"alarm\" data-kind=\"{AlertWording.Of(p.Kind).Token}\" data-start=\"{Sec(p.Start - s.Start)}\" data-end=\"{Sec(p.End - s.Start)}\" " +
                $"x=\"{X(p.Start):F1}\" y=\"{top}\" width=\"{Math.Max(1.5, X(p.End) - X(p.Start)):F1}\" height=\"{ph}\" fill=\"{Colours[(int)p.Kind]}\" fill-opacity=\"0.25\">" +
                $"<title>{E(AlertWording.Of(p.Kind).Name)} {E(TimeOf(s, p.Start, zone))}, {PlainText.Duration(p.Duration)}</title></rect>");
        for (int bpm = lo; bpm <= hi; bpm += 20)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{left + pw}\" y1=\"{Y(bpm):F1}\" y2=\"{Y(bpm):F1}\" stroke=\"#e3e3e3\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{Y(bpm) + 4:F1}\" font-size=\"11\" text-anchor=\"end\">{bpm}</text>");
        }
        for (int i = 0; i <= 4; i++)
        {
            var t = s.Start + TimeSpan.FromSeconds(span * i / 4);
            string anchor = i == 0 ? "start" : i == 4 ? "end" : "middle";
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(t):F1}\" y=\"{h - 6}\" font-size=\"11\" text-anchor=\"{anchor}\">{E(TimeOf(s, t, zone))}</text>");
        }
        // One polyline per stretch without a long gap; a lone rate is a dot.
        var run = new List<RatePoint>();
        void Flush()
        {
            if (run.Count == 1)
                sb.Append(CultureInfo.InvariantCulture, $"<circle class=\"hr\" data-points=\"1\" cx=\"{X(run[0].At):F1}\" cy=\"{Y(run[0].Bpm):F1}\" r=\"2\" fill=\"#222\"/>");
            else if (run.Count > 1)
                sb.Append(CultureInfo.InvariantCulture, $"<polyline class=\"hr\" data-points=\"{run.Count}\" fill=\"none\" stroke=\"#222\" stroke-width=\"1.5\" points=\"")
                  .AppendJoin(' ', run.Select(r => string.Create(CultureInfo.InvariantCulture, $"{X(r.At):F1},{Y(r.Bpm):F1}"))).Append("\"/>");
            run.Clear();
        }
        foreach (var r in rates)
        {
            if (run.Count > 0 && r.At - run[^1].At > LineBreakGap) Flush();
            run.Add(r);
        }
        Flush();
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string Legend()
    {
        var sb = new StringBuilder("<div class=\"legend\">");
        foreach (var w in AlertWording.Alarms)
            sb.Append("<span><i class=\"sw\" style=\"background:").Append(Colours[(int)w.Kind]).Append(";opacity:.5\"></i>").Append(E(w.Name)).Append("</span>");
        sb.Append("<span><i class=\"sw\" style=\"background:#888;opacity:.4\"></i>poor signal</span></div>");
        return sb.ToString();
    }

    private static string TimeOf(SessionSummary s, DateTimeOffset t, TimeZoneInfo? zone)
    {
        if (s.Log.WallClock) return PlainText.Clock(t, zone);
        long sec = (long)(t - s.Start).TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture, $"+{sec / 3600}:{sec % 3600 / 60:D2}:{sec % 60:D2}");
    }

    private static string When(DateTimeOffset t, TimeZoneInfo? zone) => PlainText.Iso(t, zone);

    private static int Median(IReadOnlyList<RatePoint> rates)
    {
        var sorted = rates.Select(r => r.Bpm).Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Sec(TimeSpan t) => t.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static void Row(StringBuilder sb, string label, string value, string key, string data) =>
        sb.Append("<tr data-measure=\"").Append(key).Append("\" data-value=\"").Append(E(data)).Append("\"><td>").Append(E(label)).Append("</td><td>").Append(E(value)).Append("</td></tr>");
}
