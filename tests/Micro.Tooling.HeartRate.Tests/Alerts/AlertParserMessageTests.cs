using Micro.Tooling.Alerts;
using Micro.Tooling.Monitoring;
using Micro.Tooling.Serial;

namespace Micro.Tooling.HeartRate.Tests.Alerts;

/// <summary>What `micro monitor` says about lines that are not alert lines (QA item 15).</summary>
[TestClass]
public class AlertParserMessageTests
{
    [TestMethod]
    public void ASpaceIsNamedAsASpaceNotAsANonPrintableCharacter()
    {
        Assert.IsFalse(AlertParser.TryParse("hello garbage", out _, out var error));
        StringAssert.Contains(error, "space at column 6");
        Assert.IsFalse(error!.Contains("non-printable"), error);
        Assert.IsFalse(error.Contains("0x20"), error);
    }

    [TestMethod]
    public void ControlAndNonAsciiCharactersStillSayNonPrintableWithTheirColumn()
    {
        Assert.IsFalse(AlertParser.TryParse("MHR,\u0007", out _, out var bell));
        StringAssert.Contains(bell, "non-printable or non-ASCII character 0x07 at column 5");
        Assert.IsFalse(AlertParser.TryParse("MHR,é", out _, out var accent));
        StringAssert.Contains(accent, "0xE9 at column 5");
    }

    [TestMethod]
    public void TheMonitorReportsTheSpaceMessage()
    {
        var monitor = new AlertMonitor(null);
        var messages = monitor.Handle(new SerialLineReceived(DateTimeOffset.UnixEpoch, "hello garbage")).ToList();
        Assert.AreEqual(1, messages.Count);
        Assert.AreEqual(MonitorSeverity.Problem, messages[0].Severity);
        StringAssert.Contains(messages[0].Text, "rejected line (space at column 6");
        Assert.AreEqual(1, monitor.Rejected);
    }
}
