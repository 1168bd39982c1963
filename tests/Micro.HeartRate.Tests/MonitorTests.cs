using Micro.HeartRate.Alarms;
using Micro.HeartRate.Model;
using Micro.HeartRate.Signal;
using Micro.Tooling.Recordings;

namespace Micro.HeartRate.Tests;

[TestClass]
public sealed class MonitorTests
{
    internal sealed class FakeClassifier : IRhythmClassifier
    {
        public int Calls;
        public bool Fail;
        public int Regular = 900, Irregular = 50, NoPulse, Artefact = 50;
        public int WindowSamples { get; init; } = 250;
        public int WindowChannels { get; init; } = 1;

        public bool Classify(sbyte[] window, ModelVerdict verdict)
        {
            Calls++;
            if (Fail) return false;
            verdict.Set(Regular, Irregular, NoPulse, Artefact);
            return true;
        }
    }

    [TestMethod]
    public void ModelRunsEveryIntervalAndItsVerdictStandsInBetween()
    {
        var model = new FakeClassifier { Regular = 0, Irregular = 0, NoPulse = 1000, Artefact = 0 };
        var m = new HeartRateMonitor(new HeartRateSettings { SampleRateMilliHz = 100000, ModelIntervalSeconds = 2 });
        m.SetClassifier(model);
        int validSteps = 0, steps = 0;
        for (int i = 0; i < 20 * 100; i++)
        {
            if (!m.AddSample(100000 + (i % 7))) continue; // flat with a little noise: the gate asks every step
            steps++;
            if (m.Result.Verdict.Valid)
            {
                validSteps++;
                Assert.AreEqual(1000, m.Result.Verdict.NoPulsePermille);
            }
        }
        Assert.AreEqual(20, steps);
        Assert.AreEqual(6, model.Calls, "steps 10, 12, .. 20 (the window needs 10 s)");
        Assert.AreEqual(11, validSteps, "each verdict also stands for the step after it");
    }

    // A clean synthetic pulse at 72 bpm (fast upstroke, slower decay, dicrotic bump) at 100 Hz.
    private static int Pulse(int i)
    {
        double phase = (i / 100.0 * 1.2) % 1.0;
        double v = phase < 0.15 ? phase / 0.15 : Math.Exp(-(phase - 0.15) * 4) + 0.15 * Math.Exp(-Math.Pow((phase - 0.45) / 0.05, 2));
        return 100000 + (int)(8000 * v);
    }

    [TestMethod]
    public void CleanSinusNeedsNoModelAndReadsTheRate()
    {
        var model = new FakeClassifier();
        var m = new HeartRateMonitor(new HeartRateSettings { SampleRateMilliHz = 100000 });
        m.SetClassifier(model);
        for (int i = 0; i < 30 * 100; i++) m.AddSample(Pulse(i));
        int warmCalls = model.Calls;
        for (int i = 30 * 100; i < 60 * 100; i++) m.AddSample(Pulse(i));
        Assert.AreEqual(72, m.Result.RateBpm);
        Assert.AreEqual(SignalQuality.Good, m.Result.Quality);
        Assert.IsFalse(m.Result.NeedsModel);
        Assert.AreEqual(warmCalls, model.Calls, "the cheap gate kept the model idle on clean sinus rhythm");
        Assert.AreEqual(0, m.Result.ActiveAlarms);
    }

    [TestMethod]
    public void PoorPerfusionIsPoorQualityAndEndsInSensorOff()
    {
        // A pulse of ~8000 counts (~7000 after the band-pass) on a DC of ~100000: perfusion index ~7 %; demand 10 %.
        var s = new HeartRateSettings { SampleRateMilliHz = 100000, MinPerfusionPer10000 = 1000 };
        var m = new HeartRateMonitor(s);
        for (int i = 0; i < 20 * 100; i++) m.AddSample(Pulse(i));
        Assert.AreEqual(SignalQuality.Poor, m.Result.Quality);
        Assert.IsTrue(m.Result.PerfusionPer10000 > 600 && m.Result.PerfusionPer10000 < 900, $"PI {m.Result.PerfusionPer10000}");
        Assert.IsTrue(m.Policy.IsActive(AlarmKind.SensorOff));
        Assert.IsFalse(m.Policy.IsActive(AlarmKind.NoPulse), "a weak pulse is not asystole");

        var ok = new HeartRateMonitor(new HeartRateSettings { SampleRateMilliHz = 100000, MinPerfusionPer10000 = 500 });
        for (int i = 0; i < 20 * 100; i++) ok.AddSample(Pulse(i));
        Assert.AreEqual(SignalQuality.Good, ok.Result.Quality);
    }

    [TestMethod]
    public void DcOutsideTheContactRangeIsSensorOff()
    {
        var s = new HeartRateSettings { SampleRateMilliHz = 100000, ContactMinDc = 150000 };
        var m = new HeartRateMonitor(s);
        for (int i = 0; i < 15 * 100; i++) m.AddSample(Pulse(i));
        Assert.IsTrue(m.Result.ContactLost);
        Assert.AreEqual(SignalQuality.Clipped, m.Result.Quality);
        Assert.IsTrue(m.Policy.IsActive(AlarmKind.SensorOff));
        Assert.AreEqual(0, m.Result.ActiveAlarms & AlarmKinds.ClinicalMask, "no clinical alarm without contact");
    }

    [TestMethod]
    public void FailingModelRaisesModelFaultAndRulesCarryOn()
    {
        var model = new FakeClassifier { Fail = true };
        var m = new HeartRateMonitor(new HeartRateSettings { SampleRateMilliHz = 100000 });
        m.SetClassifier(model);
        bool raised = false;
        // Start flat (the gate asks the model), then a clean pulse.
        for (int i = 0; i < 20 * 100; i++)
        {
            if (m.AddSample(100000) && m.Policy.IsActive(AlarmKind.ModelFault)) raised = true;
        }
        Assert.IsTrue(model.Calls > 0);
        Assert.IsTrue(raised, "model fault raised");
        Assert.IsTrue(m.Policy.IsActive(AlarmKind.SensorOff), "rules still raise the technical alert on a flat line");
        Assert.IsFalse(m.Policy.IsActive(AlarmKind.NoPulse), "a flat line is the sensor, not asystole");
    }

    [TestMethod]
    public void PerSampleAndPerStepPathAllocatesNothing()
    {
        // Real wrist PPG with accelerometer (every stage runs: resampler, filters, motion canceller,
        // spectrum, beats, policy) plus a classifier on every gated step.
        var rec = TroikaDataset.Read(SharedData.Troika, "DATA_01_TYPE01").Recording;
        int n = rec.Length;
        var ppg = new int[n];
        var ax = new int[n];
        var ay = new int[n];
        var az = new int[n];
        for (int i = 0; i < n; i++)
        {
            ppg[i] = rec.PpgCounts(i);
            ax[i] = rec.AccMilliG(rec.AccX, i);
            ay[i] = rec.AccMilliG(rec.AccY, i);
            az[i] = rec.AccMilliG(rec.AccZ, i);
        }
        var m = new HeartRateMonitor(ChainHarness.SettingsFor(rec));
        var model = new FakeClassifier();
        m.SetClassifier(model);
        for (int i = 0; i < 5000; i++) m.AddSample(ppg[i], ax[i], ay[i], az[i]);
        int callsBefore = model.Calls;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 5000; i < 15000; i++) m.AddSample(ppg[i], ax[i], ay[i], az[i]);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.AreEqual(0L, allocated, "bytes allocated while feeding 10,000 samples");
        Assert.IsTrue(model.Calls > callsBefore, "the classifier path ran during the measurement");
    }
}
