using Micro.App.Tests.Support;
using static Micro.App.Tests.Support.ModelUnderLoad;
using Micro.HeartRate;
using Micro.HeartRate.Model;
using Micro.HeartRate.Protocol;
using Micro.HeartRate.Signal;

namespace Micro.App.Tests;

/// <summary>
/// Issue #11, throughput: a board that cannot afford the network on every window (the gate forced open, each
/// inference longer than the 2 s between classifications) defers model runs while the loop is behind the
/// sensor (AlarmAppOptions.ShedBacklogSamples, HeartRateMonitor.DeferModel) instead of losing samples. The
/// chip is <see cref="SimulatedMax30102"/> on the test's clock; each of the network's ~34 slices "takes"
/// OpMs of device time (<see cref="SlowOps"/>), so the overload is exact and repeatable.
/// </summary>
[TestClass]
public sealed class LoadSheddingTests
{
    private static SimulatedFifoDevice Run(string record, int opMs, int shedBacklog, out SlowOps ops, int times = 4, int chainUsPerSample = 0)
    {
        var options = new AlarmAppOptions { ShedBacklogSamples = shedBacklog };
        var d = new SimulatedFifoDevice(SimulatedFifoDevice.CincIr(record, times), HeartRateModel(), AlwaysModel, options);
        // The loop reads the clock once per analysed sample: that read stands for the chain's work on it.
        d.Clock.ReadCostUs = chainUsPerSample;
        ops = new SlowOps(d.Clock, d.App, opMs, poll: true);
        d.App.Classifier.SliceHook = ops;
        d.RunToEnd();
        return d;
    }

    [TestMethod]
    public void ABoardTooSlowForTheNetworkOnEveryWindowDefersModelRunsInsteadOfLosingSamples()
    {
        // 56 ms per slice ≈ 1.9 s per inference, one due every 2 s, and the chain 5 ms per sample (25 % of the
        // CPU): about 500× nanoCLR, more CPU than the board has.
        var shed = Run("a103l", 56, new AlarmAppOptions().ShedBacklogSamples, out _, chainUsPerSample: 5000);
        Assert.AreEqual(0, shed.Chip.Lost, "reading kept up");
        Assert.AreEqual(0, shed.App.Overflows);
        Assert.AreEqual(0, shed.App.Monitor.Restarts);
        Assert.AreEqual(shed.Chip.Length, shed.App.SamplesProcessed, "every sample the chip made was analysed");
        Assert.IsTrue(shed.App.ModelDeferrals > 0, "model runs were deferred");
        Assert.IsTrue(shed.App.Classifier.Invocations >= 10, $"the network still ran ({shed.App.Classifier.Invocations} times in 64 s)");

        // The same board without shedding: the ring fills, the FIFO overflows, and every loss is a gap.
        var noShed = Run("a103l", 56, 0, out _, chainUsPerSample: 5000);
        Assert.AreEqual(0, noShed.App.ModelDeferrals);
        Assert.IsTrue(noShed.Chip.Lost > 0, "without shedding the board falls behind and loses samples");
        Assert.IsTrue(noShed.App.Overflows > 0);
        Assert.AreEqual(noShed.App.Overflows, noShed.App.Monitor.Restarts, "each loss restarted the chain: never continuous signal");
        // (Restarting the chain at every loss empties the model's window, so the board without shedding runs the
        // network no more often: it only loses signal.)
        Console.WriteLine($"shedding: {shed.App.Classifier.Invocations} inferences, {shed.App.ModelDeferrals} deferred steps, 0 lost; "
            + $"without: {noShed.App.Classifier.Invocations} inferences, {noShed.Chip.Lost} samples lost in {noShed.App.Overflows} gaps");
    }

    [TestMethod]
    public void ABoardThatKeepsUpNeverDefersAndWritesTheSameLines()
    {
        // 30 ms per slice: ≈ 1 s per inference every 2 s — the board keeps up; shedding must change nothing.
        var on = Run("a103l", 30, new AlarmAppOptions().ShedBacklogSamples, out _);
        var off = Run("a103l", 30, 0, out _);
        Assert.AreEqual(0, on.App.ModelDeferrals);
        Assert.AreEqual(0, on.Chip.Lost);
        CollectionAssert.AreEqual(off.Sink.Lines(), on.Sink.Lines());
    }

    [TestMethod]
    [DataRow("a167l")]
    [DataRow("b124s")]
    [DataRow("f450s")]
    [DataRow("t108s")]
    [DataRow("v100s")]
    public void OnTheBundledRecordsAnOverloadedBoardRaisesTheAlarmsOfAnUnloadedOne(string record)
    {
        // The bundled records (models/heart-rate/samples, CinC 2015 alarms) played twice in a row, the gate
        // forced open, on a board as slow as 500× nanoCLR: 56 ms per slice ≈ 1.9 s per inference (nanoCLR
        // 3.8 ms × 500), one due every 2 s, and the chain 5 ms per sample (0.5 ms of nanoCLR per s of signal
        // × 500 = 25 % of the CPU). Alarms raised and cleared (kind, phase, in order) must equal those of a
        // board with time to spare; the lines' times may differ. The loop's own NOSENSOR alarm is left out:
        // the played waveform ends, and a loaded board is still working through its backlog 2 s later.
        var loaded = Run(record, 56, new AlarmAppOptions().ShedBacklogSamples, out _, times: 2, chainUsPerSample: 5000);
        var idle = Run(record, 0, new AlarmAppOptions().ShedBacklogSamples, out _, times: 2);
        Assert.AreEqual(0, loaded.Chip.Lost);
        Assert.AreEqual(0, loaded.App.Monitor.Restarts);
        Assert.IsTrue(loaded.App.ModelDeferrals > 0, "the overloaded board deferred model runs");
        Assert.AreEqual(0, idle.App.ModelDeferrals);
        string nosensor = AlertProtocol.QualityToken(SignalQuality.Unreachable);
        string[] Alarms(SimulatedFifoDevice d) => d.Sink.Parsed().Where(l => l.Phase != "-" && l.Quality != nosensor).Select(l => l.Kind + " " + l.Phase).ToArray();
        string[] expected = Alarms(idle);
        Console.WriteLine($"{record}: alarms {string.Join(", ", expected)}; inferences {loaded.App.Classifier.Invocations} (deferred steps {loaded.App.ModelDeferrals}) vs {idle.App.Classifier.Invocations} with time to spare");
        CollectionAssert.AreEqual(expected, Alarms(loaded), record + ": " + string.Join(", ", Alarms(loaded)));
    }

    [TestMethod]
    public void ADeferredClassificationKeepsTheHeldVerdictThenRunsWhenTheLoopCatchesUp()
    {
        var settings = new HeartRateSettings { SampleRateMilliHz = 25_000, Polarity = -1, IrregularClearPermille = 0, ModelRecheckSeconds = 0 };
        var monitor = new HeartRateMonitor(settings);
        var model = new CountingClassifier();
        monitor.SetClassifier(model);
        int[] wave = SharedData.AsMax30102(SharedData.CincPpg("a103l"), 25).Ir;
        int i = 0;
        AnalysisResult Step()
        {
            while (!monitor.AddSample(wave[i++ % wave.Length])) { }
            return monitor.Result;
        }

        // Run until the model has answered (window full, beats known), then to the step its next run falls due.
        while (model.Calls == 0) Step();
        Assert.IsTrue(monitor.Result.ModelRan);
        int hold = settings.ModelIntervalSeconds;
        for (int k = 1; k < hold; k++) Assert.IsFalse(Step().ModelRan);

        monitor.DeferModel = true;
        int calls = model.Calls;
        for (int k = 0; k < HeartRateMonitor.DeferredVerdictSeconds; k++)
        {
            AnalysisResult r = Step();
            Assert.IsFalse(r.ModelRan, "deferred");
            Assert.IsTrue(r.Verdict.Valid, "the held verdict stands while the run is deferred");
            Assert.AreEqual(model.Regular, r.Verdict.RegularPermille);
        }
        Assert.AreEqual(calls, model.Calls);
        Assert.AreEqual(HeartRateMonitor.DeferredVerdictSeconds, monitor.ModelDeferrals);
        Assert.IsFalse(Step().Verdict.Valid, "beyond DeferredVerdictSeconds the rules decide alone");

        monitor.DeferModel = false;
        Assert.IsTrue(Step().ModelRan, "the deferred run happens at the first step the loop is not behind");
        Assert.AreEqual(calls + 1, model.Calls);
    }

    private sealed class CountingClassifier : IRhythmClassifier
    {
        public int Calls;
        public int Regular => 900;
        public int WindowSamples => 250;
        public int WindowChannels => 1;

        public bool Classify(sbyte[] window, ModelVerdict verdict)
        {
            Calls++;
            verdict.Set(Regular, 50, 25, 25);
            return true;
        }
    }
}
