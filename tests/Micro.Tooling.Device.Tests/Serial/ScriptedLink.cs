#nullable enable
using System.Text;
using Micro.Tooling.Serial;

namespace Micro.Tooling.Device.Tests.Serial;

/// <summary>A clock the tests move by hand: every <see cref="ScriptedLink"/> read that waits advances it.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp());

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

/// <summary>
/// A serial link that plays a script: byte chunks, quiet reads (the clock moves by the read's timeout) and a loss.
/// When the script runs out it calls <see cref="ScriptedLink.Exhausted"/> (tests cancel the monitor there).
/// </summary>
internal sealed class ScriptedLink(string port, ManualClock clock, params object[] steps) : ISerialLink
{
    public static readonly object Quiet = new();
    public static readonly object Lose = new();

    private readonly Queue<object> _steps = new(steps);

    public Action? Exhausted { get; set; }

    public bool Disposed { get; private set; }

    public string PortName => port;

    public int BaudRate => 115200;

    public int Read(Span<byte> buffer, TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        if (!_steps.TryDequeue(out var step))
        {
            Exhausted?.Invoke();
            clock.Advance(timeout);
            return 0;
        }
        if (step == Quiet)
        {
            clock.Advance(timeout);
            return 0;
        }
        if (step == Lose) throw new SerialPortException(SerialErrorKind.Lost, port, $"{port}: Input/output error (errno 5)", 5);
        byte[] data = step as byte[] ?? Encoding.ASCII.GetBytes((string)step);
        if (data.Length > buffer.Length) throw new InvalidOperationException("script chunk larger than the read buffer");
        data.CopyTo(buffer);
        return data.Length;
    }

    public void Write(ReadOnlySpan<byte> data, TimeSpan timeout) => throw new NotSupportedException();

    public void Dispose() => Disposed = true;
}
