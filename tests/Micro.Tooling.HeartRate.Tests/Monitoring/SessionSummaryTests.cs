using Micro.HeartRate.Alarms;
using Micro.Tooling.Monitoring;
using Micro.Tooling.Serial;

namespace Micro.Tooling.HeartRate.Tests.Monitoring;

/// <summary>
/// The recorded session (tests/fixtures/alerts, made by make_alert_session.py) replayed from both formats: the
/// counts, durations and losses agree with what the lines themselves say, counted here without the monitor code.
/// </summary>
[TestClass]
public class SessionSummaryTests
{
    public static string Fixture(string name) => Path.Combine(CliHarness.RepoRoot(), "tests", "fixtures", "alerts", name);

    [TestMethod]
    public void TheMonitorLogsNumbersMatchItsLines()
    {
        var s = SessionSummary.Of(Fixture("session-monitor.csv"));
        var rows = File.ReadAllLines(Fixture("session-monitor.csv")).Skip(1).Select(r => AlertLog.SplitCsv(r)).ToList();
        Assert.IsTrue(s.Log.WallClock);
        Assert.AreEqual(rows.Count, s.State.Lines);
        Assert.AreEqual(rows.Count(r => r[5].Length > 0), s.State.Rates.Count);
        Assert.AreEqual(new DateTimeOffset(2026, 3, 1, 14, 0, 0, 137, TimeSpan.Zero), s.Start);
        Assert.AreEqual(TimeSpan.FromSeconds(1200), s.Duration);
        // Lost lines: the sequence numbers that never came (within one boot).
        long lost = 0;
        for (int i = 1; i < rows.Count; i++)
        {
            long a = long.Parse(rows[i - 1][1]), b = long.Parse(rows[i][1]);
            if (b > a + 1) lost += b - a - 1;
        }
        Assert.AreEqual(3L, lost);
        Assert.AreEqual(lost, s.State.Lost);
        Assert.AreEqual(rows.Count(r => r[3] == "Boot") - 1, (int)s.State.Restarts);

        foreach (var kind in Enum.GetValues<AlarmKind>())
        {
            var mine = rows.Where(r => r[3] == kind.ToString()).ToList();
            var total = s.TotalOf(kind);
            Assert.AreEqual(mine.Count(r => r[4] == "On"), total.Count, kind.ToString());
            // Each period from its On row to the next Off row of the kind (or the end of the log).
            double seconds = 0;
            DateTimeOffset? on = null;
            foreach (var r in mine)
            {
                var at = DateTimeOffset.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture);
                if (r[4] == "On") on = at;
                else if (on is { } t) { seconds += (at - t).TotalSeconds; on = null; }
            }
            if (on is { } open) seconds += (s.End - open).TotalSeconds;
            Assert.AreEqual(seconds, total.Total.TotalSeconds, 1e-6, kind.ToString());
            Assert.AreEqual(on != null, total.ActiveAtEnd, kind.ToString());
        }
        Assert.AreEqual(TimeSpan.FromSeconds(50 + 180), s.TotalOf(AlarmKind.Tachycardia).Total);
        Assert.AreEqual(2, s.TotalOf(AlarmKind.SensorOff).Count);
        Assert.AreEqual(TimeSpan.FromSeconds(55 + 28), s.TotalOf(AlarmKind.SensorOff).Total);
    }

    [TestMethod]
    public void BareAlertLinesGiveTheSameCountsTimedByUptime()
    {
        var csv = SessionSummary.Of(Fixture("session-monitor.csv"));
        var bare = SessionSummary.Of(Fixture("session.txt"));
        Assert.IsFalse(bare.Log.WallClock);
        Assert.AreEqual(csv.State.Lines, bare.State.Lines);
        Assert.AreEqual(csv.State.Lost, bare.State.Lost);
        Assert.AreEqual(csv.State.Restarts, bare.State.Restarts);
        CollectionAssert.AreEqual(csv.Totals.Select(t => t.Count).ToList(), bare.Totals.Select(t => t.Count).ToList());
        // Within one boot the uptime gives the same durations as the reception times.
        Assert.AreEqual(TimeSpan.FromSeconds(50), bare.Periods.First(p => p.Kind == AlarmKind.Tachycardia).Duration);
        Assert.AreEqual(TimeSpan.FromSeconds(70), bare.TotalOf(AlarmKind.Irregular).Total);
    }

    [TestMethod]
    public void PoorSignalTimeIsTheTimeBetweenLinesWithAPoorQuality()
    {
        var s = SessionSummary.Of(Fixture("session-monitor.csv"));
        var rows = File.ReadAllLines(Fixture("session-monitor.csv")).Skip(1).Select(r => AlertLog.SplitCsv(r)).ToList();
        string[] poor = ["Poor", "Flat", "Clipped", "NoPulse", "Motion", "Unreachable"];
        double expected = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            if (!poor.Contains(rows[i][8])) continue;
            var from = DateTimeOffset.Parse(rows[i][0], System.Globalization.CultureInfo.InvariantCulture);
            var to = i + 1 < rows.Count ? DateTimeOffset.Parse(rows[i + 1][0], System.Globalization.CultureInfo.InvariantCulture) : s.End;
            expected += (to - from).TotalSeconds;
        }
        Assert.AreEqual(expected, s.PoorTime.TotalSeconds, 1e-6);
        Assert.IsTrue(expected > 100, "the fixture has poor stretches");
    }

    [TestMethod]
    public void TheSerialEventLogCountsPortLossesAndNoise()
    {
        string log = string.Join("\n",
            SerialEventCsv.Header,
            SerialEventCsv.Row(new SerialLineReceived(DateTimeOffset.Parse("2026-01-01T10:00:00Z"), PlainWordingTests.Line("MHR,1,0,0,BOOT,-,-,0,-,POOR,REST,00"))),
            SerialEventCsv.Row(new SerialGarbageReceived(DateTimeOffset.Parse("2026-01-01T10:00:01Z"), SerialGarbageKind.NonText, 2, "\\xFF\\x00")),
            SerialEventCsv.Row(new SerialPortLost(DateTimeOffset.Parse("2026-01-01T10:00:02Z"), "/dev/ttyUSB0", "hung up")),
            SerialEventCsv.Row(new SerialPortBack(DateTimeOffset.Parse("2026-01-01T10:00:05Z"), "/dev/ttyUSB0", TimeSpan.FromSeconds(3), 4)),
            SerialEventCsv.Row(new SerialLineReceived(DateTimeOffset.Parse("2026-01-01T10:00:10Z"), PlainWordingTests.Line("MHR,1,1,10000,STATUS,-,72,93,31,GOOD,REST,00"))));
        var s = SessionSummary.Of(AlertLog.Read(new StringReader(log)), "events.csv");
        Assert.AreEqual(2L, s.State.Lines);
        Assert.AreEqual(1L, s.State.Garbage);
        Assert.AreEqual(1, s.State.PortLosses);
        StringAssert.Contains(string.Join("\n", s.Events.Select(e => e.Text)), "Connection back after 3 s");
        string page = SessionHtmlReport.Render(s, TimeZoneInfo.Utc);
        StringAssert.Contains(page, "<tr data-measure=\"port-losses\" data-value=\"1\"><td>connection lost</td><td>1</td></tr>");
        StringAssert.Contains(page, "<tr data-measure=\"unreadable\" data-value=\"1\">");
        StringAssert.Contains(page, "<li>10:00:02 Connection to the port lost: hung up; retrying</li>");
    }

    [TestMethod]
    public void SomethingElseIsAClearError()
    {
        var e = Assert.ThrowsExactly<InvalidDataException>(() => AlertLog.Read(new StringReader("t_s,ppg\n0,1\n"), "rec.csv"));
        StringAssert.Contains(e.Message, "rec.csv: not a monitor log");
        Assert.ThrowsExactly<InvalidDataException>(() => AlertLog.Read(new StringReader(""), "empty.csv"));
    }
}
