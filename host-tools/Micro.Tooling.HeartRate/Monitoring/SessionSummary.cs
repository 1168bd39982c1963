using Micro.HeartRate.Alarms;

namespace Micro.Tooling.Monitoring;

/// <summary>Per alarm kind: how often it was raised and how long it was active in all.</summary>
public sealed record AlarmTotal(AlarmWording Wording, int Count, TimeSpan Total, TimeSpan Longest, bool ActiveAtEnd);

/// <summary>
/// A recorded session replayed through <see cref="MonitorState"/>, the same state the live view shows: rates,
/// alarm and quality periods (the ones still open closed at the last event), the totals the report prints.
/// </summary>
public sealed class SessionSummary
{
    private SessionSummary(string source, AlertLogContents log, MonitorState state, List<MonitorEvent> events)
    {
        Source = source;
        Log = log;
        State = state;
        Events = events;
        Start = state.FirstAt ?? (log.Events.Count > 0 ? log.Events[0].At : AlertLog.UptimeOrigin);
        End = log.Events.Count > 0 ? log.Events[^1].At : Start;
        if (End < Start) End = Start;
        Periods = state.PeriodsUntil(End);
        Qualities = state.QualitiesUntil(End);
        Totals = [.. AlertWording.Alarms.Select(w =>
        {
            var mine = Periods.Where(p => p.Kind == w.Kind).ToList();
            return new AlarmTotal(w, mine.Count, TimeSpan.FromTicks(mine.Sum(p => p.Duration.Ticks)),
                mine.Count == 0 ? TimeSpan.Zero : mine.Max(p => p.Duration), mine.Any(p => p.Open));
        })];
        PoorTime = TimeSpan.FromTicks(Qualities.Where(q => q.Poor).Sum(q => (q.End - q.Start).Ticks));
    }

    public string Source { get; }

    public AlertLogContents Log { get; }

    public MonitorState State { get; }

    /// <summary>Every plain-language event of the session, status lines included.</summary>
    public IReadOnlyList<MonitorEvent> Events { get; }

    public DateTimeOffset Start { get; }

    public DateTimeOffset End { get; }

    public TimeSpan Duration => End - Start;

    public IReadOnlyList<AlarmPeriod> Periods { get; }

    public IReadOnlyList<QualityPeriod> Qualities { get; }

    /// <summary>One row per alarm kind, in protocol order (kinds never raised have Count 0).</summary>
    public IReadOnlyList<AlarmTotal> Totals { get; }

    /// <summary>Total time the signal quality was too poor to trust the rate.</summary>
    public TimeSpan PoorTime { get; }

    public AlarmTotal TotalOf(AlarmKind kind) => Totals[(int)kind];

    public static SessionSummary Of(string path) => Of(AlertLog.Read(path), Path.GetFileName(path));

    public static SessionSummary Of(AlertLogContents log, string source)
    {
        var state = new MonitorState();
        var events = new List<MonitorEvent>();
        foreach (var e in log.Events) events.AddRange(state.Apply(e));
        return new SessionSummary(source, log, state, events);
    }
}
