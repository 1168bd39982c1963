using System.Diagnostics;
using Micro.Tooling.Serial;

namespace Micro.Tooling.Device.Tests.Serial;

/// <summary>Collects monitor events from the monitor's thread; the test thread waits on it with a timeout.</summary>
internal sealed class EventLog
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(5);
    private readonly List<SerialEvent> _events = [];

    public void Add(SerialEvent e)
    {
        lock (_events)
        {
            _events.Add(e);
            System.Threading.Monitor.PulseAll(_events);
        }
    }

    public SerialEvent[] All
    {
        get { lock (_events) return [.. _events]; }
    }

    public string[] Lines => All.OfType<SerialLineReceived>().Select(l => l.Text).ToArray();

    public SerialGarbageReceived[] Garbage => All.OfType<SerialGarbageReceived>().ToArray();

    /// <summary>Waits until <paramref name="done"/> holds for the events so far; fails the test after the timeout.</summary>
    public void WaitUntil(Func<SerialEvent[], bool> done, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultWait;
        var clock = Stopwatch.StartNew();
        lock (_events)
        {
            while (!done([.. _events]))
            {
                var left = limit - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                    throw new AssertFailedException($"timed out after {limit.TotalSeconds} s waiting for {what}; events so far:\n{Describe(_events)}");
                System.Threading.Monitor.Wait(_events, left);
            }
        }
    }

    public T WaitFor<T>(int count = 1) where T : SerialEvent
    {
        WaitUntil(es => es.OfType<T>().Count() >= count, $"{count} × {typeof(T).Name}");
        return All.OfType<T>().ElementAt(count - 1);
    }

    private static string Describe(IEnumerable<SerialEvent> events) => string.Join("\n", events.Select(e => "  " + e));
}
