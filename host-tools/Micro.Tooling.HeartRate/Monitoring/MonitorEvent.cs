using System.Globalization;
using Micro.HeartRate.Alarms;

namespace Micro.Tooling.Monitoring;

/// <summary>What a plain-language monitor event is about.</summary>
public enum MonitorEventKind
{
    /// <summary>A periodic status line: heart rate, rhythm, signal, motion.</summary>
    Status,
    AlarmRaised,
    AlarmCleared,

    /// <summary>The device started or restarted.</summary>
    Device,

    /// <summary>The link: connected, lost, back, lines lost or unreadable.</summary>
    Link,
}

/// <summary>One thing the monitor tells its user, in plain words, at the time it happened.</summary>
public sealed record MonitorEvent(DateTimeOffset At, MonitorEventKind Kind, string Text, AlarmKind? Alarm = null)
{
    /// <summary>"2026-12-06T14:03:12+01:00 Tachycardia raised: 152 bpm, resting" in the given zone (default local).</summary>
    public string PlainLine(TimeZoneInfo? zone = null) => PlainText.Iso(At, zone) + " " + Text;

    /// <summary>"14:03:12 Tachycardia raised: 152 bpm, resting" for the live view's log.</summary>
    public string ClockLine(TimeZoneInfo? zone = null) => PlainText.Clock(At, zone) + " " + Text;
}

/// <summary>Times and durations as the monitor writes them.</summary>
public static class PlainText
{
    public static DateTimeOffset In(DateTimeOffset at, TimeZoneInfo? zone) => TimeZoneInfo.ConvertTime(at, zone ?? TimeZoneInfo.Local);

    /// <summary>ISO 8601 to the second with the zone's offset: 2026-12-06T14:03:12+01:00 (Z in UTC).</summary>
    public static string Iso(DateTimeOffset at, TimeZoneInfo? zone)
    {
        var t = In(at, zone);
        return t.Offset == TimeSpan.Zero
            ? t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    public static string Clock(DateTimeOffset at, TimeZoneInfo? zone) => In(at, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>"50 s", "3 min 20 s", "2 h 05 min" (rounded down to the second).</summary>
    public static string Duration(TimeSpan d)
    {
        if (d < TimeSpan.Zero) d = TimeSpan.Zero;
        long s = (long)d.TotalSeconds;
        if (s < 60) return string.Create(CultureInfo.InvariantCulture, $"{s} s");
        if (s < 3600) return string.Create(CultureInfo.InvariantCulture, $"{s / 60} min {s % 60} s");
        return string.Create(CultureInfo.InvariantCulture, $"{s / 3600} h {s % 3600 / 60:D2} min");
    }
}
