using Micro.App.Tests.Support;
using Micro.HeartRate.Alarms;
using SequenceStatus = Micro.Tooling.Alerts.SequenceStatus;
using SequenceTracker = Micro.Tooling.Alerts.SequenceTracker;

namespace Micro.App.Tests;

/// <summary>
/// The alarm loop on real recordings (PhysioNet/CinC 2015, ODC-By 1.0) played through the MAX30102 register
/// model and the real driver: the lines it writes, the outputs it drives, and what it does when the
/// sensor stops answering.
/// </summary>
[TestClass]
public sealed class AlarmAppTests
{
    private const int Tachy = 1 << (int)AlarmKind.Tachycardia;
    private const int NoPulse = 1 << (int)AlarmKind.NoPulse;
    private const int Brady = 1 << (int)AlarmKind.Bradycardia;
    private const int Contact = 1 << (int)AlarmKind.SensorOff;
    private const int ModelBit = 1 << (int)AlarmKind.ModelFault;
    private const int Clinical = AlarmKinds.ClinicalMask;

    private static ModelLoadResult ConstantModel() => ModelLoader.Load(TestModels.ConstantRegular(), null);

    /// <summary>
    /// Every line parses (host parser), the host's sequence tracker sees a first line and no gap, duplicate or
    /// reordering, and uptimes never go back.
    /// </summary>
    private static AlertLine[] CheckStream(LineSink sink)
    {
        AlertLine[] lines = sink.Parsed();
        Assert.IsTrue(lines.Length > 0);
        Assert.AreEqual("BOOT", lines[0].Kind);
        var tracker = new SequenceTracker();
        for (int i = 0; i < lines.Length; i++)
        {
            var seen = tracker.Observe(lines[i].Parsed);
            Assert.AreEqual(i == 0 ? SequenceStatus.First : SequenceStatus.InOrder, seen.Status, "line " + i + ": " + lines[i]);
            Assert.AreEqual((uint)i, lines[i].Seq);
            if (i > 0) Assert.IsTrue(lines[i].UptimeMs >= lines[i - 1].UptimeMs, "uptime went back at line " + i);
        }
        Assert.AreEqual(0L, tracker.Lost);
        return lines;
    }

    [TestMethod]
    public void RealRecordingGivesParsableLinesWithStatusEveryTenSeconds()
    {
        // a103l: a false asystole alarm in the ICU, the PPG shows a steady pulse throughout.
        var w = new SimulatedWrist("a103l", ConstantModel());
        w.RunFor(60_000 + 200);                             // the tick at 60.0 s reads the last samples of the minute

        AlertLine[] lines = CheckStream(w.Sink);
        AlertLine[] status = lines.Where(l => l.Kind == "STATUS").ToArray();
        CollectionAssert.AreEqual(new uint[] { 10_000, 20_000, 30_000, 40_000, 50_000, 60_000 }, status.Select(l => l.UptimeMs).ToArray());
        foreach (var s in status)
        {
            Assert.IsNotNull(s.RateBpm, "a steady pulse has a rate");
            Assert.IsTrue(s.RateBpm is > 40 and < 200, "rate " + s.RateBpm);
            Assert.IsTrue(s.Quality is "GOOD" or "FAIR", s.Quality);
            Assert.AreEqual(0, s.ActiveMask & (NoPulse | Contact | ModelBit), "no technical or no-pulse alarm on a steady pulse");
        }
        Assert.AreEqual(60, w.App.Steps, "one analysis step per second of samples");
        Assert.AreEqual(3000, w.App.SamplesProcessed, "50 samples/s for 60 s, none lost");
        Assert.AreEqual(0, w.Source.Driver.LostSamples);
        Assert.AreEqual(0L, w.App.SinkErrors);
        Assert.IsTrue(w.App.Classifier.Invocations > 0, "the cheap gate asked the model at least once");
        Assert.IsFalse(w.Buzzer.On);
        Assert.AreEqual(0, w.Buzzer.TimesOn);
    }

    [TestMethod]
    public void TrueTachycardiaRaisesTachyLineAndSoundsTheBuzzer()
    {
        // t150s: a true tachycardia alarm (> 140 bpm) from the CinC 2015 training set.
        var w = new SimulatedWrist("t150s", ConstantModel());
        w.RunFor(40_000);

        AlertLine[] lines = CheckStream(w.Sink);
        AlertLine on = lines.FirstOrDefault(l => l.Kind == "TACHY" && l.Phase == "ON");
        Assert.IsNotNull(on, "no TACHY ON line:\n" + w.Sink.Text);
        Assert.IsTrue(on.RateBpm > 140, "tachycardia at " + on.RateBpm);
        Assert.IsTrue(on.Has(Tachy));
        Assert.IsTrue(lines.Where(l => l.UptimeMs > on.UptimeMs).All(l => l.Has(Tachy) || l.Kind == "TACHY"), "tachy stays active in the mask");
        Assert.IsTrue(w.Buzzer.TimesOn >= 2, "the buzzer beats while a clinical alarm is active");
        Assert.IsTrue(w.Led.On, "steady LED for a clinical alarm");
    }

    [TestMethod]
    public void FlatPpgRaisesContactNotNoPulseAndNeitherDoesADeadBus()
    {
        // a185l: a true asystole alarm whose PPG channel is a flat line. A flat line is the sensor's fault,
        // not the heart's (issue 12): a technical CONTACT alert, never NOPULSE or BRADY.
        var flat = new SimulatedWrist("a185l", ConstantModel());
        flat.RunFor(20_000);
        AlertLine[] flatLines = CheckStream(flat.Sink);
        Assert.IsTrue(flatLines.Any(l => l.Kind == "CONTACT" && l.Phase == "ON"), flat.Sink.Text);
        Assert.IsFalse(flatLines.Any(l => l.Kind is "NOPULSE" or "BRADY"), flat.Sink.Text);

        // The same "nothing arrives" from a sensor that stopped answering must not look like asystole.
        var dead = new SimulatedWrist("a103l", ConstantModel());
        dead.RunFor(20_000);
        dead.Chip.Connected = false;
        dead.RunFor(60_000);
        AlertLine[] lines = CheckStream(dead.Sink);
        Assert.IsFalse(lines.Any(l => l.Has(NoPulse) || l.Has(Brady) || l.Kind is "NOPULSE" or "BRADY"), dead.Sink.Text);
        Assert.IsTrue(lines.Any(l => l.Kind == "CONTACT" && l.Phase == "ON"));
    }

    [TestMethod]
    public void SensorThatStopsAnsweringIsReportedAsContactAndRecovers()
    {
        var opt = new AlarmAppOptions();
        var w = new SimulatedWrist("a103l", ConstantModel(), opt);
        w.RunFor(30_000);
        long stepsBefore = w.App.Steps;
        Assert.AreEqual(0L, w.App.Monitor.Restarts);
        long lostAt = w.Clock.UptimeMs;
        w.Chip.Connected = false;                      // unplugged: every transaction is NACKed
        w.RunFor(20_000);
        Assert.AreEqual(stepsBefore, w.App.Steps, "nothing is analysed while no sample arrives");
        Assert.IsTrue(w.App.SensorLost);
        long restartsWhileLost = w.App.RestartAttempts;
        Assert.IsTrue(restartsWhileLost is >= 3 and <= 8, "back-off keeps restarts few: " + restartsWhileLost);

        w.Chip.PowerOn();                              // plugged back: the chip comes up at power-on defaults
        w.Chip.Connected = true;
        w.RunFor(30_000);

        AlertLine[] lines = CheckStream(w.Sink);
        AlertLine on = lines.Single(l => l.Kind == "CONTACT" && l.Phase == "ON");
        Assert.IsTrue(on.UptimeMs - lostAt <= opt.SensorLostMs + opt.TickMs, "reported " + (on.UptimeMs - lostAt) + " ms after the loss");
        Assert.AreEqual(Contact, on.ActiveMask);
        Assert.AreEqual("NOSENSOR", on.Quality, "the sensor is unreachable, not off the skin");
        AlertLine off = lines.Single(l => l.Kind == "CONTACT" && l.Phase == "OFF");
        Assert.IsTrue(off.UptimeMs > lostAt + 20_000 && off.UptimeMs <= lostAt + 20_000 + opt.RestartBackoffMaxMs + opt.TickMs,
            "recovered at " + off.UptimeMs);
        AlertLine[] during = lines.Where(l => l.UptimeMs > on.UptimeMs && l.UptimeMs < off.UptimeMs).ToArray();
        Assert.IsTrue(during.Length >= 1 && during.All(l => l.Kind == "STATUS" && l.ActiveMask == Contact && l.RateBpm == null),
            "status while lost carries only CONTACT and no rate");
        Assert.IsTrue(during.All(l => l.Quality == "NOSENSOR"), "status while lost says NOSENSOR");
        Assert.IsTrue(lines.Where(l => l.UptimeMs < on.UptimeMs || l.UptimeMs > off.UptimeMs).All(l => l.Quality != "NOSENSOR"));
        Assert.AreEqual(1L, w.App.Monitor.Restarts, "the signal chain started over with the first samples after the gap");
        Assert.AreEqual(0, lines.Aggregate(0, (m, l) => m | l.ActiveMask) & Clinical, "no clinical alarm anywhere:\n" + w.Sink.Text);
        // The restarted chain needs a few beats before it has a rate again.
        AlertLine[] settled = lines.Where(l => l.UptimeMs > off.UptimeMs + 6_000 && l.Kind == "STATUS").ToArray();
        Assert.IsTrue(settled.Length >= 2 && settled.All(l => l.RateBpm is > 40 and < 200), "the rate is back after recovery:\n" + w.Sink.Text);
        Assert.IsFalse(w.App.SensorLost);
        Assert.AreEqual(1, w.App.SensorLosses);
        Assert.IsFalse(w.Buzzer.TimesOn > 0, "a technical alarm never sounds the buzzer");
        Assert.IsTrue(w.Led.TimesOn >= 2, "the LED blinks while the sensor is lost");
    }

    [TestMethod]
    public void SensorReseatedAtAnotherLevelAfterAGapResumesWithoutFalseAlarms()
    {
        // a103l (steady pulse) on the finger for 30 s; then the sensor is unplugged for 20 s and comes back
        // sitting differently: 30 % less light (DC) and a pulse a third the size. The chip's FIFO keeps its
        // own clock, so the samples after the gap continue the recording elsewhere.
        var (red, ir) = SharedData.AsMax30102(SharedData.CincPpg("a103l"), SimulatedWrist.ConversionRateHz);
        int first = 30 * SimulatedWrist.ConversionRateHz, total = 120 * SimulatedWrist.ConversionRateHz;
        int[] r2 = new int[total], i2 = new int[total];
        for (int k = 0; k < total; k++)
        {
            int rv = red[k % red.Length], iv = ir[k % ir.Length];
            if (k >= first)
            {
                rv = 84_000 + (rv - 120_000) / 3;
                iv = 140_000 + (iv - 200_000) / 3;
            }
            r2[k] = rv;
            i2[k] = iv;
        }
        var opt = new AlarmAppOptions();
        var w = new SimulatedWrist((r2, i2), ConstantModel(), opt);
        w.RunFor(30_000);
        w.Chip.Connected = false;
        w.RunFor(20_000);
        w.Chip.PowerOn();
        w.Chip.Connected = true;
        w.RunFor(40_000);

        AlertLine[] lines = CheckStream(w.Sink);
        AlertLine on = lines.Single(l => l.Kind == "CONTACT" && l.Phase == "ON");
        AlertLine off = lines.Single(l => l.Kind == "CONTACT" && l.Phase == "OFF");
        Assert.AreEqual("NOSENSOR", on.Quality);
        Assert.AreEqual(0, lines.Aggregate(0, (m, l) => m | l.ActiveMask) & Clinical, "no clinical alarm from the gap:\n" + w.Sink.Text);
        Assert.AreEqual(1L, w.App.Monitor.Restarts);
        AlertLine[] after = lines.Where(l => l.Kind == "STATUS" && l.UptimeMs >= off.UptimeMs + 10_000).ToArray();
        Assert.IsTrue(after.Length >= 2 && after.All(l => l.RateBpm is > 115 and < 135 && l.ActiveMask == 0),
            "the pulse (~126 bpm) is back and nothing is active:\n" + w.Sink.Text);
        Assert.AreEqual(0, w.Buzzer.TimesOn);
    }

    [TestMethod]
    public void FingerTakenOffGivesContactNotNoPulse()
    {
        // 30 s of a103l on the finger, then 40 s of what the photodiode sees with nothing on it: ambient light,
        // a few hundred counts of noise, far below the no-contact level.
        var (red, ir) = SharedData.AsMax30102(SharedData.CincPpg("a103l"), SimulatedWrist.ConversionRateHz);
        int on = 30 * SimulatedWrist.ConversionRateHz, off = 40 * SimulatedWrist.ConversionRateHz;
        var noise = new Random(5);
        int[] r2 = new int[on + off], i2 = new int[on + off];
        for (int k = 0; k < on; k++) { r2[k] = red[k % red.Length]; i2[k] = ir[k % ir.Length]; }
        for (int k = on; k < on + off; k++) { r2[k] = 1500 + noise.Next(-200, 200); i2[k] = 2500 + noise.Next(-300, 300); }
        var w = new SimulatedWrist((r2, i2), ConstantModel());
        w.RunFor(70_000);
        AlertLine[] lines = CheckStream(w.Sink);
        AlertLine contact = lines.Single(l => l.Kind == "CONTACT" && l.Phase == "ON");
        Assert.IsTrue(contact.UptimeMs is > 30_000 and <= 45_000, "CONTACT after the finger left at 30 s: " + contact.UptimeMs);
        Assert.AreEqual(0, lines.Aggregate(0, (m, l) => m | l.ActiveMask) & Clinical, "no clinical alarm from an empty sensor:\n" + w.Sink.Text);
        Assert.IsFalse(w.App.SensorLost, "the sensor answers and delivers: contact comes from the signal, not from silence");
    }

    [TestMethod]
    public void SensorThatResetsItselfAndGoesSilentIsRestarted()
    {
        // A brown-out: the chip still answers but came back at power-on defaults (mode 0): no samples.
        var w = new SimulatedWrist("a165l", ConstantModel());
        w.RunFor(20_000);
        w.Chip.PowerOn();
        w.RunFor(20_000);
        AlertLine[] lines = CheckStream(w.Sink);
        Assert.IsTrue(w.App.RestartAttempts >= 1, "the silent sensor was reconfigured");
        Assert.IsTrue(w.App.Monitor.Restarts >= 1, "the samples after the reconfiguration start a new chain");
        Assert.IsTrue(w.App.SamplesProcessed > 1800, "samples flow again: " + w.App.SamplesProcessed);
        Assert.IsFalse(w.App.SensorLost);
        Assert.AreEqual(0, lines.Aggregate(0, (m, l) => m | l.ActiveMask) & Clinical, w.Sink.Text);
    }

    [TestMethod]
    public void RestartsBackOffExponentiallyUpToTheLimit()
    {
        var sensor = new ScriptedSensor(new int[50], 50) { Answering = false };
        var clock = new SimClock();
        var settings = new Micro.HeartRate.HeartRateSettings { SampleRateMilliHz = 50_000 };
        var opt = new AlarmAppOptions { RestartBackoffMinMs = 500, RestartBackoffMaxMs = 4000, TickMs = 100 };
        var starts = new List<long>();
        var app = new AlarmApp(settings, new RecordingSource(sensor, clock, starts), new LineSink(), null, null, clock, null, opt);
        for (int i = 0; i < 300; i++)
        {
            clock.UptimeMs += app.Tick();
        }
        long[] gaps = starts.Zip(starts.Skip(1), (a, b) => b - a).ToArray();
        CollectionAssert.AreEqual(new long[] { 500, 1000, 2000, 4000, 4000, 4000, 4000 }, gaps.Take(7).ToArray(), string.Join(",", starts));
    }

    [TestMethod]
    public void LoopAllocatesNothingPerTickAfterWarmUp()
    {
        var w = new SimulatedWrist("t150s", ConstantModel());
        w.RunFor(30_000);                                  // warm-up: JIT, first alarms, static tables
        w.Chip.Connected = false;
        w.RunFor(12_000);
        w.Chip.PowerOn();
        w.Chip.Connected = true;
        w.RunFor(20_000);
        long invocations = w.App.Classifier.Invocations;
        long lines = w.App.LinesWritten;
        long restarts = w.App.RestartAttempts;

        long before = GC.GetAllocatedBytesForCurrentThread();
        w.RunFor(120_000);                                 // 600 ticks with the model, alarms and status lines
        w.Chip.Connected = false;
        w.RunFor(15_000);                                  // failed reads, restarts with back-off, CONTACT, status
        w.Chip.PowerOn();
        w.Chip.Connected = true;
        w.RunFor(15_000);                                  // recovery
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.IsTrue(w.App.Classifier.Invocations > invocations, "the model ran inside the measured ticks");
        Assert.IsTrue(w.App.LinesWritten > lines + 10);
        Assert.IsTrue(w.App.RestartAttempts > restarts);
        Assert.AreEqual(0L, allocated, "bytes allocated over 750 ticks");
    }

    [TestMethod]
    public void ModelFaultAtStartIsReportedAndTheRulesCarryOn()
    {
        byte[] corrupt = TestModels.ConstantRegular();
        corrupt[corrupt.Length - 1] ^= 0x40;               // one flipped bit: CRC mismatch
        ModelLoadResult model = ModelLoader.Load(corrupt, null);
        Assert.IsNull(model.Classifier);

        var w = new SimulatedWrist("t150s", model);
        w.RunFor(40_000);
        AlertLine[] lines = CheckStream(w.Sink);
        Assert.AreEqual("MODEL", lines[1].Kind);
        Assert.AreEqual("ON", lines[1].Phase);
        Assert.AreEqual(ModelBit, lines[1].ActiveMask);
        Assert.IsTrue(lines.Skip(1).All(l => l.Has(ModelBit)), "the model fault stays in every mask");
        Assert.IsTrue(lines.Any(l => l.Kind == "TACHY" && l.Phase == "ON"), "rules alone still find the tachycardia");
        Assert.IsNull(w.App.Classifier);
    }

    [TestMethod]
    public void BrokenSinkCostsOnlyTheLinesItDropped()
    {
        var w = new SimulatedWrist("a103l", ConstantModel());
        w.RunFor(15_000);
        w.Sink.Broken = true;
        w.RunFor(20_000);                                  // two status lines are due in here
        w.Sink.Broken = false;
        w.RunFor(20_000);
        AlertLine[] lines = w.Sink.Parsed();
        Assert.AreEqual(2L, w.App.SinkErrors);
        var tracker = new SequenceTracker();
        foreach (var l in lines) tracker.Observe(l.Parsed);
        Assert.AreEqual(1L, tracker.Gaps, "one gap, as the host's reader sees it");
        Assert.AreEqual(2L, tracker.Lost, "of the two lines the UART dropped");
        Assert.AreEqual(50_000u, lines[^1].UptimeMs);
    }

    [TestMethod]
    public void SettingsMustMatchTheSensorRate()
    {
        var sensor = new ScriptedSensor(new int[10], 50);
        var settings = new Micro.HeartRate.HeartRateSettings { SampleRateMilliHz = 100_000 };
        var e = Assert.ThrowsExactly<ArgumentException>(() => new AlarmApp(settings, sensor, new LineSink(), null, null, new SimClock(), null, null));
        StringAssert.Contains(e.Message, "50000");
    }

    /// <summary>Logs when the loop starts the sensor.</summary>
    private sealed class RecordingSource(ScriptedSensor inner, SimClock clock, List<long> starts) : ISampleSource
    {
        public int SampleRateMilliHz => inner.SampleRateMilliHz;

        public bool TryStart()
        {
            starts.Add(clock.UptimeMs);
            return inner.TryStart();
        }

        public bool TryRead(int[] buffer, int maxSamples, out int count) => inner.TryRead(buffer, maxSamples, out count);

        public long LostSamples => inner.LostSamples;
    }
}
