namespace Micro.Tooling.Serial;

/// <summary>Something the serial monitor saw, stamped with the time it saw it (UTC).</summary>
public abstract record SerialEvent(DateTimeOffset At);

/// <summary>The port was opened for the first time.</summary>
public sealed record SerialPortOpened(DateTimeOffset At, string Port, int BaudRate) : SerialEvent(At);

/// <summary>The port was not there at start (only with <see cref="SerialMonitorOptions.WaitForPort"/>); the monitor keeps trying.</summary>
public sealed record SerialPortWaiting(DateTimeOffset At, string Port, string Reason) : SerialEvent(At);

/// <summary>A complete line of printable ASCII (tab allowed), without its <c>\n</c> or <c>\r\n</c>. May be empty.</summary>
public sealed record SerialLineReceived(DateTimeOffset At, string Text) : SerialEvent(At);

/// <summary>Bytes that were not a good line; the monitor resynchronised at the next <c>\n</c>.</summary>
/// <param name="ByteCount">How many bytes were dropped (without the <c>\n</c>).</param>
/// <param name="Preview">The first bytes, printable ASCII as is and the rest as <c>\xHH</c>, for showing to a user.</param>
public sealed record SerialGarbageReceived(DateTimeOffset At, SerialGarbageKind Kind, int ByteCount, string Preview) : SerialEvent(At);

/// <summary>The open port went away (unplugged, hung up, I/O error). The monitor retries with back-off.</summary>
public sealed record SerialPortLost(DateTimeOffset At, string Port, string Reason) : SerialEvent(At);

/// <summary>The port could be opened again after <see cref="SerialPortLost"/>.</summary>
/// <param name="Downtime">From the loss to the reopening.</param>
/// <param name="Attempts">Opening attempts it took, the successful one included.</param>
public sealed record SerialPortBack(DateTimeOffset At, string Port, TimeSpan Downtime, int Attempts) : SerialEvent(At);

public enum SerialGarbageKind
{
    /// <summary>A line with bytes outside printable ASCII (binary noise, a wrong baud rate, boot-loader output).</summary>
    NonText,
    /// <summary>A line longer than the limit; the rest up to the next <c>\n</c> (or start tag) was skipped.</summary>
    Overlong,
    /// <summary>A line cut short: no <c>\n</c> came before the link went quiet or was lost, or before the next line's start tag.</summary>
    Incomplete,
}
