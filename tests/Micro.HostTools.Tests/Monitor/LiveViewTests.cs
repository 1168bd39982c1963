using Micro.HostTools.Monitor;
using Micro.Tooling.Monitoring;
using Micro.Tooling.Serial;
using Spectre.Console;

namespace Micro.HostTools.Tests.Monitor;

/// <summary>
/// The live screen drawn from the recorded session (tests/fixtures/alerts/session-monitor.csv) at three moments,
/// in an 80-column console without colour, compared with the committed snapshot view-80.txt. After a deliberate
/// change of the view, MICRO_UPDATE_SNAPSHOTS=1 rewrites the snapshot (review its diff before committing).
/// </summary>
[TestClass]
public class LiveViewTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 14, 0, 0, TimeSpan.Zero);

    private static string Line(string body)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(body);
        return body + "*" + Micro.HeartRate.Protocol.Crc16.Compute(bytes, 0, bytes.Length).ToString("X4");
    }

    private static string Fixture(string name) => Path.Combine(CliHarness.RepoRoot(), "tests", "fixtures", "alerts", name);

    /// <summary>The session up to <paramref name="until"/> (with a port that opened at the start and maybe was lost), drawn at that moment.</summary>
    public static string Draw(TimeSpan until, TimeSpan? portLostAt = null, int width = 80)
    {
        var state = new MonitorState();
        state.Apply(new SerialPortOpened(Start, "/dev/ttyUSB0", 115200));
        foreach (var e in AlertLog.Read(Fixture("session-monitor.csv")).Events.Where(e => e.At <= Start + until))
        {
            if (portLostAt is { } lost && e.At > Start + lost) break;
            state.Apply(e);
        }
        if (portLostAt is { } l) state.Apply(new SerialPortLost(Start + l, "/dev/ttyUSB0", "hung up (device unplugged or closed)"));
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        console.Profile.Capabilities.Unicode = true;
        console.Write(LiveView.Render(state, Start + until, TimeZoneInfo.Utc, title: "Micro heart-rate monitor · /dev/ttyUSB0"));
        return output.ToString().Replace("\r\n", "\n");
    }

    private static string AllFrames() => string.Join("\n",
        "== 14:05:50, tachycardia raised at 14:05:30 ==", Draw(TimeSpan.FromSeconds(350)),
        "== 14:14:30, sensor unreachable, 3 lines lost before ==", Draw(TimeSpan.FromSeconds(870)),
        "== 14:20:00, after a restart, tachycardia again; the port was lost at 14:19:45 ==", Draw(TimeSpan.FromSeconds(1200), TimeSpan.FromSeconds(1185)));

    [TestMethod]
    public void TheViewMatchesItsSnapshotAt80Columns()
    {
        string actual = AllFrames();
        string path = Fixture("view-80.txt");
        if (Environment.GetEnvironmentVariable("MICRO_UPDATE_SNAPSHOTS") == "1") File.WriteAllText(path, actual);
        Assert.AreEqual(File.ReadAllText(path), actual, "the live view changed; if on purpose, rerun with MICRO_UPDATE_SNAPSHOTS=1 and review the diff");
    }

    [TestMethod]
    public void NoLineIsWiderThanTheConsole()
    {
        foreach (int width in new[] { 80, 100 })
            foreach (string line in Draw(TimeSpan.FromSeconds(870), width: width).Split('\n'))
                Assert.IsTrue(line.Length <= width, $"{line.Length} > {width}: {line}");
    }

    [TestMethod]
    public void TheViewShowsWhatTheLinesSay()
    {
        string tachy = Draw(TimeSpan.FromSeconds(350));
        StringAssert.Contains(tachy, "147 bpm, confidence 93 %, updated 9 s ago");
        StringAssert.Contains(tachy, "Tachycardia since 14:05:30 (19 s)");
        StringAssert.Contains(tachy, "14:05:30 Tachycardia raised: 152 bpm, resting");
        StringAssert.Contains(tachy, "port open, lost 0 times so far");
        string unreachable = Draw(TimeSpan.FromSeconds(870));
        StringAssert.Contains(unreachable, "no rate now; last good 72 bpm, updated 19 s ago");
        StringAssert.Contains(unreachable, "sensor unreachable, device retrying");
        StringAssert.Contains(unreachable, "3 lost");
        StringAssert.Contains(unreachable, "14:14:10 3 lines lost before line 91");
        string end = Draw(TimeSpan.FromSeconds(1200), TimeSpan.FromSeconds(1185));
        StringAssert.Contains(end, "port lost since 14:19:45 (15 s)");
        StringAssert.Contains(end, "1 device restart");
        StringAssert.Contains(end, "14:15:00 Device restarted");
    }

    [TestMethod]
    public void TheSparklineFollowsTheRate()
    {
        var state = new MonitorState();
        var t0 = new DateTimeOffset(2026, 3, 1, 14, 0, 0, TimeSpan.Zero);
        // 60 beats per minute for 5 min, then 120 for 5 min: the left half low, the right half high.
        for (int i = 0; i < 60; i++)
        {
            string body = $"MHR,1,{i + 1},{(i + 1) * 10000},STATUS,-,{(i < 30 ? 60 : 120)},90,20,GOOD,REST,00";
            state.Apply(t0.AddSeconds(i * 10), Micro.Tooling.Alerts.AlertParser.Parse(Line(body)));
        }
        string spark = LiveView.Sparkline(state, t0.AddSeconds(599));
        Assert.AreEqual(LiveView.TrendColumns, spark.IndexOf(' '));
        Assert.AreEqual(new string('▁', 24) + new string('█', 24) + " 60–120 bpm", spark);
    }
}
