using System.Globalization;
using Micro.HeartRate.Protocol;

namespace Micro.Tooling.Alerts;

/// <summary>One boot-report line: `MHI,1,&lt;uptime_ms&gt;,key=value,…` (docs/alert-protocol.md, "Boot report").</summary>
public sealed record BootInfoLine(long UptimeMs, IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    public string? this[string key] => Fields.FirstOrDefault(f => f.Key == key).Value;

    /// <summary>The line in plain words: "Device report: firmware 0.4.0, blob format 3, free heap 51,200 B".</summary>
    public string Plain()
    {
        var parts = new List<string>();
        foreach (var (k, v) in Fields)
            parts.Add(k switch
            {
                "fw" => "firmware " + v,
                "blob" => "blob format " + v,
                "heap" => v == "-" ? "free heap unknown" : long.TryParse(v, out long h) ? string.Create(CultureInfo.InvariantCulture, $"free heap {h:N0} B") : "free heap " + v,
                "model" => v == "none" ? "no model (rules only)" : "model from " + v,
                "st" => v switch
                {
                    "none" => "no self-test in the blob",
                    _ when v.StartsWith("fail:", StringComparison.Ordinal) => "self-test FAILED (" + v[5..] + " vectors passed)",
                    _ => "self-test passed (" + v + ")",
                },
                "stus" => v == "-" ? "" : long.TryParse(v, out long us) ? string.Create(CultureInfo.InvariantCulture, $"in {us / 1000.0:0.#} ms") : "in " + v + " µs",
                "why" => "reason: " + v.Replace('_', ' '),
                _ => k + " " + v,
            });
        return "Device report: " + string.Join(", ", parts.Where(p => p.Length > 0)).Replace(", in ", " in ", StringComparison.Ordinal);
    }
}

/// <summary>
/// Parses the boot report's MHI lines: same framing as alert lines (printable ASCII, no spaces, at most
/// 80 bytes, CRC-16 of the bytes before '*'), version 1, an uptime, then key=value fields. They are not part
/// of the alert sequence, so a reader shows them and leaves sequence tracking alone.
/// </summary>
public static class BootInfoParser
{
    public const string Tag = "MHI";

    public static bool TryParse(string? line, out BootInfoLine? info)
    {
        info = null;
        if (line == null || !line.StartsWith(Tag + ",", StringComparison.Ordinal)) return false;
        string s = line.EndsWith("\r\n", StringComparison.Ordinal) ? line[..^2] : line.EndsWith('\n') ? line[..^1] : line;
        if (s.Length + 1 > AlertProtocol.MaxLineLength || s.Any(c => c is < (char)0x21 or > (char)0x7E)) return false;
        int star = s.IndexOf('*');
        if (star < 0 || s.Length - star - 1 != 4) return false;
        if (!ushort.TryParse(s[(star + 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort crc)) return false;
        byte[] body = System.Text.Encoding.ASCII.GetBytes(s[..star]);
        if (Crc16.Compute(body, 0, body.Length) != crc) return false;
        string[] f = s[..star].Split(',');
        if (f.Length < 4 || f[1] != "1" || !long.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out long uptime)) return false;
        var fields = new List<KeyValuePair<string, string>>();
        for (int i = 3; i < f.Length; i++)
        {
            int eq = f[i].IndexOf('=');
            if (eq <= 0) return false;
            fields.Add(new(f[i][..eq], f[i][(eq + 1)..]));
        }
        info = new BootInfoLine(uptime, fields);
        return true;
    }
}
