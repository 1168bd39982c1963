#nullable enable
using Micro.Tooling.Serial;

namespace Micro.Tooling.Device.Tests.Serial;

/// <summary>The monitor's loop over scripted links and a hand-moved clock: exact event sequences, no real waiting.</summary>
[TestClass]
public sealed class SerialMonitorTests
{
    private static SerialMonitorOptions Options(string port = "/dev/ttyFAKE0") => new()
    {
        Port = port,
        RetryMin = TimeSpan.FromMilliseconds(1),
        RetryMax = TimeSpan.FromMilliseconds(4),
        MaxRunTime = TimeSpan.FromMinutes(10), // on the manual clock; the tests end by cancelling
    };

    /// <summary>Opens the given links in turn; null entries fail as "not found".</summary>
    private static Func<string, int, ISerialLink> Opener(List<int> attempts, params ScriptedLink?[] links)
    {
        int next = 0;
        return (port, baud) =>
        {
            attempts.Add(baud);
            var link = next < links.Length ? links[next++] : null;
            return link ?? throw new SerialPortException(SerialErrorKind.NotFound, port, $"serial port {port} not found");
        };
    }

    [TestMethod]
    public void LostPortIsReopenedAndLinesGoOn()
    {
        var clock = new ManualClock();
        using var cts = new CancellationTokenSource();
        var first = new ScriptedLink("/dev/ttyFAKE0", clock, "HR,72,0\nHR,7", "3,0\nHR,7", ScriptedLink.Lose);
        var second = new ScriptedLink("/dev/ttyFAKE0", clock, "HR,74,1\n") { Exhausted = cts.Cancel };
        var attempts = new List<int>();
        var log = new EventLog();

        var summary = new SerialMonitor(Options(), Opener(attempts, first, null, null, second), clock).Run(log.Add, cts.Token);

        var e = log.All;
        Assert.HasCount(7, e, string.Join("\n", e.Select(x => x.ToString())));
        Assert.IsInstanceOfType<SerialPortOpened>(e[0]);
        Assert.AreEqual("HR,72,0", ((SerialLineReceived)e[1]).Text);
        Assert.AreEqual("HR,73,0", ((SerialLineReceived)e[2]).Text);
        var cut = (SerialGarbageReceived)e[3];
        Assert.AreEqual((SerialGarbageKind.Incomplete, 4, "HR,7"), (cut.Kind, cut.ByteCount, cut.Preview), "the line cut by the loss");
        StringAssert.Contains(((SerialPortLost)e[4]).Reason, "Input/output error");
        var back = (SerialPortBack)e[5];
        Assert.AreEqual(3, back.Attempts, "two failed attempts, then the third opened");
        Assert.AreEqual("HR,74,1", ((SerialLineReceived)e[6]).Text);

        Assert.IsTrue(first.Disposed && second.Disposed, "both links closed");
        CollectionAssert.AreEqual(new[] { 115200, 115200, 115200, 115200 }, attempts);
        Assert.AreEqual((3L, 1L, 1, SerialMonitorStop.Cancelled), (summary.Lines, summary.GarbageLines, summary.PortLosses, summary.StoppedBecause));
        Assert.AreEqual(28L, summary.BytesReceived);
    }

    [TestMethod]
    public void PartialLineIsReportedAfterTheLinkStaysQuiet()
    {
        var clock = new ManualClock();
        using var cts = new CancellationTokenSource();
        // Poll interval 100 ms, partial-line timeout 300 ms: two quiet reads are not enough, the third is.
        var link = new ScriptedLink("p", clock, "HR,7", ScriptedLink.Quiet, ScriptedLink.Quiet, "2", ScriptedLink.Quiet,
            ScriptedLink.Quiet, ScriptedLink.Quiet, "HR,75,0\n")
        { Exhausted = cts.Cancel };
        var log = new EventLog();
        var options = Options() with { PartialLineTimeout = TimeSpan.FromMilliseconds(300) };

        new SerialMonitor(options, (_, _) => link, clock).Run(log.Add, cts.Token);

        var g = log.Garbage.Single();
        Assert.AreEqual((SerialGarbageKind.Incomplete, "HR,72"), (g.Kind, g.Preview), "the byte after two quiet reads still joined the line");
        CollectionAssert.AreEqual(new[] { "HR,75,0" }, log.Lines);
    }

    [TestMethod]
    public void TimeLimitStopsTheRun()
    {
        var clock = new ManualClock();
        var link = new ScriptedLink("p", clock, "a\n");
        var log = new EventLog();
        var options = Options() with { MaxRunTime = TimeSpan.FromSeconds(3) };

        var summary = new SerialMonitor(options, (_, _) => link, clock).Run(log.Add);

        Assert.AreEqual(SerialMonitorStop.TimeLimit, summary.StoppedBecause);
        Assert.IsTrue(summary.Duration >= TimeSpan.FromSeconds(3) && summary.Duration < TimeSpan.FromSeconds(3.2), summary.Duration.ToString());
        CollectionAssert.AreEqual(new[] { "a" }, log.Lines);
        Assert.IsTrue(link.Disposed);
    }

    [TestMethod]
    public void MissingPortAtStartThrowsUnlessAskedToWait()
    {
        var clock = new ManualClock();
        var ex = Assert.ThrowsExactly<SerialPortException>(() =>
            new SerialMonitor(Options(), Opener([]), clock).Run(_ => { }));
        Assert.AreEqual(SerialErrorKind.NotFound, ex.Kind);

        using var cts = new CancellationTokenSource();
        var link = new ScriptedLink("/dev/ttyFAKE0", clock, "up\n") { Exhausted = cts.Cancel };
        var log = new EventLog();
        new SerialMonitor(Options() with { WaitForPort = true }, Opener([], null, null, link), clock).Run(log.Add, cts.Token);
        var e = log.All;
        Assert.IsInstanceOfType<SerialPortWaiting>(e[0]);
        Assert.IsInstanceOfType<SerialPortOpened>(e[1]);
        Assert.AreEqual("up", ((SerialLineReceived)e[2]).Text);
    }

    [TestMethod]
    public void CancelWhileWaitingForThePortReturnsPromptly()
    {
        using var cts = new CancellationTokenSource();
        var log = new EventLog();
        var options = Options() with { WaitForPort = true, RetryMin = TimeSpan.FromSeconds(30), RetryMax = TimeSpan.FromSeconds(30), MaxRunTime = null };
        var task = new SerialMonitor(options, Opener([])).RunAsync(log.Add, cts.Token);
        log.WaitFor<SerialPortWaiting>();
        cts.Cancel();
        Assert.IsTrue(task.Wait(TimeSpan.FromSeconds(5)), "the back-off wait must end on cancellation");
        Assert.AreEqual(SerialMonitorStop.Cancelled, task.Result.StoppedBecause);
        Assert.HasCount(1, log.All);
    }

    [TestMethod]
    public void RetryDelayDoublesFromMinToMax()
    {
        var min = TimeSpan.FromMilliseconds(250);
        var max = TimeSpan.FromSeconds(2);
        double[] ms = Enumerable.Range(1, 6).Select(a => SerialMonitor.RetryDelay(a, min, max).TotalMilliseconds).ToArray();
        CollectionAssert.AreEqual(new[] { 250.0, 500, 1000, 2000, 2000, 2000 }, ms);
        Assert.AreEqual(max, SerialMonitor.RetryDelay(1000, min, max));
    }

    [TestMethod]
    public void BadOptionsAreRefusedUpFront()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new SerialMonitor(Options() with { BaudRate = 0 }));
        Assert.ThrowsExactly<ArgumentException>(() => new SerialMonitor(Options() with { RetryMax = TimeSpan.FromMilliseconds(0.5) }));
        Assert.ThrowsExactly<ArgumentException>(() => new SerialMonitor(Options(" ")));
    }
}
