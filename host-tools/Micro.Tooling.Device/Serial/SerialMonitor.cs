namespace Micro.Tooling.Serial;

/// <summary>
/// Reads lines from a serial port until cancelled, surviving unplugging: when the port goes away it reports
/// <see cref="SerialPortLost"/>, reopens it with back-off (<see cref="SerialMonitorOptions.RetryMin"/> doubling to
/// <see cref="SerialMonitorOptions.RetryMax"/>), reports <see cref="SerialPortBack"/> and goes on. Everything it sees
/// goes to one callback, on the thread that called <see cref="Run"/>; there is no UI code here.
/// </summary>
/// <example>
/// <code>
/// var monitor = new SerialMonitor(new SerialMonitorOptions { Port = "/dev/ttyUSB0", BaudRate = 115200 });
/// monitor.Run(e => Console.WriteLine(e), cancellationToken);
/// </code>
/// </example>
public sealed class SerialMonitor
{
    private readonly SerialMonitorOptions _options;
    private readonly Func<string, int, ISerialLink> _open;
    private readonly TimeProvider _clock;

    /// <param name="open">Opens a link (default <see cref="SerialLink.Open"/>); tests pass a scripted one.</param>
    /// <param name="clock">Time stamps and time limits (default the system clock).</param>
    public SerialMonitor(SerialMonitorOptions options, Func<string, int, ISerialLink>? open = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _open = open ?? SerialLink.Open;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The wait before reopening attempt <paramref name="attempt"/> (1-based): min·2^(attempt-1), at most max.</summary>
    public static TimeSpan RetryDelay(int attempt, TimeSpan min, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        double ms = min.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        return ms >= max.TotalMilliseconds ? max : TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled or <see cref="SerialMonitorOptions.MaxRunTime"/> passes.
    /// Throws <see cref="SerialPortException"/> only when the port cannot be opened at start and
    /// <see cref="SerialMonitorOptions.WaitForPort"/> is false. Exceptions from <paramref name="onEvent"/> propagate.
    /// </summary>
    public SerialMonitorSummary Run(Action<SerialEvent> onEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        var run = new RunState(this, onEvent, cancellationToken);
        try
        {
            run.Loop();
        }
        finally
        {
            run.Link?.Dispose();
        }
        return run.Summary();
    }

    /// <summary><see cref="Run"/> on a thread of its own.</summary>
    public Task<SerialMonitorSummary> RunAsync(Action<SerialEvent> onEvent, CancellationToken cancellationToken = default) =>
        Task.Factory.StartNew(() => Run(onEvent, cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private sealed class RunState(SerialMonitor m, Action<SerialEvent> onEvent, CancellationToken token)
    {
        private readonly SerialMonitorOptions _o = m._options;
        private readonly SerialLineSplitter _splitter = new(m._options.MaxLineLength, m._options.LineStart);
        private readonly long _started = m._clock.GetTimestamp();
        private long _lines, _garbage, _bytes;
        private int _losses;
        private bool _timeUp;

        public ISerialLink? Link;

        public void Loop()
        {
            if (!OpenFirst()) return;
            var buffer = new byte[4096];
            long lastByte = m._clock.GetTimestamp();
            while (!Stopping())
            {
                int n;
                try
                {
                    n = Link!.Read(buffer, Slice(_o.PollInterval));
                }
                catch (SerialPortException e) when (e.Kind == SerialErrorKind.Lost)
                {
                    _splitter.FlushPartialLine(Now(), Emit);
                    Link!.Dispose();
                    Link = null;
                    _losses++;
                    long lostAt = m._clock.GetTimestamp();
                    Emit(new SerialPortLost(Now(), _o.Port, e.Message));
                    int attempts = Reopen();
                    if (Link is null) return; // stopped while waiting
                    Emit(new SerialPortBack(Now(), _o.Port, m._clock.GetElapsedTime(lostAt), attempts));
                    lastByte = m._clock.GetTimestamp();
                    continue;
                }
                if (n > 0)
                {
                    _bytes += n;
                    lastByte = m._clock.GetTimestamp();
                    _splitter.Push(buffer.AsSpan(0, n), Now(), Emit);
                }
                else if (_splitter.HasPartialLine && m._clock.GetElapsedTime(lastByte) >= _o.PartialLineTimeout)
                {
                    _splitter.FlushPartialLine(Now(), Emit);
                }
            }
        }

        public SerialMonitorSummary Summary() =>
            new(_lines, _garbage, _bytes, _losses, m._clock.GetElapsedTime(_started),
                _timeUp ? SerialMonitorStop.TimeLimit : SerialMonitorStop.Cancelled);

        private bool OpenFirst()
        {
            try
            {
                Link = m._open(_o.Port, _o.BaudRate);
            }
            catch (SerialPortException e) when (_o.WaitForPort && e.Kind is not (SerialErrorKind.UnsupportedSetting or SerialErrorKind.NotASerialPort))
            {
                Emit(new SerialPortWaiting(Now(), _o.Port, e.Message));
                Reopen();
                if (Link is null) return false;
            }
            Emit(new SerialPortOpened(Now(), _o.Port, _o.BaudRate));
            return true;
        }

        /// <summary>Tries to open the port with back-off until it opens (Link set) or the run stops (Link null).</summary>
        private int Reopen()
        {
            for (int attempt = 1; ; attempt++)
            {
                TimeSpan wait = Slice(RetryDelay(attempt, _o.RetryMin, _o.RetryMax));
                if (Stopping() || token.WaitHandle.WaitOne(wait) || Stopping()) return attempt - 1;
                try
                {
                    Link = m._open(_o.Port, _o.BaudRate);
                    _splitter.Reset();
                    return attempt;
                }
                catch (SerialPortException)
                {
                    // gone, still coming up, permissions not yet set by udev …: keep trying
                }
            }
        }

        private void Emit(SerialEvent e)
        {
            if (e is SerialLineReceived) _lines++;
            else if (e is SerialGarbageReceived) _garbage++;
            onEvent(e);
        }

        private bool Stopping()
        {
            if (token.IsCancellationRequested) return true;
            if (_o.MaxRunTime is { } limit && m._clock.GetElapsedTime(_started) >= limit) _timeUp = true;
            return _timeUp;
        }

        /// <summary>A wait cut to what is left of the run time.</summary>
        private TimeSpan Slice(TimeSpan wait)
        {
            if (_o.MaxRunTime is not { } limit) return wait;
            TimeSpan left = limit - m._clock.GetElapsedTime(_started);
            return left < wait ? (left < TimeSpan.Zero ? TimeSpan.Zero : left) : wait;
        }

        private DateTimeOffset Now() => m._clock.GetUtcNow();
    }
}
