using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Micro.HeartRate.Protocol;
using Micro.HostTools;
using Micro.Tooling.Serial;

namespace Micro.HostTools.Tests.Commands;

/// <summary>`micro monitor` in plain words: over a real pseudo-terminal pair, and end to end from `micro simulate --serial`.</summary>
[TestClass]
public partial class MonitorPlainTests
{
    private static string Line(string body)
    {
        var bytes = Encoding.ASCII.GetBytes(body);
        return body + "*" + Crc16.Compute(bytes, 0, bytes.Length).ToString("X4");
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d) \S")]
    private static partial Regex IsoLine();

    private static (int Code, string Out, string Err) Monitor(string seconds, Action<SerialLineWriter> send, params string[] options)
    {
        using var pair = SocatPair.Launch();
        var run = Task.Run(() => CliHarness.Run(["monitor", "--port", pair.B, "--duration", seconds, .. options]));
        Thread.Sleep(700); // let the monitor open its end
        using (var w = SerialLineWriter.Open(pair.A)) send(w);
        return run.Result;
    }

    [TestMethod]
    public void PlainSaysEachEventInWordsWithAnIsoTimeAndRingsForAnAlarm()
    {
        var (code, stdout, err) = Monitor("3", w =>
        {
            w.WriteLine("MHR,1,0,0,BOOT,-,-,0,-,POOR,REST,00*D4A0");
            w.WriteLine(Line("MHR,1,1,10000,STATUS,-,72,93,31,GOOD,REST,00"));
            w.WriteRaw([0x01, 0xFF, 0x80, (byte)'\n']);
            w.WriteLine(Line("MHR,1,2,11000,TACHY,ON,151,88,24,GOOD,REST,02").Replace(",151,", ",115,"));
            w.WriteLine(Line("MHR,1,3,12000,TACHY,ON,152,88,24,GOOD,REST,02"));
        }, "--plain", "--bell");
        Assert.AreEqual(ExitCodes.Ok, code, err);
        var lines = stdout.Replace("\a", "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var said = string.Join("\n", lines);
        foreach (string l in lines.Where(l => !l.StartsWith("Summary: ", StringComparison.Ordinal)))
            Assert.IsTrue(IsoLine().IsMatch(l), $"not an ISO-timed line: {l}");
        StringAssert.Contains(said, " Connected to ");
        StringAssert.Contains(said, " Device started");
        StringAssert.Contains(said, " Heart rate 72 bpm (confidence 93 %), rhythm regular (irregularity 31 ‰), good signal, on the wrist, resting");
        StringAssert.Contains(said, " Noise ignored: 3 bytes, bytes that are not text");
        StringAssert.Contains(said, " Unreadable line ignored: CRC mismatch");
        StringAssert.Contains(said, " 1 line lost before line 3");
        StringAssert.Contains(said, " Tachycardia raised: 152 bpm, resting, confidence 88 %");
        StringAssert.Contains(said, "Summary: 3 lines read, 1 lost, 2 unreadable, 0 device restarts, connection lost 0 times, 1 alarm raised");
        Assert.IsFalse(said.Contains("MHR,"), "plain output shows no protocol lines:\n" + said);
        Assert.AreEqual(1, stdout.Count(c => c == '\a'), "one bell, for the one alarm raised");
    }

    [TestMethod]
    public void WithoutATerminalTheDefaultIsPlainAndWithoutBellNoBell()
    {
        var (code, stdout, err) = Monitor("2", w => w.WriteLine(Line("MHR,1,7,70000,TACHY,ON,150,80,20,GOOD,MOVE,02")));
        Assert.AreEqual(ExitCodes.Ok, code, err);
        StringAssert.Contains(stdout, " Tachycardia raised: 150 bpm, moving, confidence 80 %");
        Assert.IsFalse(stdout.Contains("MHR,") || stdout.Contains('\a'), stdout);
    }

    [TestMethod]
    public void PlainAndRawTogetherIsAUsageError()
    {
        var (code, _, err) = CliHarness.Run("monitor", "--port", "/dev/null", "--plain", "--raw");
        Assert.AreEqual(ExitCodes.BadInput, code);
        StringAssert.Contains(err, "--plain and --raw cannot be used together");
    }

    /// <summary>
    /// The issue's end-to-end check: `micro simulate` on the bundled tachycardia record (t108s) sends its alert
    /// lines to one end of a pty pair; `micro monitor --plain`, a separate process on the other end, says the heart
    /// rate and "Tachycardia raised" in words.
    /// </summary>
    [TestMethod]
    public void SimulatedTachycardiaRecordReachesAPlainMonitorInWords()
    {
        using var pair = SocatPair.Launch();
        string root = CliHarness.RepoRoot();
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "micro.dll"), "monitor", "--port", pair.B, "--plain", "--duration", "12" }) psi.ArgumentList.Add(a);
        var output = new StringBuilder();
        using var connected = new ManualResetEventSlim();
        using var monitor = Process.Start(psi)!;
        monitor.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (e.Data.Contains(" Connected to ", StringComparison.Ordinal)) connected.Set();
        };
        var stderr = monitor.StandardError.ReadToEndAsync();
        monitor.BeginOutputReadLine();
        try
        {
            Assert.IsTrue(connected.Wait(TimeSpan.FromSeconds(10)), "the monitor did not open its port: " + output + stderr);
            var (code, _, err) = CliHarness.Run("simulate", "--recording", Path.Combine(root, "models", "heart-rate", "samples", "t108s.csv"),
                "--model", Path.Combine(root, "models", "heart-rate", "heart-rate.mblob"), "--serial", pair.A);
            Assert.AreEqual(ExitCodes.Ok, code, err);
            Assert.IsTrue(monitor.WaitForExit(TimeSpan.FromSeconds(20)), "the monitor did not stop after --duration");
            monitor.WaitForExit();
        }
        finally
        {
            if (!monitor.HasExited) monitor.Kill();
        }
        string said;
        lock (output) said = output.ToString();
        Assert.AreEqual(0, monitor.ExitCode, said + stderr.Result);
        StringAssert.Contains(said, " Device started");
        StringAssert.Contains(said, " Tachycardia raised: 143 bpm, resting");
        StringAssert.Contains(said, " Heart rate 143 bpm (confidence 14 %)");
        StringAssert.Contains(said, "Summary: 3 lines read, 0 lost, 0 unreadable");
    }
}
