using System.Globalization;
using Micro.HeartRate.Alarms;
using Micro.HeartRate.Signal;
using Micro.Tooling.Alerts;
using Micro.Tooling.Serial;

namespace Micro.Tooling.Monitoring;

/// <summary>An alarm the device reports active, since when (as the monitor saw it).</summary>
/// <param name="StartSeen">False when the monitor only learnt of it from the active mask (its raise line came before the monitor started, or was lost).</param>
public sealed record ActiveAlarm(AlarmKind Kind, DateTimeOffset Since, bool StartSeen);

/// <summary>One period an alarm was active. Open: still active when the data ended.</summary>
public sealed record AlarmPeriod(AlarmKind Kind, DateTimeOffset Start, DateTimeOffset End, bool StartSeen, bool Open)
{
    public TimeSpan Duration => End - Start;
}

/// <summary>A heart rate the device reported, with the confidence of a status line (null on alarm lines).</summary>
public readonly record struct RatePoint(DateTimeOffset At, int Bpm, int? ConfidencePercent);

/// <summary>A stretch of time with one signal quality (from one line to the next that changes it).</summary>
public sealed record QualityPeriod(SignalQuality Quality, DateTimeOffset Start, DateTimeOffset End)
{
    public bool Poor => AlertWording.Of(Quality).Poor;
}

/// <summary>
/// What the monitor knows about one device from its alert lines: the last heart rate and when it was good, the
/// rhythm, signal and motion, the active alarms and their history, the rate history, the link's losses. Fed
/// serial events (live) or timed lines (a log being replayed), it answers each with plain-language events
/// (wording from <see cref="AlertWording"/>). Not thread-safe: the caller locks.
/// </summary>
public sealed class MonitorState
{
    private readonly SequenceTracker tracker = new();
    private readonly Dictionary<AlarmKind, ActiveAlarm> active = [];
    private readonly List<AlarmPeriod> periods = [];
    private readonly List<RatePoint> rates = [];
    private readonly List<QualityPeriod> qualities = [];
    private readonly LinkedList<MonitorEvent> recent = new();
    private readonly int recentCapacity;
    private DateTimeOffset qualitySince;

    public MonitorState(int recentCapacity = 200) => this.recentCapacity = recentCapacity;

    public AlertLine? Last { get; private set; }

    public DateTimeOffset? FirstAt { get; private set; }

    public DateTimeOffset? LastAt { get; private set; }

    /// <summary>The last rate the device sent (any line with a rate) and when.</summary>
    public int? LastGoodRate { get; private set; }

    public DateTimeOffset? LastGoodRateAt { get; private set; }

    /// <summary>Confidence in the rate from the last status line that had one.</summary>
    public int? RateConfidence { get; private set; }

    public IReadOnlyDictionary<AlarmKind, ActiveAlarm> Active => active;

    /// <summary>Finished alarm periods, in the order they ended.</summary>
    public IReadOnlyList<AlarmPeriod> Periods => periods;

    public IReadOnlyList<RatePoint> Rates => rates;

    /// <summary>The newest events other than status lines, oldest first (at most the capacity given).</summary>
    public IReadOnlyCollection<MonitorEvent> Recent => recent;

    public long Lines { get; private set; }

    public long Rejected { get; private set; }

    public long Garbage { get; private set; }

    public long Lost => tracker.Lost;

    public long Restarts => tracker.Restarts;

    public long Ignored => tracker.Duplicates + tracker.OutOfOrder;

    public long AlarmsRaised { get; private set; }

    public int PortLosses { get; private set; }

    public string? Port { get; private set; }

    /// <summary>True while the port is open, false while lost or awaited, null before anything happened.</summary>
    public bool? PortOpen { get; private set; }

    public DateTimeOffset? PortLostSince { get; private set; }

    /// <summary>Takes one serial event; returns what to tell the user about it (nothing for unknown event types).</summary>
    public IReadOnlyList<MonitorEvent> Apply(SerialEvent e)
    {
        var said = new List<MonitorEvent>();
        switch (e)
        {
            case SerialLineReceived l when BootInfoParser.TryParse(l.Text, out var info):
                Say(said, e.At, MonitorEventKind.Device, info!.Plain());
                break;
            case SerialLineReceived l:
                if (AlertParser.TryParse(l.Text, out var line, out var error)) return Apply(e.At, line!);
                Reject(e.At, error!, said);
                break;
            case SerialGarbageReceived g:
                Garbage++;
                tracker.Reject();
                string what = g.Kind switch
                {
                    SerialGarbageKind.NonText => "bytes that are not text",
                    SerialGarbageKind.Overlong => "a line too long to be an alert",
                    _ => "a line cut short",
                };
                Say(said, e.At, MonitorEventKind.Link, string.Create(CultureInfo.InvariantCulture, $"Noise ignored: {g.ByteCount} bytes, {what}"));
                break;
            case SerialPortOpened o:
                (Port, PortOpen) = (o.Port, true);
                Say(said, e.At, MonitorEventKind.Link, string.Create(CultureInfo.InvariantCulture, $"Connected to {o.Port} at {o.BaudRate} baud"));
                break;
            case SerialPortWaiting w:
                (Port, PortOpen) = (w.Port, false);
                Say(said, e.At, MonitorEventKind.Link, $"Waiting for {w.Port} to appear");
                break;
            case SerialPortLost p:
                (Port, PortOpen, PortLostSince) = (p.Port, false, e.At);
                PortLosses++;
                Say(said, e.At, MonitorEventKind.Link, $"Connection to {p.Port} lost: {p.Reason}; retrying");
                break;
            case SerialPortBack b:
                (Port, PortOpen, PortLostSince) = (b.Port, true, null);
                Say(said, e.At, MonitorEventKind.Link, $"Connection back after {PlainText.Duration(b.Downtime)}");
                break;
        }
        return said;
    }

    /// <summary>Counts a line that did not parse.</summary>
    public IReadOnlyList<MonitorEvent> Reject(DateTimeOffset at, string reason)
    {
        var said = new List<MonitorEvent>();
        Reject(at, reason, said);
        return said;
    }

    private void Reject(DateTimeOffset at, string reason, List<MonitorEvent> said)
    {
        Rejected++;
        tracker.Reject();
        Say(said, at, MonitorEventKind.Link, $"Unreadable line ignored: {reason}");
    }

    /// <summary>Takes one parsed line received at <paramref name="at"/>; returns what to tell the user.</summary>
    public IReadOnlyList<MonitorEvent> Apply(DateTimeOffset at, AlertLine line)
    {
        var said = new List<MonitorEvent>();
        var seq = tracker.Observe(line);
        switch (seq.Status)
        {
            case SequenceStatus.Duplicate:
                Say(said, at, MonitorEventKind.Link, $"Line {line.Sequence} received twice; the repeat is ignored");
                return said;
            case SequenceStatus.Backwards:
                Say(said, at, MonitorEventKind.Link, $"Line {line.Sequence} arrived out of order; ignored");
                return said;
            case SequenceStatus.Gap:
                Say(said, at, MonitorEventKind.Link, seq.Lost == 1 ? $"1 line lost before line {line.Sequence}" : $"{seq.Lost} lines lost before line {line.Sequence}");
                break;
        }
        Lines++;
        FirstAt ??= at;
        TrackQuality(at, line.Quality);
        Last = line;
        LastAt = at;
        if (line.RateBpm is int bpm)
        {
            LastGoodRate = bpm;
            LastGoodRateAt = at;
            if (line.Kind == AlertLineKind.Status) RateConfidence = line.ConfidencePercent;
            rates.Add(new RatePoint(at, bpm, line.Kind == AlertLineKind.Status ? line.ConfidencePercent : null));
        }
        switch (line.Kind)
        {
            case AlertLineKind.Boot:
                RateConfidence = null;
                Say(said, at, MonitorEventKind.Device, seq.Status == SequenceStatus.Restart ? "Device restarted" : AlertWording.Lines["BOOT"]);
                break;
            case AlertLineKind.Status:
                Say(said, at, MonitorEventKind.Status, StatusWords(line));
                break;
            case AlertLineKind.Alarm when line.Phase == AlertPhase.On:
                var kind = line.Alarm!.Value;
                if (!active.ContainsKey(kind)) active[kind] = new ActiveAlarm(kind, at, true);
                AlarmsRaised++;
                Say(said, at, MonitorEventKind.AlarmRaised, RaisedWords(line), kind);
                break;
            case AlertLineKind.Alarm:
                Clear(line.Alarm!.Value, at, said);
                break;
        }
        Reconcile(at, line.ActiveMask, said);
        return said;
    }

    /// <summary>Finished periods plus the ones still active, ended at <paramref name="end"/> and marked open.</summary>
    public IReadOnlyList<AlarmPeriod> PeriodsUntil(DateTimeOffset end) =>
        [.. periods, .. active.Values.OrderBy(a => a.Since).Select(a => new AlarmPeriod(a.Kind, a.Since, end < a.Since ? a.Since : end, a.StartSeen, true))];

    /// <summary>The quality periods, the current one ended at <paramref name="end"/>.</summary>
    public IReadOnlyList<QualityPeriod> QualitiesUntil(DateTimeOffset end) =>
        Last is null ? qualities : [.. qualities, new QualityPeriod(Last.Quality, qualitySince, end < qualitySince ? qualitySince : end)];

    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"{Count(Lines, "line")} read, {Lost} lost, {Rejected + Garbage} unreadable, {Count(Restarts, "device restart")}, connection lost {Count(PortLosses, "time")}, {Count(AlarmsRaised, "alarm")} raised");

    private static string Count(long n, string what) => string.Create(CultureInfo.InvariantCulture, $"{n} {what}{(n == 1 ? "" : "s")}");

    private void TrackQuality(DateTimeOffset at, SignalQuality q)
    {
        if (Last is null)
        {
            qualitySince = at;
        }
        else if (Last.Quality != q)
        {
            qualities.Add(new QualityPeriod(Last.Quality, qualitySince, at));
            qualitySince = at;
        }
    }

    private void Clear(AlarmKind kind, DateTimeOffset at, List<MonitorEvent> said)
    {
        string name = AlertWording.Of(kind).Name;
        if (active.Remove(kind, out var a))
        {
            periods.Add(new AlarmPeriod(kind, a.Since, at, a.StartSeen, false));
            string after = (a.StartSeen ? "after " : "after at least ") + PlainText.Duration(at - a.Since);
            Say(said, at, MonitorEventKind.AlarmCleared, $"{name} {AlertWording.PhaseOf(false)} {after}", kind);
        }
        else
        {
            Say(said, at, MonitorEventKind.AlarmCleared, $"{name} {AlertWording.PhaseOf(false)} (its start was not seen)", kind);
        }
    }

    // The active mask is the device's word on what is active: an alarm whose raise or clear line was lost, or
    // that was active before the monitor started, or ended by a restart, is put right here.
    private void Reconcile(DateTimeOffset at, int mask, List<MonitorEvent> said)
    {
        for (int k = 0; k < AlarmKinds.Count; k++)
        {
            var kind = (AlarmKind)k;
            bool on = (mask & AlarmKinds.Bit(kind)) != 0;
            if (on && !active.ContainsKey(kind))
            {
                active[kind] = new ActiveAlarm(kind, at, false);
                Say(said, at, MonitorEventKind.AlarmRaised, $"{AlertWording.Of(kind).Name} is active (raised before this point)", kind);
            }
            else if (!on && active.ContainsKey(kind))
            {
                Clear(kind, at, said);
            }
        }
    }

    private static string StatusWords(AlertLine l)
    {
        var q = AlertWording.Of(l.Quality);
        string rate = l.RateBpm is int bpm
            ? string.Create(CultureInfo.InvariantCulture, $"Heart rate {bpm} bpm (confidence {l.ConfidencePercent} %)")
            : "No heart rate";
        string rhythm = l.RateBpm is null && l.IrregularityPermille is null ? "" : ", rhythm " + AlertWording.RhythmOf(l.IrregularityPermille);
        string text = $"{rate}{rhythm}, {q.Signal}, {q.Contact}, {AlertWording.MotionOf(l.Moving)}";
        var on = Enumerable.Range(0, AlarmKinds.Count).Where(k => (l.ActiveMask & (1 << k)) != 0).Select(k => AlertWording.Alarms[k].Name).ToList();
        return on.Count == 0 ? text : text + "; active: " + string.Join(", ", on);
    }

    private static string RaisedWords(AlertLine l)
    {
        var w = AlertWording.Of(l.Alarm!.Value);
        var q = AlertWording.Of(l.Quality);
        var parts = new List<string>();
        if (w.Clinical || l.RateBpm is not null) parts.Add(l.RateBpm is int bpm ? string.Create(CultureInfo.InvariantCulture, $"{bpm} bpm") : "no heart rate");
        if (l.Alarm == AlarmKind.Irregular && l.IrregularityPermille is int irr) parts.Add(string.Create(CultureInfo.InvariantCulture, $"irregularity {irr} ‰"));
        if (!w.Clinical || q.Poor) parts.Add(q.Contact == "on the wrist" ? q.Signal : $"{q.Contact} ({q.Signal})");
        parts.Add(AlertWording.MotionOf(l.Moving));
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"confidence {l.ConfidencePercent} %"));
        return $"{w.Name} {AlertWording.PhaseOf(true)}: {string.Join(", ", parts)}";
    }

    private void Say(List<MonitorEvent> said, DateTimeOffset at, MonitorEventKind kind, string text, AlarmKind? alarm = null)
    {
        var e = new MonitorEvent(at, kind, text, alarm);
        said.Add(e);
        if (kind == MonitorEventKind.Status) return; // every 10 s: the view shows the latest, not a log of them
        recent.AddLast(e);
        while (recent.Count > recentCapacity) recent.RemoveFirst();
    }
}
