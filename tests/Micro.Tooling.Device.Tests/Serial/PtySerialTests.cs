#nullable enable
using System.Diagnostics;
using Micro.Tooling.Serial;

namespace Micro.Tooling.Device.Tests.Serial;

/// <summary>
/// The real serial link over real pseudo-terminals (socat): our writer opens one end, the monitor reads the other.
/// Every wait is bounded; socat and the temporary folder are removed whatever happens.
/// </summary>
[TestClass]
public sealed class PtySerialTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(15);

    private static SerialMonitorOptions MonitorOn(string port) => new()
    {
        Port = port,
        MaxRunTime = RunLimit,
        RetryMin = TimeSpan.FromMilliseconds(50),
        RetryMax = TimeSpan.FromMilliseconds(200),
        PartialLineTimeout = TimeSpan.FromMilliseconds(300),
    };

    /// <summary>Runs the monitor on its own thread for the body, then cancels it and returns its summary.</summary>
    private static SerialMonitorSummary WithMonitor(SerialMonitorOptions options, EventLog log, Action body)
    {
        using var cts = new CancellationTokenSource();
        var run = new SerialMonitor(options).RunAsync(log.Add, cts.Token);
        try
        {
            log.WaitFor<SerialPortOpened>();
            body();
        }
        finally
        {
            cts.Cancel();
            if (!run.Wait(TimeSpan.FromSeconds(5))) Assert.Fail("the monitor did not stop within 5 s of cancellation");
        }
        return run.Result;
    }

    private static string HeartRateLine(int i) => $"{i * 0.04:F2},{60 + i % 90},{(i % 97 == 0 ? 1 : 0)},ok";

    [TestMethod]
    public void LinesWrittenToOneEndArriveExactlyAtTheOther()
    {
        using var pty = SocatPair.Launch();
        var log = new EventLog();
        string[] sent = [.. Enumerable.Range(0, 400).Select(HeartRateLine), "", "last\tline"];

        var summary = WithMonitor(MonitorOn(pty.A), log, () =>
        {
            using var writer = SerialLineWriter.Open(pty.B, 115200);
            foreach (string line in sent) writer.WriteLine(line);
            log.WaitUntil(e => e.OfType<SerialLineReceived>().Count() >= sent.Length, $"{sent.Length} lines");
        });

        CollectionAssert.AreEqual(sent, log.Lines);
        Assert.IsEmpty(log.Garbage);
        Assert.AreEqual(sent.Sum(l => l.Length + 1), summary.BytesReceived);
        Assert.AreEqual(0, summary.PortLosses);
    }

    [TestMethod]
    public void GarbageIsReportedAndTheGoodLinesAfterItSurvive()
    {
        using var pty = SocatPair.Launch();
        var log = new EventLog();
        var rng = new Random(2024);
        byte[] binary = new byte[700]; // noise as from a wrong baud rate: high and control bytes, a few newlines
        for (int i = 0; i < binary.Length; i++) binary[i] = (byte)(i % 100 == 99 ? '\n' : rng.Next(2) == 0 ? rng.Next(0x80, 0x100) : rng.Next(0, 0x0A));
        binary[^1] = (byte)'\n';
        string overlong = new('x', 2000);

        WithMonitor(MonitorOn(pty.A), log, () =>
        {
            using var writer = SerialLineWriter.Open(pty.B);
            writer.WriteLine("good 1");
            writer.WriteRaw(binary);
            writer.WriteLine("good 2");
            writer.WriteLine(overlong);
            writer.WriteLine("good 3");
            writer.WriteRaw("HR,7"u8); // a line cut short (a board reset mid-line) ...
            log.WaitUntil(e => e.OfType<SerialGarbageReceived>().Any(g => g.Kind == SerialGarbageKind.Incomplete), "the cut line reported");
            writer.WriteLine("good 4"); // ... and the next line is whole again
            log.WaitUntil(e => e.OfType<SerialLineReceived>().Count() >= 4, "4 good lines");
        });

        CollectionAssert.AreEqual(new[] { "good 1", "good 2", "good 3", "good 4" }, log.Lines);
        var garbage = log.Garbage;
        Assert.HasCount(7 + 1 + 1, garbage, string.Join("\n", garbage.Select(g => g.ToString())));
        Assert.IsTrue(garbage.Take(7).All(g => g.Kind == SerialGarbageKind.NonText), "7 noise lines (one per newline in the noise)");
        Assert.AreEqual(binary.Length - 7, garbage.Take(7).Sum(g => g.ByteCount), "every noise byte accounted for");
        Assert.AreEqual((SerialGarbageKind.Overlong, 2000), (garbage[7].Kind, garbage[7].ByteCount));
        Assert.AreEqual((SerialGarbageKind.Incomplete, "HR,7"), (garbage[8].Kind, garbage[8].Preview));
    }

    [TestMethod]
    public void PortLostWhenTheDeviceVanishesAndBackWhenItReturns()
    {
        using var pty = SocatPair.Launch();
        var log = new EventLog();

        var summary = WithMonitor(MonitorOn(pty.A), log, () =>
        {
            using (var writer = SerialLineWriter.Open(pty.B))
            {
                writer.WriteLine("before");
                log.WaitUntil(e => e.OfType<SerialLineReceived>().Any(), "the first line");
                pty.Stop(); // the "cable" is pulled: both ptys disappear
                log.WaitFor<SerialPortLost>();
                var ex = Assert.ThrowsExactly<SerialPortException>(() => writer.WriteLine("into the void"));
                Assert.AreEqual(SerialErrorKind.Lost, ex.Kind, ex.Message);
            }

            Thread.Sleep(300); // reopening attempts fail while the port is gone
            pty.Start();       // plugged back in under the same names
            log.WaitFor<SerialPortBack>();
            using var again = SerialLineWriter.Open(pty.B);
            again.WriteLine("after");
            log.WaitUntil(e => e.OfType<SerialLineReceived>().Count() >= 2, "the line after reconnecting");
        });

        var kinds = log.All.Select(e => e.GetType().Name).ToArray();
        CollectionAssert.AreEqual(new[] { "SerialPortOpened", "SerialLineReceived", "SerialPortLost", "SerialPortBack", "SerialLineReceived" }, kinds);
        CollectionAssert.AreEqual(new[] { "before", "after" }, log.Lines);
        var back = log.All.OfType<SerialPortBack>().Single();
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(300), back.Downtime, "socat was restarted only after 300 ms");
        Assert.AreEqual(1, summary.PortLosses);
    }

    [TestMethod]
    public void PtyIsSetToRaw8N1AtTheAskedRate()
    {
        using var pty = SocatPair.Launch();
        foreach (int baud in new[] { 9600, 115200, 921600 })
        {
            using var link = SerialLink.Open(pty.A, baud);
            string stty = Run("stty", "-F", pty.A, "-a");
            StringAssert.Contains(stty, $"speed {baud} baud", stty);
            foreach (string flag in new[] { "-parenb", "cs8", "-cstopb", "-crtscts", "clocal", "cread", "-ixon", "-ixoff", "-icrnl", "-opost", "-icanon", "-echo", "-isig" })
                Assert.IsTrue(stty.Split(' ', ';', '\n').Contains(flag), $"{flag} missing at {baud} baud:\n{stty}");
        }
        using (var odd = SerialLink.Open(pty.A, 74880)) // ESP boot-loader rate: no fixed code, goes as BOTHER
            Assert.AreEqual(74880, odd.BaudRate);
    }

    [TestMethod]
    public void ReadTimesOutWithZeroBytesWhenNothingArrives()
    {
        using var pty = SocatPair.Launch();
        using var link = SerialLink.Open(pty.A);
        Assert.AreEqual(0, link.Read(new byte[16], TimeSpan.FromMilliseconds(50)));
        using var writer = SerialLineWriter.Open(pty.B);
        writer.WriteRaw([1, 2, 3, 0, 255]);
        var got = new List<byte>();
        var clock = Stopwatch.StartNew();
        var buffer = new byte[16];
        while (got.Count < 5 && clock.Elapsed < TimeSpan.FromSeconds(5))
            got.AddRange(buffer.AsSpan(0, link.Read(buffer, TimeSpan.FromMilliseconds(200))).ToArray());
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3, 0, 255 }, got, "raw bytes pass unchanged (no CR/NL mapping, no stripping)");
    }

    private static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        if (!p.WaitForExit(5000)) p.Kill();
        return output;
    }
}
