using System.Globalization;
using Micro.Tooling.Alerts;
using Micro.Tooling.Serial;

namespace Micro.Tooling.Monitoring;

/// <summary>What the monitor tells its user about one serial event.</summary>
public enum MonitorSeverity { Info, Ok, Notice, Alarm, Problem }

public sealed record MonitorMessage(MonitorSeverity Severity, string Text);

/// <summary>
/// `micro monitor`'s core: serial events in (SerialMonitor), checked alert lines out. Every line is parsed
/// and CRC-checked (docs/alert-protocol.md); sequence gaps, restarts and rejected lines are reported; every
/// accepted line is appended to the CSV log. Survives garbage and a port that disappears and comes back
/// (SerialMonitor does the reconnecting).
/// </summary>
public sealed class AlertMonitor(TextWriter? log)
{
    /// <summary>What every alert line starts with; the serial monitor resynchronises on it (docs/alert-protocol.md).</summary>
    public const string LineStart = Micro.HeartRate.Protocol.AlertProtocol.Tag + ",";

    public const string LogHeader = "received_utc,seq,uptime_ms,kind,phase,hr_bpm,confidence_pct,irregularity_permille,quality,motion,active,line";

    public SequenceTracker Tracker { get; } = new();
    public long Accepted { get; private set; }
    public long Rejected { get; private set; }

    public void Start() => log?.WriteLine(LogHeader);

    public IEnumerable<MonitorMessage> Handle(SerialEvent e)
    {
        switch (e)
        {
            case SerialLineReceived l when BootInfoParser.TryParse(l.Text, out var info):
                // The boot report (MHI): shown, never logged as an alert or counted in the sequence.
                yield return new(MonitorSeverity.Info, l.Text + "  (" + info!.Plain() + ")");
                break;
            case SerialLineReceived l:
                if (!AlertParser.TryParse(l.Text, out var line, out var error))
                {
                    Rejected++;
                    Tracker.Reject();
                    yield return new(MonitorSeverity.Problem, $"rejected line ({error}): {Preview(l.Text)}");
                    yield break;
                }
                var seq = Tracker.Observe(line!);
                if (seq.Status == SequenceStatus.Gap) yield return new(MonitorSeverity.Problem, $"{seq.Lost} line(s) lost before seq {line!.Sequence}");
                else if (seq.Status == SequenceStatus.Restart) yield return new(MonitorSeverity.Notice, "device restarted");
                else if (seq.Status is SequenceStatus.Duplicate or SequenceStatus.Backwards) yield return new(MonitorSeverity.Problem, $"sequence {line!.Sequence} is {seq.Status.ToString().ToLowerInvariant()}");
                Accepted++;
                log?.WriteLine(LogRow(e.At, line!, l.Text));
                yield return new(SeverityOf(line!), line!.Quality == Micro.HeartRate.Signal.SignalQuality.Unreachable ? l.Text + "  (sensor unreachable, device retrying)" : l.Text);
                break;
            case SerialGarbageReceived g:
                Rejected++;
                Tracker.Reject();
                yield return new(MonitorSeverity.Problem, $"garbage ({g.Kind}, {g.ByteCount} bytes): {g.Preview}");
                break;
            case SerialPortLost p:
                yield return new(MonitorSeverity.Problem, $"port lost: {p.Reason}; retrying");
                break;
            case SerialPortBack b:
                yield return new(MonitorSeverity.Notice, $"port back after {b.Downtime.TotalSeconds:F1} s");
                break;
            case SerialPortOpened:
                yield return new(MonitorSeverity.Info, "port open");
                break;
            case SerialPortWaiting:
                yield return new(MonitorSeverity.Info, "waiting for the port");
                break;
        }
    }

    public string Summary() =>
        $"{Accepted} line(s) accepted, {Rejected} rejected, {Tracker.Lost} lost in {Tracker.Gaps} gap(s), {Tracker.Restarts} restart(s)";

    // A device that cannot reach its sensor (quality NOSENSOR) is a device problem, shown like the
    // monitor's own problems rather than as a clinical alarm.
    private static MonitorSeverity SeverityOf(AlertLine l) => l.Kind switch
    {
        AlertLineKind.Alarm or AlertLineKind.Status when l.Quality == Micro.HeartRate.Signal.SignalQuality.Unreachable => MonitorSeverity.Problem,
        AlertLineKind.Alarm when l.Phase == AlertPhase.On => MonitorSeverity.Alarm,
        AlertLineKind.Alarm => MonitorSeverity.Ok,
        AlertLineKind.Boot => MonitorSeverity.Notice,
        _ => l.ActiveMask != 0 ? MonitorSeverity.Alarm : MonitorSeverity.Info,
    };

    private static string LogRow(DateTimeOffset at, AlertLine l, string text) => string.Join(",",
        at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), l.Sequence, l.UptimeMs,
        l.Kind == AlertLineKind.Alarm ? l.Alarm.ToString() : l.Kind.ToString(), l.Phase, l.RateBpm?.ToString(CultureInfo.InvariantCulture) ?? "",
        l.ConfidencePercent, l.IrregularityPermille?.ToString(CultureInfo.InvariantCulture) ?? "", l.Quality, l.Moving ? "MOVE" : "REST",
        l.ActiveMask.ToString("X2", CultureInfo.InvariantCulture), "\"" + text.Replace("\"", "\"\"") + "\"");

    private static string Preview(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
