using Micro.Tooling.Serial;

namespace Micro.Tooling.Device.Tests.Serial;

[TestClass]
public sealed class SerialEventCsvTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 10, 0, 0, 125, TimeSpan.FromHours(2));

    [TestMethod]
    public void RowsAreUtcAndQuotedLikeRfc4180()
    {
        Assert.AreEqual("time_utc,event,text,bytes", SerialEventCsv.Header);
        Assert.AreEqual("2026-03-01T08:00:00.125Z,line,\"HR,72,0\",7", SerialEventCsv.Row(new SerialLineReceived(At, "HR,72,0")));
        Assert.AreEqual("2026-03-01T08:00:00.125Z,line,\"say \"\"hi\"\"\",8", SerialEventCsv.Row(new SerialLineReceived(At, "say \"hi\"")));
        Assert.AreEqual("2026-03-01T08:00:00.125Z,garbage-overlong,xxxx…,4000", SerialEventCsv.Row(new SerialGarbageReceived(At, SerialGarbageKind.Overlong, 4000, "xxxx…")));
        Assert.AreEqual("2026-03-01T08:00:00.125Z,port-back,\"/dev/ttyACM0 after 1.5 s, 4 attempts\",",
            SerialEventCsv.Row(new SerialPortBack(At, "/dev/ttyACM0", TimeSpan.FromSeconds(1.5), 4)));
    }
}
