using Micro.HeartRate.Protocol;
using Micro.Tooling.Alerts;
using ToolingLine = Micro.Tooling.Alerts.AlertLine;

namespace Micro.App.Tests.Support;

/// <summary>
/// An alert line as the tests read it, parsed by the host tools' parser (Micro.Tooling.Alerts.AlertParser:
/// CRC, field count, ranges, tokens; throws AlertFormatException) and flattened to the protocol's tokens.
/// </summary>
public sealed record AlertLine(uint Seq, uint UptimeMs, string Kind, string Phase, int? RateBpm, int Confidence, int? Irregularity,
    string Quality, string Motion, int ActiveMask, ToolingLine Parsed)
{
    public static AlertLine Parse(string text)
    {
        ToolingLine l = AlertParser.Parse(text);
        string kind = l.Kind switch
        {
            AlertLineKind.Boot => AlertProtocol.BootKind,
            AlertLineKind.Status => AlertProtocol.StatusKind,
            _ => AlertProtocol.AlarmToken(l.Alarm!.Value),
        };
        string phase = l.Phase switch { AlertPhase.On => "ON", AlertPhase.Off => "OFF", _ => "-" };
        return new AlertLine(l.Sequence, l.UptimeMs, kind, phase, l.RateBpm, l.ConfidencePercent, l.IrregularityPermille,
            AlertProtocol.QualityToken(l.Quality), l.Moving ? AlertProtocol.MotionMove : AlertProtocol.MotionRest, l.ActiveMask, l);
    }

    public bool Has(int bit) => (ActiveMask & bit) != 0;
}
