using System.Globalization;

namespace Micro.App.Tests.Support;

/// <summary>
/// One parsed alert line (docs/alert-protocol.md, version 1), checked strictly: tag, version, field count,
/// decimal ranges, tokens, upper-case hex and the CRC-16/CCITT-FALSE. Written from the spec for these tests
/// (the host tools' parser is not in main yet); Parse throws FormatException naming the bad field.
/// </summary>
public sealed record AlertLine(uint Seq, uint UptimeMs, string Kind, string Phase, int? RateBpm, int Confidence, int? Irregularity,
    string Quality, string Motion, int ActiveMask)
{
    private static readonly string[] Kinds = { "BOOT", "STATUS", "BRADY", "TACHY", "IRREG", "NOPULSE", "CONTACT", "MODEL" };
    private static readonly string[] Qualities = { "GOOD", "FAIR", "POOR", "FLAT", "CLIP", "NOPULSE", "MOTION" };

    public static AlertLine Parse(string line)
    {
        if (line.EndsWith('\r')) line = line[..^1];
        if (line.Length + 1 > 80) throw new FormatException("line longer than 80 bytes: " + line);
        int star = line.IndexOf('*');
        if (star < 0 || line.Length - star != 5) throw new FormatException("no '*' + 4 hex digit CRC: " + line);
        string crcText = line[(star + 1)..];
        if (crcText.Any(c => !(c is >= '0' and <= '9' or >= 'A' and <= 'F'))) throw new FormatException("crc is not upper-case hex: " + line);
        int crc = Crc16(line[..star]);
        if (crc != int.Parse(crcText, NumberStyles.HexNumber, CultureInfo.InvariantCulture)) throw new FormatException("CRC mismatch: " + line);
        string[] f = line[..star].Split(',');
        if (f.Length != 12) throw new FormatException("expected 12 fields, got " + f.Length + ": " + line);
        if (f[0] != "MHR") throw new FormatException("tag: " + line);
        if (f[1] != "1") throw new FormatException("version: " + line);
        uint seq = uint.Parse(f[2], NumberStyles.None, CultureInfo.InvariantCulture);
        uint up = uint.Parse(f[3], NumberStyles.None, CultureInfo.InvariantCulture);
        if (!Kinds.Contains(f[4])) throw new FormatException("kind: " + line);
        bool periodic = f[4] is "BOOT" or "STATUS";
        if (periodic ? f[5] != "-" : f[5] is not ("ON" or "OFF")) throw new FormatException("phase: " + line);
        int? hr = f[6] == "-" ? null : Range(f[6], 0, 300, "hr", line);
        int conf = Range(f[7], 0, 100, "conf", line);
        int? irr = f[8] == "-" ? null : Range(f[8], 0, 1000, "irr", line);
        if (!Qualities.Contains(f[9])) throw new FormatException("quality: " + line);
        if (f[10] is not ("REST" or "MOVE")) throw new FormatException("motion: " + line);
        if (f[11].Length != 2 || f[11].Any(c => !(c is >= '0' and <= '9' or >= 'A' and <= 'F'))) throw new FormatException("active: " + line);
        int active = int.Parse(f[11], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if ((active & 0xC0) != 0) throw new FormatException("reserved active bits: " + line);
        return new AlertLine(seq, up, f[4], f[5], hr, conf, irr, f[9], f[10], active);
    }

    private static int Range(string text, int min, int max, string field, string line)
    {
        if (text.Length == 0 || text.Any(c => c is < '0' or > '9')) throw new FormatException(field + " is not decimal: " + line);
        int v = int.Parse(text, CultureInfo.InvariantCulture);
        if (v < min || v > max) throw new FormatException(field + " out of range: " + line);
        return v;
    }

    public static int Crc16(string text)
    {
        int crc = 0xFFFF;
        foreach (char ch in text)
        {
            crc ^= ch << 8;
            for (int b = 0; b < 8; b++) crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            crc &= 0xFFFF;
        }
        return crc;
    }

    public bool Has(int bit) => (ActiveMask & bit) != 0;
}
