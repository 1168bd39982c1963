using System.Text;
using Micro.HeartRate.Alarms;
using Micro.HeartRate.Protocol;
using Micro.HeartRate.Signal;
using Micro.Tooling.Alerts;
using Micro.Tooling.Monitoring;

namespace Micro.Tooling.HeartRate.Tests.Monitoring;

/// <summary>Every alarm kind and quality token of the alert protocol has its words, and the plain lines say them.</summary>
[TestClass]
public class PlainWordingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 14, 3, 12, TimeSpan.Zero);

    public static string Line(string body)
    {
        var bytes = Encoding.ASCII.GetBytes(body);
        return body + "*" + Crc16.Compute(bytes, 0, bytes.Length).ToString("X4");
    }

    private static AlertLine Parse(string body) => AlertParser.Parse(Line(body));

    [TestMethod]
    public void TheTableHasOneRowPerProtocolTokenInProtocolOrder()
    {
        Assert.AreEqual(AlertProtocol.AlarmTokens.Length, AlertWording.Alarms.Count);
        for (int k = 0; k < AlertProtocol.AlarmTokens.Length; k++)
        {
            var w = AlertWording.Alarms[k];
            Assert.AreEqual((AlarmKind)k, w.Kind);
            Assert.AreEqual(AlertProtocol.AlarmTokens[k], w.Token);
            Assert.IsFalse(string.IsNullOrWhiteSpace(w.Name) || string.IsNullOrWhiteSpace(w.Meaning), w.Token);
        }
        Assert.AreEqual(AlertProtocol.QualityTokens.Length, AlertWording.Qualities.Count);
        for (int q = 0; q < AlertProtocol.QualityTokens.Length; q++)
        {
            var w = AlertWording.Qualities[q];
            Assert.AreEqual((SignalQuality)q, w.Quality);
            Assert.AreEqual(AlertProtocol.QualityTokens[q], w.Token);
            Assert.IsFalse(string.IsNullOrWhiteSpace(w.Signal) || string.IsNullOrWhiteSpace(w.Contact), w.Token);
        }
        Assert.AreEqual(AlertWording.Alarms.Count, AlertWording.Alarms.Select(a => a.Name).Distinct().Count(), "two kinds with one name");
        Assert.AreEqual(AlertWording.Qualities.Count, AlertWording.Qualities.Select(a => a.Signal).Distinct().Count(), "two qualities with one wording");
        CollectionAssert.AreEquivalent(new[] { AlertProtocol.MotionRest, AlertProtocol.MotionMove }, AlertWording.Motion.Keys.ToList());
        CollectionAssert.AreEquivalent(new[] { AlertProtocol.BootKind, AlertProtocol.StatusKind, AlertProtocol.PhaseOn, AlertProtocol.PhaseOff }, AlertWording.Lines.Keys.ToList());
    }

    [TestMethod]
    [DataRow("BRADY", "MHR,1,5,50000,BRADY,ON,38,77,-,GOOD,REST,01", "Bradycardia raised: 38 bpm, resting, confidence 77 %")]
    [DataRow("TACHY", "MHR,1,5,50000,TACHY,ON,152,88,24,GOOD,REST,02", "Tachycardia raised: 152 bpm, resting, confidence 88 %")]
    [DataRow("IRREG", "MHR,1,5,50000,IRREG,ON,96,91,275,FAIR,MOVE,04", "Irregular rhythm raised: 96 bpm, irregularity 275 ‰, moving, confidence 91 %")]
    [DataRow("NOPULSE", "MHR,1,5,50000,NOPULSE,ON,-,95,-,FLAT,REST,08", "No pulse raised: no heart rate, sensor disconnected or stuck (flat signal), resting, confidence 95 %")]
    [DataRow("CONTACT", "MHR,1,5,50000,CONTACT,ON,-,100,-,CLIP,REST,10", "Sensor contact raised: off the wrist or loose (signal saturated), resting, confidence 100 %")]
    [DataRow("MODEL", "MHR,1,5,50000,MODEL,ON,70,100,20,GOOD,REST,20", "Rhythm model fault raised: 70 bpm, good signal, resting, confidence 100 %")]
    public void EachAlarmIsRaisedAndClearedInWords(string token, string raise, string said)
    {
        var s = new MonitorState();
        var on = s.Apply(T0, Parse(raise));
        Assert.AreEqual(1, on.Count, string.Join("\n", on));
        Assert.AreEqual(MonitorEventKind.AlarmRaised, on[0].Kind);
        Assert.AreEqual(said, on[0].Text);
        Assert.AreEqual("2026-03-01T14:03:12Z " + said, on[0].PlainLine(TimeZoneInfo.Utc));
        int bit = 1 << Array.IndexOf(AlertProtocol.AlarmTokens, token);
        var clear = Parse($"MHR,1,6,100000,{token},OFF,-,100,-,GOOD,REST,00");
        var off = s.Apply(T0.AddSeconds(50), clear);
        Assert.AreEqual(1, off.Count, string.Join("\n", off));
        Assert.AreEqual($"{AlertWording.Alarms[Array.IndexOf(AlertProtocol.AlarmTokens, token)].Name} cleared after 50 s", off[0].Text);
        Assert.AreEqual("14:04:02", off[0].ClockLine(TimeZoneInfo.Utc)[..8]);
        Assert.AreEqual(0, s.Active.Count);
        Assert.AreEqual(bit, AlarmKinds.Bit(s.Periods.Single().Kind));
        Assert.AreEqual(TimeSpan.FromSeconds(50), s.Periods.Single().Duration);
    }

    [TestMethod]
    [DataRow("GOOD", "MHR,1,1,10000,STATUS,-,72,93,31,GOOD,REST,00", "Heart rate 72 bpm (confidence 93 %), rhythm regular (irregularity 31 ‰), good signal, on the wrist, resting")]
    [DataRow("FAIR", "MHR,1,1,10000,STATUS,-,75,70,-,FAIR,REST,00", "Heart rate 75 bpm (confidence 70 %), rhythm too few beats to judge, fair signal, on the wrist, resting")]
    [DataRow("POOR", "MHR,1,1,10000,STATUS,-,-,0,-,POOR,REST,00", "No heart rate, poor signal, rate not trusted, on the wrist, poor contact, resting")]
    [DataRow("FLAT", "MHR,1,1,10000,STATUS,-,-,0,-,FLAT,REST,08", "No heart rate, flat signal, sensor disconnected or stuck, resting; active: No pulse")]
    [DataRow("CLIP", "MHR,1,1,10000,STATUS,-,-,0,-,CLIP,REST,10", "No heart rate, signal saturated, off the wrist or loose, resting; active: Sensor contact")]
    [DataRow("NOPULSE", "MHR,1,1,10000,STATUS,-,-,0,-,NOPULSE,REST,00", "No heart rate, no pulsation in the signal, on the skin, poor perfusion, resting")]
    [DataRow("MOTION", "MHR,1,1,10000,STATUS,-,118,60,80,MOTION,MOVE,00", "Heart rate 118 bpm (confidence 60 %), rhythm irregular (irregularity 80 ‰), movement dominates the signal, on the wrist, moving")]
    [DataRow("NOSENSOR", "MHR,1,1,10000,STATUS,-,-,0,-,NOSENSOR,REST,10", "No heart rate, no samples from the sensor, sensor unreachable, device retrying, resting; active: Sensor contact")]
    public void EachQualityTokenHasItsWordsInAStatusLine(string token, string status, string said)
    {
        var s = new MonitorState();
        var e = s.Apply(T0, Parse(status)).Where(m => m.Kind == MonitorEventKind.Status).Single();
        Assert.AreEqual(said, e.Text, token);
    }

    [TestMethod]
    public void BootRestartGapsAndRepeatsAreSaid()
    {
        var s = new MonitorState();
        Assert.AreEqual("Device started", s.Apply(T0, Parse("MHR,1,0,0,BOOT,-,-,0,-,POOR,REST,00")).Single().Text);
        var gap = s.Apply(T0.AddSeconds(40), Parse("MHR,1,4,40000,STATUS,-,72,93,31,GOOD,REST,00"));
        Assert.AreEqual("3 lines lost before line 4", gap[0].Text);
        Assert.AreEqual("Line 4 received twice; the repeat is ignored", s.Apply(T0.AddSeconds(41), Parse("MHR,1,4,40000,STATUS,-,72,93,31,GOOD,REST,00")).Single().Text);
        Assert.AreEqual("Device restarted", s.Apply(T0.AddSeconds(50), Parse("MHR,1,0,0,BOOT,-,-,0,-,POOR,REST,00")).Single().Text);
        Assert.AreEqual(3L, s.Lost);
        Assert.AreEqual(1L, s.Restarts);
        Assert.AreEqual(3L, s.Lines);
    }

    [TestMethod]
    public void TheActiveMaskPutsRightAnAlarmWhoseLinesWereNotSeen()
    {
        var s = new MonitorState();
        // The monitor starts while tachycardia is active: the mask says so.
        var first = s.Apply(T0, Parse("MHR,1,40,400000,STATUS,-,150,90,20,GOOD,REST,02"));
        Assert.AreEqual("Tachycardia is active (raised before this point)", first.Single(e => e.Kind == MonitorEventKind.AlarmRaised).Text);
        Assert.IsFalse(s.Active[AlarmKind.Tachycardia].StartSeen);
        // Its OFF line is lost; the next status line no longer has the bit.
        var later = s.Apply(T0.AddSeconds(30), Parse("MHR,1,43,430000,STATUS,-,80,90,20,GOOD,REST,00"));
        Assert.AreEqual("Tachycardia cleared after at least 30 s", later.Single(e => e.Kind == MonitorEventKind.AlarmCleared).Text);
        Assert.AreEqual(0, s.Active.Count);
    }

    [TestMethod]
    public void DurationsReadAsSecondsMinutesAndHours()
    {
        Assert.AreEqual("50 s", PlainText.Duration(TimeSpan.FromSeconds(50.9)));
        Assert.AreEqual("3 min 20 s", PlainText.Duration(TimeSpan.FromSeconds(200)));
        Assert.AreEqual("2 h 05 min", PlainText.Duration(TimeSpan.FromMinutes(125)));
        Assert.AreEqual("2026-03-01T15:03:12+01:00", PlainText.Iso(T0, TimeZoneInfo.CreateCustomTimeZone("plus1", TimeSpan.FromHours(1), "plus1", "plus1")));
    }
}
