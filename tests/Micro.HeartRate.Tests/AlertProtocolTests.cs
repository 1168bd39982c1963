using System.Text;
using Micro.HeartRate.Alarms;
using Micro.HeartRate.Protocol;
using Micro.HeartRate.Signal;
using Micro.Tooling.Alerts;

namespace Micro.HeartRate.Tests;

[TestClass]
public sealed class AlertProtocolTests
{
    private static string Encode(AlertEncoder e, string kind, string phase, long uptime, int hr, int conf, int irr, SignalQuality q, bool moving, int mask)
    {
        var buf = new byte[AlertProtocol.MaxLineLength];
        int n = e.Encode(kind, phase, uptime, hr, conf, irr, q, moving, mask, buf, 0);
        return Encoding.ASCII.GetString(buf, 0, n);
    }

    [TestMethod]
    public void SensorUnreachableTokenRoundTripsAndTheMonitorShowsItAsAProblem()
    {
        var e = new AlertEncoder();
        int contact = AlarmKinds.Bit(AlarmKind.SensorOff);
        string on = Encode(e, AlertProtocol.AlarmToken(AlarmKind.SensorOff), "ON", 31000, 0, 100, -1, SignalQuality.Unreachable, false, contact);
        string status = Encode(e, AlertProtocol.StatusKind, "-", 41000, 0, 0, -1, SignalQuality.Unreachable, false, contact);
        StringAssert.Contains(on, ",CONTACT,ON,-,100,-,NOSENSOR,REST,10*");
        StringAssert.Contains(status, ",STATUS,-,-,0,-,NOSENSOR,REST,10*");
        var p = AlertParser.Parse(on);
        Assert.AreEqual(SignalQuality.Unreachable, p.Quality);
        Assert.AreEqual(AlarmKind.SensorOff, p.Alarm);
        Assert.IsTrue(p.IsActive(AlarmKind.SensorOff));
        Assert.AreEqual(SignalQuality.Unreachable, AlertParser.Parse(status).Quality);

        // One changed byte in the token is caught (CRC), and a made-up token is rejected by name.
        Assert.IsFalse(AlertParser.TryParse(on.Replace("NOSENSOR", "NOSENSOT"), out _, out _));
        string bogus = on.Substring(0, on.IndexOf('*')).Replace("NOSENSOR", "NOSIGNAL");
        var crc = Crc16.Compute(Encoding.ASCII.GetBytes(bogus), 0, bogus.Length);
        Assert.IsFalse(AlertParser.TryParse(bogus + "*" + crc.ToString("X4") + "\n", out _, out string? error));
        StringAssert.Contains(error, "quality");

        var monitor = new Micro.Tooling.Monitoring.AlertMonitor(null);
        var at = DateTimeOffset.UnixEpoch;
        var boot = Encode(new AlertEncoder(), AlertProtocol.BootKind, "-", 0, 0, 0, -1, SignalQuality.Poor, false, 0);
        _ = monitor.Handle(new Micro.Tooling.Serial.SerialLineReceived(at, boot.TrimEnd('\n'))).ToList();
        var shown = monitor.Handle(new Micro.Tooling.Serial.SerialLineReceived(at, on.TrimEnd('\n'))).ToList();
        var line = shown.Last();
        Assert.AreEqual(Micro.Tooling.Monitoring.MonitorSeverity.Problem, line.Severity);
        StringAssert.Contains(line.Text, "sensor unreachable");
        var ordinary = Encode(e, AlertProtocol.AlarmToken(AlarmKind.SensorOff), "ON", 51000, 0, 70, -1, SignalQuality.Poor, false, contact);
        Assert.AreEqual(Micro.Tooling.Monitoring.MonitorSeverity.Alarm,
            monitor.Handle(new Micro.Tooling.Serial.SerialLineReceived(at, ordinary.TrimEnd('\n'))).Last().Severity, "poor contact stays an alarm");
    }

    [TestMethod]
    public void Crc16CheckValue()
    {
        byte[] data = Encoding.ASCII.GetBytes("123456789");
        Assert.AreEqual(0x29B1, Crc16.Compute(data, 0, data.Length));
    }

    [TestMethod]
    public void EncodeParseRoundTrip()
    {
        var e = new AlertEncoder();
        string boot = Encode(e, AlertProtocol.BootKind, "-", 0, 0, 0, -1, SignalQuality.Poor, false, 0);
        string status = Encode(e, AlertProtocol.StatusKind, "-", 1843000, 72, 93, 31, SignalQuality.Good, false, 0);
        string tachy = Encode(e, "TACHY", "ON", 4294967295L + 1 + 1844400, 151, 88, 24, SignalQuality.Good, true, 0x02);
        string clear = Encode(e, "NOPULSE", "OFF", 1845000, 0, 80, -1, SignalQuality.NoPulse, false, 0x3F);

        var b = AlertParser.Parse(boot);
        Assert.AreEqual(AlertLineKind.Boot, b.Kind);
        Assert.AreEqual(0u, b.Sequence);

        var s = AlertParser.Parse(status);
        Assert.AreEqual(1u, s.Sequence);
        Assert.AreEqual(1843000u, s.UptimeMs);
        Assert.AreEqual(72, s.RateBpm);
        Assert.AreEqual(93, s.ConfidencePercent);
        Assert.AreEqual(31, s.IrregularityPermille);
        Assert.AreEqual(SignalQuality.Good, s.Quality);
        Assert.AreEqual(AlertPhase.None, s.Phase);

        var t = AlertParser.Parse(tachy);
        Assert.AreEqual(AlarmKind.Tachycardia, t.Alarm);
        Assert.AreEqual(AlertPhase.On, t.Phase);
        Assert.AreEqual(1844400u, t.UptimeMs, "uptime wraps modulo 2^32");
        Assert.IsTrue(t.Moving);
        Assert.IsTrue(t.IsActive(AlarmKind.Tachycardia));
        Assert.IsFalse(t.IsActive(AlarmKind.Bradycardia));

        var c = AlertParser.Parse(clear);
        Assert.AreEqual(AlarmKind.NoPulse, c.Alarm);
        Assert.AreEqual(AlertPhase.Off, c.Phase);
        Assert.IsNull(c.RateBpm);
        Assert.IsNull(c.IrregularityPermille);
        Assert.AreEqual(0x3F, c.ActiveMask);
        Assert.AreEqual(3u, c.Sequence);
        Assert.IsTrue(clear.Length <= AlertProtocol.MaxLineLength && clear.EndsWith('\n'));
    }

    [TestMethod]
    public void LongestLineFitsTheBuffer()
    {
        var e = new AlertEncoder();
        var buf = new byte[AlertProtocol.MaxLineLength];
        // Seven-letter kind, OFF, every number at its widest, the longest quality token (NOSENSOR).
        int n = e.Encode("NOPULSE", "OFF", uint.MaxValue, 300, 100, 1000, SignalQuality.Unreachable, true, 0x3F, buf, 0);
        // seq is 0 on this first line; at 4294967295 it has 9 more digits: 75 bytes, the longest line the
        // protocol page names.
        Assert.AreEqual(75, n + 9, Encoding.ASCII.GetString(buf, 0, n));
        Assert.IsTrue(n <= AlertProtocol.MaxLineLength, $"{n} bytes");
        Assert.IsNotNull(AlertParser.Parse(Encoding.ASCII.GetString(buf, 0, n)));
    }

    [TestMethod]
    public void EveryCorruptedByteIsDetected()
    {
        string line = Encode(new AlertEncoder(), "TACHY", "ON", 123456, 151, 88, 24, SignalQuality.Good, false, 0x02);
        string body = line.TrimEnd('\n');
        for (int i = 0; i < body.Length; i++)
        {
            foreach (char replacement in new[] { '0', '9', 'A', ',', 'x' })
            {
                if (body[i] == replacement) continue;
                string bad = body[..i] + replacement + body[(i + 1)..];
                Assert.IsFalse(AlertParser.TryParse(bad, out _, out var error), $"corruption at {i} ('{replacement}') accepted: {bad}");
                Assert.IsFalse(string.IsNullOrEmpty(error));
            }
        }
    }

    [TestMethod]
    public void CutLinesAreDetected()
    {
        string line = Encode(new AlertEncoder(), "STATUS", "-", 5000, 70, 90, 20, SignalQuality.Good, false, 0).TrimEnd('\n');
        for (int len = 0; len < line.Length; len++)
            Assert.IsFalse(AlertParser.TryParse(line[..len], out _, out _), $"cut at {len} accepted");
        // Two lines run together after a lost newline.
        string second = Encode(new AlertEncoder(), "STATUS", "-", 6000, 70, 90, 20, SignalQuality.Good, false, 0);
        Assert.IsFalse(AlertParser.TryParse(line[..20] + second, out _, out var err));
        StringAssert.Contains(err, "CRC mismatch");
    }

    [TestMethod]
    public void GarbageLinesGiveClearErrors()
    {
        AssertError("", "empty");
        AssertError("hello world", "space at column 6");
        AssertError("MHR\u0007x", "non-printable");
        AssertError("GPS,1,2,3*0000", "MHR");
        AssertError("MHR,1,0,0,STATUS,-,70,90,20,GOOD,REST,00", "'*'");
        AssertError("MHR,1,0,0,STATUS,-,70,90,20,GOOD,REST,00*12G4", "hex");
        AssertError(WithCrc("MHR,2,0,0,STATUS,-,70,90,20,GOOD,REST,00"), "version 2");
        AssertError(WithCrc("MHR,1,0,0,PANIC,-,70,90,20,GOOD,REST,00"), "unknown kind 'PANIC'");
        AssertError(WithCrc("MHR,1,0,0,STATUS,-,999,90,20,GOOD,REST,00"), "heart rate '999'");
        AssertError(WithCrc("MHR,1,0,0,STATUS,-,70,90,20,GOOD,REST,C0"), "reserved bits");
        AssertError(WithCrc("MHR,1,0,0,STATUS,-,70,90,20,GOOD,REST"), "expected 12 fields");
        AssertError(WithCrc("MHR,1,-5,0,STATUS,-,70,90,20,GOOD,REST,00"), "sequence '-5'");
        AssertError(WithCrc("MHR,1,0,0,TACHY,-,70,90,20,GOOD,REST,00"), "needs phase ON or OFF");
        Assert.ThrowsExactly<AlertFormatException>(() => AlertParser.Parse("MHR,garbage"));
    }

    private static string WithCrc(string body)
    {
        byte[] b = Encoding.ASCII.GetBytes(body);
        return $"{body}*{Crc16.Compute(b, 0, b.Length):X4}";
    }

    private static void AssertError(string line, string expected)
    {
        Assert.IsFalse(AlertParser.TryParse(line, out _, out var error), $"accepted: {line}");
        StringAssert.Contains(error, expected);
    }

    [TestMethod]
    public void SequenceTrackerFindsGapsRestartsAndDuplicates()
    {
        var e = new AlertEncoder();
        var lines = new List<string>();
        for (int i = 0; i < 10; i++) lines.Add(Encode(e, AlertProtocol.StatusKind, "-", 1000 * i, 70, 90, 20, SignalQuality.Good, false, 0));
        // Lose lines 3 and 4, corrupt line 6, duplicate line 8, then the device reboots.
        var stream = new List<string> { lines[0], lines[1], lines[2], lines[5], lines[6].Replace(",90,", ",91,"), lines[7], lines[8], lines[8], lines[9] };
        var rebooted = new AlertEncoder();
        stream.Add(Encode(rebooted, AlertProtocol.BootKind, "-", 0, 0, 0, -1, SignalQuality.Poor, false, 0));
        stream.Add(Encode(rebooted, AlertProtocol.StatusKind, "-", 1000, 70, 90, 20, SignalQuality.Good, false, 0));

        var tracker = new SequenceTracker();
        var items = AlertStreamReader.Read(new StringReader(string.Concat(stream)), tracker).ToList();
        Assert.AreEqual(11, items.Count);
        Assert.AreEqual(SequenceStatus.First, items[0].Sequence!.Value.Status);
        Assert.AreEqual(SequenceStatus.Gap, items[3].Sequence!.Value.Status);
        Assert.AreEqual(2u, items[3].Sequence!.Value.Lost);
        Assert.IsNotNull(items[4].Error, "corrupted line rejected");
        StringAssert.Contains(items[4].Error, "line 5");
        Assert.AreEqual(SequenceStatus.Gap, items[5].Sequence!.Value.Status, "the corrupted line shows up as a gap");
        Assert.AreEqual(SequenceStatus.Duplicate, items[7].Sequence!.Value.Status);
        Assert.AreEqual(SequenceStatus.Restart, items[9].Sequence!.Value.Status);
        Assert.AreEqual(SequenceStatus.InOrder, items[10].Sequence!.Value.Status);
        Assert.AreEqual(3, tracker.Lost);
        Assert.AreEqual(1, tracker.Rejected);
        Assert.AreEqual(1, tracker.Duplicates);
        Assert.AreEqual(1, tracker.Restarts);
    }

    [TestMethod]
    public void ExamplesInTheSpecParse()
    {
        string spec = Path.Combine(SharedData.RepositoryRoot, "docs", "alert-protocol.md");
        var examples = File.ReadAllLines(spec).Where(l => l.StartsWith("MHR,", StringComparison.Ordinal) && !l.Contains('<')).ToList();
        Assert.IsTrue(examples.Count >= 3, "the spec shows example lines");
        foreach (string line in examples) Assert.IsNotNull(AlertParser.Parse(line), line);
    }

    [TestMethod]
    public void EncoderAllocatesNothingPerLine()
    {
        var e = new AlertEncoder();
        var buf = new byte[AlertProtocol.MaxLineLength];
        e.Encode("TACHY", "ON", 1, 150, 80, 20, SignalQuality.Good, false, 2, buf, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) e.Encode("TACHY", "ON", 1000L * i, 150, 80, 20, SignalQuality.Good, false, 2, buf, 0);
        Assert.AreEqual(0L, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
