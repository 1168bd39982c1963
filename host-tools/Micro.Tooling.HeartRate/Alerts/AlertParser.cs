using System.Globalization;
using Micro.HeartRate.Alarms;
using Micro.HeartRate.Protocol;
using Micro.HeartRate.Signal;

namespace Micro.Tooling.Alerts;

/// <summary>
/// Parses alert lines (docs/alert-protocol.md). Checks, in order: length, characters, the '*' and the
/// 4-digit CRC, the CRC itself, the field count, then every field. A line that fails any check is rejected
/// with a message naming what is wrong; a cut, corrupted or foreign line never parses.
/// </summary>
public static class AlertParser
{
    /// <summary>Parses one line (a trailing "\n" or "\r\n" is allowed) or throws AlertFormatException.</summary>
    public static AlertLine Parse(string line)
    {
        if (TryParse(line, out var parsed, out var error)) return parsed!;
        throw new AlertFormatException(error!);
    }

    public static bool TryParse(string line, out AlertLine? parsed, out string? error)
    {
        parsed = null;
        error = Check(line, out parsed);
        return error == null;
    }

    private static string? Check(string? line, out AlertLine? parsed)
    {
        parsed = null;
        if (line == null) return "no line";
        string s = line.EndsWith("\r\n", StringComparison.Ordinal) ? line[..^2] : line.EndsWith('\n') ? line[..^1] : line;
        if (s.Length == 0) return "empty line";
        if (s.Length + 1 > AlertProtocol.MaxLineLength) return $"line is {s.Length + 1} bytes; at most {AlertProtocol.MaxLineLength} allowed";
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == ' ') return $"space at column {i + 1}: alert lines have no spaces (not an alert line, or garbage)";
            if (c < 0x21 || c > 0x7E) return $"non-printable or non-ASCII character 0x{(int)c:X2} at column {i + 1} (garbage or two lines run together)";
        }
        if (!s.StartsWith(AlertProtocol.Tag + ",", StringComparison.Ordinal)) return $"line does not start with '{AlertProtocol.Tag},'";
        int star = s.IndexOf('*');
        if (star < 0) return "no '*' checksum separator (line cut short?)";
        if (s.IndexOf('*', star + 1) >= 0) return "more than one '*' (two lines run together?)";
        string crcText = s[(star + 1)..];
        if (crcText.Length != 4) return $"checksum must be 4 hex digits, found '{crcText}' (line cut short?)";
        if (!ushort.TryParse(crcText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort crc) || crcText.Any(char.IsLower))
            return $"checksum '{crcText}' is not 4 upper-case hex digits";
        byte[] body = System.Text.Encoding.ASCII.GetBytes(s[..star]);
        int actual = Crc16.Compute(body, 0, body.Length);
        if (actual != crc) return $"CRC mismatch: line says {crc:X4}, content gives {actual:X4} (corrupted line)";

        string[] f = s[..star].Split(',');
        if (f.Length != AlertProtocol.FieldCount) return $"expected {AlertProtocol.FieldCount} fields before '*', found {f.Length}";
        if (!int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out int version)) return $"version '{f[1]}' is not a number";
        if (version != AlertProtocol.Version) return $"unsupported protocol version {version} (this reader knows {AlertProtocol.Version})";
        if (!TryUInt(f[2], out uint seq)) return $"sequence '{f[2]}' is not a decimal 0..4294967295";
        if (!TryUInt(f[3], out uint uptime)) return $"uptime '{f[3]}' is not a decimal 0..4294967295";

        AlertLineKind kind;
        AlarmKind? alarm = null;
        if (f[4] == AlertProtocol.BootKind) kind = AlertLineKind.Boot;
        else if (f[4] == AlertProtocol.StatusKind) kind = AlertLineKind.Status;
        else
        {
            int index = Array.IndexOf(AlertProtocol.AlarmTokens, f[4]);
            if (index < 0) return $"unknown kind '{f[4]}'";
            kind = AlertLineKind.Alarm;
            alarm = (AlarmKind)index;
        }

        AlertPhase phase;
        if (f[5] == AlertProtocol.PhaseOn) phase = AlertPhase.On;
        else if (f[5] == AlertProtocol.PhaseOff) phase = AlertPhase.Off;
        else if (f[5] == AlertProtocol.NoValue) phase = AlertPhase.None;
        else return $"unknown phase '{f[5]}'";
        if (kind == AlertLineKind.Alarm && phase == AlertPhase.None) return $"alarm line {f[4]} needs phase ON or OFF";
        if (kind != AlertLineKind.Alarm && phase != AlertPhase.None) return $"{f[4]} line must have phase '-'";

        int? rate = null;
        if (f[6] != AlertProtocol.NoValue)
        {
            if (!TryInt(f[6], 1, AlertProtocol.MaxRateBpm, out int r)) return $"heart rate '{f[6]}' is not '-' or 1..{AlertProtocol.MaxRateBpm}";
            rate = r;
        }
        if (!TryInt(f[7], 0, 100, out int confidence)) return $"confidence '{f[7]}' is not 0..100";
        int? irregularity = null;
        if (f[8] != AlertProtocol.NoValue)
        {
            if (!TryInt(f[8], 0, 1000, out int irr)) return $"irregularity '{f[8]}' is not '-' or 0..1000";
            irregularity = irr;
        }
        int quality = Array.IndexOf(AlertProtocol.QualityTokens, f[9]);
        if (quality < 0) return $"unknown quality '{f[9]}'";
        bool moving;
        if (f[10] == AlertProtocol.MotionMove) moving = true;
        else if (f[10] == AlertProtocol.MotionRest) moving = false;
        else return $"motion '{f[10]}' is not {AlertProtocol.MotionRest} or {AlertProtocol.MotionMove}";
        if (f[11].Length != 2 || !int.TryParse(f[11], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int mask) || f[11].Any(char.IsLower))
            return $"active mask '{f[11]}' is not 2 upper-case hex digits";
        if ((mask & ~AlertProtocol.ActiveMaskBits) != 0) return $"active mask {mask:X2} sets reserved bits";

        parsed = new AlertLine(version, seq, uptime, kind, alarm, phase, rate, confidence, irregularity, (SignalQuality)quality, moving, mask, crc);
        return null;
    }

    // Plain decimal digits only (no sign, no spaces, no leading zeros except "0").
    private static bool TryUInt(string s, out uint value)
    {
        value = 0;
        if (s.Length == 0 || s.Length > 10 || (s.Length > 1 && s[0] == '0')) return false;
        foreach (char c in s) if (c < '0' || c > '9') return false;
        return uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryInt(string s, int min, int max, out int value)
    {
        value = 0;
        if (!TryUInt(s, out uint v) || v < min || v > max) return false;
        value = (int)v;
        return true;
    }
}
