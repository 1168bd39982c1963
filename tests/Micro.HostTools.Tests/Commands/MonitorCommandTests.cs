using System.Text;
using Micro.HeartRate.Protocol;
using Micro.HostTools;
using Micro.Tooling.Serial;

namespace Micro.HostTools.Tests.Commands;

/// <summary>`micro monitor` on a real pseudo-terminal pair: good lines, garbage, a corrupted line and a lost line.</summary>
[TestClass]
public class MonitorCommandTests
{
    private static string Line(string body)
    {
        var bytes = Encoding.ASCII.GetBytes(body);
        return body + "*" + Crc16.Compute(bytes, 0, bytes.Length).ToString("X4");
    }

    [TestMethod]
    public void ChecksEveryLineAndLogsOnlyTheGoodOnes()
    {
        using var pair = SocatPair.Launch();
        string dir = CliHarness.TempDir();
        string log = Path.Combine(dir, "alerts.csv");
        var run = Task.Run(() => CliHarness.Run("monitor", "--port", pair.B, "--duration", "3", "--log", log, "--raw"));
        Thread.Sleep(700); // let the monitor open its end
        using (var w = SerialLineWriter.Open(pair.A))
        {
            w.WriteLine("MHR,1,0,0,BOOT,-,-,0,-,POOR,REST,00*D4A0");
            w.WriteLine(Line("MHR,1,1,10000,STATUS,-,72,93,31,GOOD,REST,00"));
            w.WriteRaw(new byte[] { 0x01, 0xFF, 0x80, (byte)'\n' });
            string corrupted = Line("MHR,1,2,11000,TACHY,ON,151,88,24,GOOD,REST,02").Replace(",151,", ",115,");
            w.WriteLine(corrupted);
            w.WriteLine(Line("MHR,1,3,12000,TACHY,ON,152,88,24,GOOD,REST,02"));
        }
        var (code, stdout, err) = run.Result;
        Assert.AreEqual(ExitCodes.Ok, code, err);
        StringAssert.Contains(stdout, "MHR,1,3,12000,TACHY,ON,152");
        StringAssert.Contains(stdout, "garbage");
        StringAssert.Contains(stdout, "rejected line");
        StringAssert.Contains(stdout, "1 line(s) lost before seq 3");
        StringAssert.Contains(stdout, "3 line(s) accepted, 2 rejected");
        var rows = File.ReadAllLines(log);
        Assert.AreEqual(4, rows.Length, string.Join("\n", rows)); // header + the three good lines
        StringAssert.StartsWith(rows[0], "received_utc,seq");
        StringAssert.Contains(rows[3], ",3,12000,Tachycardia,On,152,");
    }

    [TestMethod]
    public void AMissingPortIsAClearError()
    {
        var (code, _, err) = CliHarness.Run("monitor", "--port", "/dev/no-such-tty", "--duration", "1");
        Assert.AreEqual(ExitCodes.BadInput, code);
        StringAssert.Contains(err, "/dev/no-such-tty");
    }
}
