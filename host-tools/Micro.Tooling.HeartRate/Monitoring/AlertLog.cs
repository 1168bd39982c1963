using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Micro.Tooling.Serial;

namespace Micro.Tooling.Monitoring;

/// <summary>A recorded session as the serial events that made it, and whether its times are wall-clock times.</summary>
/// <param name="WallClock">True for the monitor's logs (reception times); false for bare alert lines, whose times are the device's uptime from <see cref="AlertLog.UptimeOrigin"/>.</param>
public sealed record AlertLogContents(string Format, IReadOnlyList<SerialEvent> Events, bool WallClock);

/// <summary>
/// Reads a recorded session for replay into <see cref="MonitorState"/> (`micro report`, the view tests). Three
/// formats, told apart by the first line:
/// <list type="bullet">
/// <item>`micro monitor --log` CSV (header <c>received_utc,seq,…,line</c>): the <c>line</c> column is the alert line, received at <c>received_utc</c>;</item>
/// <item>the serial event CSV (header <c>time_utc,event,text,bytes</c>): lines, garbage and port lost/back;</item>
/// <item>bare alert lines (`micro simulate --alerts`, a terminal capture): timed by their uptime, which is
/// carried over device restarts so time never goes back.</item>
/// </list>
/// </summary>
public static partial class AlertLog
{
    /// <summary>Where the uptime clock of bare alert lines starts (a fixed date: the report shows times from the start).</summary>
    public static readonly DateTimeOffset UptimeOrigin = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const string MonitorLogFormat = "monitor log";
    public const string SerialEventLogFormat = "serial event log";
    public const string AlertLinesFormat = "alert lines";

    public static AlertLogContents Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"log not found: {path}", path);
        using var r = new StreamReader(path);
        return Read(r, path);
    }

    public static AlertLogContents Read(TextReader reader, string name = "log")
    {
        string? first = reader.ReadLine();
        while (first != null && first.Trim().Length == 0) first = reader.ReadLine();
        if (first == null) throw new InvalidDataException($"{name} is empty");
        first = first.TrimStart('\uFEFF');
        var header = SplitCsv(first);
        if (header.Contains("received_utc") && header.Contains("line")) return new(MonitorLogFormat, MonitorLog(reader, header, name), true);
        if (header.Count >= 3 && header[0] == "time_utc" && header[1] == "event") return new(SerialEventLogFormat, EventLog(reader, name), true);
        if (first.StartsWith("MHR,", StringComparison.Ordinal)) return new(AlertLinesFormat, BareLines(first, reader), false);
        throw new InvalidDataException($"{name}: not a monitor log (header received_utc,…,line), a serial event log (time_utc,event,text,bytes) or alert lines (MHR,…); the first line is '{Preview(first)}'");
    }

    private static List<SerialEvent> MonitorLog(TextReader reader, List<string> header, string name)
    {
        int timeCol = header.IndexOf("received_utc"), lineCol = header.IndexOf("line");
        var events = new List<SerialEvent>();
        int number = 1;
        for (string? row = reader.ReadLine(); row != null; row = reader.ReadLine())
        {
            number++;
            if (row.Length == 0) continue;
            if (row.StartsWith("received_utc,", StringComparison.Ordinal)) continue; // appended runs repeat nothing, but be lenient
            var f = SplitCsv(row);
            if (f.Count <= Math.Max(timeCol, lineCol)) throw new InvalidDataException($"{name} line {number}: {f.Count} fields, the header has {header.Count}");
            events.Add(new SerialLineReceived(Time(f[timeCol], name, number), f[lineCol]));
        }
        return events;
    }

    private static List<SerialEvent> EventLog(TextReader reader, string name)
    {
        var events = new List<SerialEvent>();
        int number = 1;
        for (string? row = reader.ReadLine(); row != null; row = reader.ReadLine())
        {
            number++;
            if (row.Length == 0) continue;
            var f = SplitCsv(row);
            if (f.Count < 3) throw new InvalidDataException($"{name} line {number}: expected time_utc,event,text,bytes");
            var at = Time(f[0], name, number);
            int.TryParse(f.Count > 3 ? f[3] : "", NumberStyles.None, CultureInfo.InvariantCulture, out int bytes);
            SerialEvent? e = f[1] switch
            {
                "line" => new SerialLineReceived(at, f[2]),
                "garbage-nontext" => new SerialGarbageReceived(at, SerialGarbageKind.NonText, bytes, f[2]),
                "garbage-overlong" => new SerialGarbageReceived(at, SerialGarbageKind.Overlong, bytes, f[2]),
                "garbage-incomplete" => new SerialGarbageReceived(at, SerialGarbageKind.Incomplete, bytes, f[2]),
                "port-opened" => new SerialPortOpened(at, f[2].Split(" at ")[0], 0),
                "port-lost" => new SerialPortLost(at, "the port", f[2]),
                "port-back" => new SerialPortBack(at, "the port", Downtime(f[2]), 0),
                _ => null, // an event this reader does not know tells nothing about the alerts
            };
            if (e != null) events.Add(e);
        }
        return events;
    }

    private static List<SerialEvent> BareLines(string first, TextReader reader)
    {
        var events = new List<SerialEvent>();
        double offsetMs = 0, lastMs = 0;
        for (string? line = first; line != null; line = reader.ReadLine())
        {
            line = line.TrimEnd('\r');
            if (line.Length == 0) continue;
            double at = lastMs;
            var f = line.Split(',');
            if (f.Length > 3 && uint.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out uint uptime))
            {
                if (uptime + offsetMs < lastMs) offsetMs = lastMs; // restart: uptime began again at 0
                at = uptime + offsetMs;
            }
            lastMs = at;
            events.Add(new SerialLineReceived(UptimeOrigin.AddMilliseconds(at), line));
        }
        return events;
    }

    private static DateTimeOffset Time(string text, string name, int number) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw new InvalidDataException($"{name} line {number}: '{Preview(text)}' is not a time");

    private static TimeSpan Downtime(string text)
    {
        var m = AfterSeconds().Match(text);
        return m.Success ? TimeSpan.FromSeconds(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)) : TimeSpan.Zero;
    }

    [GeneratedRegex(@"after ([0-9]+(?:\.[0-9]+)?) s")]
    private static partial Regex AfterSeconds();

    /// <summary>One CSV row's fields (RFC 4180 quoting: "a ""b"", c" is one field).</summary>
    public static List<string> SplitCsv(string row)
    {
        var fields = new List<string>();
        var f = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < row.Length; i++)
        {
            char c = row[i];
            if (quoted)
            {
                if (c != '"') f.Append(c);
                else if (i + 1 < row.Length && row[i + 1] == '"') { f.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(f.ToString()); f.Clear(); }
            else f.Append(c);
        }
        fields.Add(f.ToString());
        return fields;
    }

    private static string Preview(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
