using System.Globalization;
using System.Text;

namespace Micro.Tooling.Serial;

/// <summary>
/// One CSV row per monitor event, for <c>micro monitor --log FILE.csv</c>:
/// <c>time_utc,event,text,bytes</c>, RFC 4180 quoting (device lines are often CSV themselves and stay one field).
/// </summary>
/// <example>
/// <code>
/// 2026-01-01T10:00:00.125Z,line,"HR,72,0",7
/// 2026-01-01T10:00:01.500Z,garbage-nontext,\xFF\x00,2
/// 2026-01-01T10:00:02.000Z,port-lost,/dev/ttyUSB0 hung up (device unplugged or closed),
/// </code>
/// </example>
public static class SerialEventCsv
{
    public const string Header = "time_utc,event,text,bytes";

    public static string Row(SerialEvent e)
    {
        (string kind, string text, string bytes) = e switch
        {
            SerialLineReceived l => ("line", l.Text, l.Text.Length.ToString(CultureInfo.InvariantCulture)),
            SerialGarbageReceived g => ("garbage-" + g.Kind.ToString().ToLowerInvariant(), g.Preview, g.ByteCount.ToString(CultureInfo.InvariantCulture)),
            SerialPortOpened o => ("port-opened", $"{o.Port} at {o.BaudRate} baud", ""),
            SerialPortWaiting w => ("port-waiting", w.Reason, ""),
            SerialPortLost l => ("port-lost", l.Reason, ""),
            SerialPortBack b => ("port-back", string.Create(CultureInfo.InvariantCulture, $"{b.Port} after {b.Downtime.TotalSeconds:F1} s, {b.Attempts} attempts"), ""),
            _ => (e.GetType().Name, "", ""),
        };
        string time = e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return $"{time},{kind},{Quote(text)},{bytes}";
    }

    private static string Quote(string field)
    {
        if (field.IndexOfAny([',', '"', '\n', '\r']) < 0) return field;
        return new StringBuilder(field.Length + 2).Append('"').Append(field.Replace("\"", "\"\"")).Append('"').ToString();
    }
}
