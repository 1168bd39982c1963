namespace Micro.Tooling.Serial;

/// <summary>What <see cref="SerialMonitor"/> watches and how patiently.</summary>
public sealed record SerialMonitorOptions
{
    /// <summary>Port name as for <see cref="SerialLink.Open"/>.</summary>
    public required string Port { get; init; }

    public int BaudRate { get; init; } = SerialLink.DefaultBaudRate;

    /// <summary>Longest accepted line in bytes (without the line ending); longer ones are garbage.</summary>
    public int MaxLineLength { get; init; } = SerialLineSplitter.DefaultMaxLineLength;

    /// <summary>Tag every line starts with (the alert protocol's <c>MHR,</c>): the monitor resynchronises on it anywhere in
    /// the stream (<see cref="SerialLineSplitter"/>). Null: lines are split on <c>\n</c> only.</summary>
    public string? LineStart { get; init; }

    /// <summary>A partial line with no new byte for this long is reported as <see cref="SerialGarbageKind.Incomplete"/>.</summary>
    public TimeSpan PartialLineTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>First wait before reopening a lost port; doubles on each failed attempt up to <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryMin { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan RetryMax { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Stop by itself after this long (tests, timed captures); null = until cancelled.</summary>
    public TimeSpan? MaxRunTime { get; init; }

    /// <summary>If the port is missing at start: false = throw (a typo should fail fast); true = wait for it like a lost port.</summary>
    public bool WaitForPort { get; init; }

    /// <summary>Longest single wait for bytes; bounds how late cancellation and the time limit are noticed.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Port);
        SerialLink.CheckBaudRate(BaudRate);
        if (RetryMin <= TimeSpan.Zero || RetryMax < RetryMin) throw new ArgumentException("need 0 < RetryMin <= RetryMax");
        if (PollInterval <= TimeSpan.Zero) throw new ArgumentException("PollInterval must be positive");
        if (PartialLineTimeout <= TimeSpan.Zero) throw new ArgumentException("PartialLineTimeout must be positive");
        if (MaxRunTime is { } t && t < TimeSpan.Zero) throw new ArgumentException("MaxRunTime must not be negative");
    }
}

/// <summary>Why <see cref="SerialMonitor.Run"/> returned.</summary>
public enum SerialMonitorStop
{
    Cancelled,
    TimeLimit,
}

/// <summary>What one monitor run saw.</summary>
public sealed record SerialMonitorSummary(
    long Lines, long GarbageLines, long BytesReceived, int PortLosses, TimeSpan Duration, SerialMonitorStop StoppedBecause);
