using System.Text;
using Micro.HeartRate.Protocol;
using Micro.HeartRate.Signal;
using Micro.Tooling.Serial;

namespace Micro.HostTools.Tests.Commands;

/// <summary>
/// `micro monitor` on a real pseudo-terminal (socat) resynchronises on <c>MHR,</c>: garbage before, inside and after
/// lines, and a board that resets mid-line, cost only the damaged lines; every intact line, the BOOT line after the
/// reset included, reaches --log.
/// </summary>
[TestClass]
public class MonitorResyncPtyTests
{
    private static string Line(AlertEncoder e, int i)
    {
        var buf = new byte[AlertProtocol.MaxLineLength];
        int n = i < 0 ? e.EncodeBoot(0, buf, 0) : e.Encode(AlertProtocol.StatusKind, "-", 1000L * i, 70, 90, 20, SignalQuality.Good, false, 0, buf, 0);
        return Encoding.ASCII.GetString(buf, 0, n);
    }

    [TestMethod]
    public void GarbageAndAMidLineResetCostOnlyTheDamagedLines()
    {
        using var pty = SocatPair.Launch();
        string log = Path.Combine(CliHarness.TempDir(), "alerts.csv");
        var first = new AlertEncoder();
        string boot1 = Line(first, -1), s1 = Line(first, 1), s2 = Line(first, 2), s3 = Line(first, 3), s4 = Line(first, 4);
        var second = new AlertEncoder(); // the board after its reset
        string boot2 = Line(second, -1), t1 = Line(second, 1);
        string corrupted = s3.Replace(",70,", ",7\xff,");
        string cut = s4[..20];

        var run = Task.Run(() => CliHarness.Run("monitor", "--port", pty.A, "--log", log, "--duration", "4"));
        Thread.Sleep(1000);
        using (var writer = SerialLineWriter.Open(pty.B))
        {
            writer.WriteRaw(new byte[70]);                                      // NULs before the first line, no newline
            writer.WriteRaw(Encoding.Latin1.GetBytes("noise" + boot1));
            writer.WriteRaw(Encoding.Latin1.GetBytes(s1 + "\x01\x02garbage after a line " + s2)); // junk after a line, before the next
            writer.WriteRaw(Encoding.Latin1.GetBytes(corrupted));               // a byte of noise inside a line
            writer.WriteRaw(Encoding.Latin1.GetBytes(cut + "\xff\x00 ets rst:0x1" + boot2 + t1)); // reset mid-line
        }
        var (code, output, err) = run.Result;

        Assert.AreEqual(ExitCodes.Ok, code, err);
        var logged = File.ReadAllLines(log).Skip(1).Select(r => r[(r.IndexOf("\"MHR,", StringComparison.Ordinal) + 1)..^1]).ToList();
        CollectionAssert.AreEqual(new[] { boot1, s1, s2, boot2, t1 }.Select(l => l.TrimEnd('\n')).ToList(), logged, output);
    }
}
