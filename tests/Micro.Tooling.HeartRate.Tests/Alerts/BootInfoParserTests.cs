using System.Text;
using Micro.App;
using Micro.Tooling.Alerts;
using Micro.Tooling.Monitoring;
using Micro.Tooling.Serial;

namespace Micro.Tooling.HeartRate.Tests.Alerts;

/// <summary>The firmware's boot report (BootReport, MHI lines) as the monitor reads it: shown in words, never a rejection.</summary>
[TestClass]
public sealed class BootInfoParserTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 14, 0, 0, TimeSpan.Zero);

    private static string[] Lines(ModelLoadResult model) =>
        BootReport.Lines(1234, "0.4.0", model, 51200).Select(b => Encoding.ASCII.GetString(b)).ToArray();

    [TestMethod]
    public void TheFirmwaresReportLinesParseAndReadAsWords()
    {
        var failed = new ModelLoadResult { ErrorCode = ModelLoadResult.SelfTestFailed, Message = "resource heart_rate: self-test failed: 7 of 8 vectors differ" };
        failed.SelfTest = new SelfTestResult { Present = true, Vectors = 8, Passed = 1, Micros = 97854 };
        string[] lines = Lines(failed);
        Assert.AreEqual(3, lines.Length);
        var words = lines.Select(l => BootInfoParser.TryParse(l, out var info) ? info!.Plain() : "unparsed: " + l).ToArray();
        Assert.AreEqual("Device report: firmware 0.4.0, blob format 3, free heap 51,200 B", words[0]);
        Assert.AreEqual("Device report: no model (rules only), self-test FAILED (1/8 vectors passed) in 97.9 ms", words[1]);
        StringAssert.StartsWith(words[2], "Device report: reason: resource heart rate: self-test failed: 7 of 8 vectors");
    }

    [TestMethod]
    public void MonitorShowsTheReportAsADeviceEventAndCountsNothingAsLostOrRejected()
    {
        var state = new MonitorState();
        var events = Lines(new ModelLoadResult()).SelectMany(l => state.Apply(new SerialLineReceived(At, l.TrimEnd('\n')))).ToList();
        Assert.AreEqual(2, events.Count);
        Assert.IsTrue(events.All(e => e.Kind == MonitorEventKind.Device && e.Text.StartsWith("Device report: ", StringComparison.Ordinal)));
        Assert.AreEqual(0, state.Rejected);
        Assert.AreEqual(0, state.Lost);

        var monitor = new AlertMonitor(null);
        var said = Lines(new ModelLoadResult()).SelectMany(l => monitor.Handle(new SerialLineReceived(At, l))).ToList();
        Assert.AreEqual(0, monitor.Rejected);
        Assert.IsTrue(said.All(m => m.Severity == MonitorSeverity.Info), string.Join("\n", said));
    }

    [TestMethod]
    public void ACorruptReportLineIsRejectedLikeAnyOther()
    {
        string line = Lines(new ModelLoadResult())[0].Replace("fw=0.4.0", "fw=0.4.1");
        Assert.IsFalse(BootInfoParser.TryParse(line, out _), "the CRC no longer matches");
        var state = new MonitorState();
        state.Apply(new SerialLineReceived(At, line));
        Assert.AreEqual(1, state.Rejected);
    }
}
