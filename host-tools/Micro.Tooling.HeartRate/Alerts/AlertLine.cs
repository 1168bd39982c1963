using Micro.HeartRate.Alarms;
using Micro.HeartRate.Signal;

namespace Micro.Tooling.Alerts;

/// <summary>What an alert line is about.</summary>
public enum AlertLineKind
{
    Boot,
    Status,
    Alarm,
}

/// <summary>Whether an alarm line raises or clears the alarm (None for BOOT and STATUS).</summary>
public enum AlertPhase
{
    None,
    On,
    Off,
}

/// <summary>One parsed, CRC-checked alert line (docs/alert-protocol.md).</summary>
public sealed record AlertLine(
    int Version,
    uint Sequence,
    uint UptimeMs,
    AlertLineKind Kind,
    AlarmKind? Alarm,
    AlertPhase Phase,
    int? RateBpm,
    int ConfidencePercent,
    int? IrregularityPermille,
    SignalQuality Quality,
    bool Moving,
    int ActiveMask,
    ushort Crc)
{
    /// <summary>True if the given alarm is active after this line.</summary>
    public bool IsActive(AlarmKind kind) => (ActiveMask & AlarmKinds.Bit(kind)) != 0;
}
