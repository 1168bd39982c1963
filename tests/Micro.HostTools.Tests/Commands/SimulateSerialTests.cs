using Micro.HostTools;
using Micro.Tooling.Alerts;
using Micro.Tooling.Serial;

namespace Micro.HostTools.Tests.Commands;

/// <summary>`micro simulate --serial` sends the alert lines over a real pty; the monitor side reads them all, CRC-valid and in sequence.</summary>
[TestClass]
public class SimulateSerialTests
{
    [TestMethod]
    public void AlertLinesCrossAPseudoTerminalIntact()
    {
        using var pair = SocatPair.Launch();
        string root = CliHarness.RepoRoot();
        string dir = CliHarness.TempDir(), file = Path.Combine(dir, "alerts.txt");
        var received = new List<string>();
        using var cts = new CancellationTokenSource();
        var monitor = new SerialMonitor(new SerialMonitorOptions { Port = pair.B, MaxRunTime = TimeSpan.FromSeconds(15) });
        var reading = Task.Run(() => monitor.Run(e => { if (e is SerialLineReceived l) lock (received) received.Add(l.Text); }, cts.Token));
        Thread.Sleep(500);
        var (code, _, err) = CliHarness.Run("simulate", "--recording", Path.Combine(root, "models", "heart-rate", "samples", "t108s.csv"),
            "--model", Path.Combine(root, "models", "heart-rate", "heart-rate.mblob"), "--alerts", file, "--serial", pair.A);
        Assert.AreEqual(ExitCodes.Ok, code, err);
        var sent = File.ReadAllLines(file).Where(l => l.Length > 0).ToList();
        for (int i = 0; i < 50 && received.Count < sent.Count; i++) Thread.Sleep(100);
        cts.Cancel();
        reading.Wait(TimeSpan.FromSeconds(5));
        lock (received)
        {
            CollectionAssert.AreEqual(sent, received);
            var tracker = new SequenceTracker();
            foreach (var l in received) tracker.Observe(AlertParser.Parse(l));
            Assert.AreEqual(0L, tracker.Lost);
            Assert.IsTrue(received.Any(l => l.Contains(",TACHY,ON,")), string.Join("\n", received));
        }
    }

    [TestMethod]
    public void AMissingPortIsSaidBeforeTheRecordingRuns()
    {
        string root = CliHarness.RepoRoot();
        string dir = CliHarness.TempDir(), file = Path.Combine(dir, "alerts.txt");
        var (code, stdout, err) = CliHarness.Run("simulate", "--recording", Path.Combine(root, "models", "heart-rate", "samples", "t108s.csv"),
            "--model", Path.Combine(root, "models", "heart-rate", "heart-rate.mblob"), "--alerts", file, "--serial", "/dev/nosuchtty");
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        StringAssert.Contains(err, "/dev/nosuchtty");
        Assert.AreEqual(1, err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, err);
        // Nothing of the replay happened: no alert lines printed, no --alerts file, no summary.
        Assert.AreEqual("", stdout.Trim(), stdout);
        Assert.IsFalse(File.Exists(file));
    }
}
