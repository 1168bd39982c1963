using Micro.App.Tests.Support;
using static Micro.App.Tests.Support.ModelUnderLoad;
using Micro.Drivers;
using Micro.Drivers.Simulation;
using Micro.HeartRate;
using Micro.HeartRate.Model;
using Micro.Runtime;

namespace Micro.App.Tests;

/// <summary>
/// Issue #11: samples lost by a full MAX30102 FIFO are a gap (the chain starts over), never continuous
/// signal; reading between the network's ops keeps a slow inference from losing samples. The chip is
/// <see cref="SimulatedMax30102"/> on a clock the test moves, read by the real driver.
/// </summary>
[TestClass]
public sealed class FifoGapTests
{
    [TestMethod]
    public void TheChipOverflowsLikeTheDatasheetSaysAndTheDriverCountsIt()
    {
        var clock = new SimClock();
        var time = new MsTime(clock);
        int[] wave = Enumerable.Range(0, 200).Select(i => 1000 + i).ToArray();
        var chip = new SimulatedMax30102(time, 50_000, wave, null);
        var driver = new Max30102(chip);
        Assert.IsTrue(driver.TryInitialize(Max30102SampleSource.DefaultConfiguration()));
        var ir = new int[32];

        clock.UptimeMs = 200;   // 10 samples
        Assert.IsTrue(driver.TryReadSamples(null, ir, 0, 32, out int n));
        Assert.AreEqual(10, n);
        CollectionAssert.AreEqual(wave.Take(10).ToArray(), ir.Take(10).ToArray());
        Assert.AreEqual(0, driver.LostSamples);

        clock.UptimeMs = 200 + 40 * 20;   // 40 more: 8 overwritten (roll-over keeps the newest 32)
        chip.CatchUp();
        Assert.AreEqual(8, chip.Lost);
        Assert.IsTrue(driver.TryReadSamples(null, ir, 0, 32, out n));
        Assert.AreEqual(32, n);
        CollectionAssert.AreEqual(wave.Skip(18).Take(32).ToArray(), ir, "the oldest 8 were overwritten");
        Assert.AreEqual(8, driver.LostSamples, "OVF_COUNTER");

        clock.UptimeMs += 2000;   // 100 more: 68 lost, OVF_COUNTER saturates at 31
        Assert.IsTrue(driver.TryReadSamples(null, ir, 0, 32, out n));
        Assert.AreEqual(8 + 68, chip.Lost);
        Assert.AreEqual(8 + 31, driver.LostSamples);
        Assert.IsTrue(driver.LostSamplesSaturated);
        Assert.AreEqual(150, chip.Converted);
    }

    [TestMethod]
    public void ReadEveryTickLosesNothingOverARecording()
    {
        var d = new SimulatedFifoDevice(SimulatedFifoDevice.CincIr("a103l"), HeartRateModel(), AlwaysModel);
        d.RunToEnd();
        Assert.AreEqual(0, d.Chip.Lost);
        Assert.AreEqual(0, d.App.LostSamples);
        Assert.AreEqual(0, d.App.Overflows);
        Assert.AreEqual(0, d.App.Monitor.Restarts);
        Assert.AreEqual(d.Chip.Length, d.App.SamplesProcessed, "every sample the chip made was analysed");
        Assert.IsTrue(d.App.Classifier.Invocations > 10);
    }

    [TestMethod]
    public void AForcedStallOverflowsTheFifoAndTheOverflowIsAGapNotContinuousSignal()
    {
        var d = new SimulatedFifoDevice(SimulatedFifoDevice.CincIr("a103l"), null);
        d.RunFor(20_000);
        Assert.AreEqual(0, d.App.LostSamples);
        long stepsBefore = d.App.Steps;

        d.Chip.CatchUp();
        int waiting = d.Chip.Unread;
        d.Clock.UptimeMs += 1500;   // the loop does not run for 1.5 s (less than SensorLostMs): 75 more samples, 32 fit
        d.RunFor(20_000);

        Assert.AreEqual(waiting + 75 - 32, d.Chip.Lost, "the simulated chip lost what did not fit");
        Assert.AreEqual(1, d.App.Overflows, "one loss, seen once");
        Assert.AreEqual(31, d.App.LostSamples, "OVF_COUNTER saturates at 31: a lower bound, flagged by the driver");
        Assert.IsTrue(d.Driver.LostSamplesSaturated);
        Assert.AreEqual(1, d.App.Monitor.Restarts, "the chain started over at the gap");
        Assert.AreEqual(d.Chip.Converted - d.Chip.Lost - d.Chip.Unread - d.App.Buffered, d.App.SamplesProcessed,
            "only samples the chip delivered were analysed: nothing made up for the gap");
        Assert.IsTrue(d.App.Steps > stepsBefore + 15, "analysis resumed after the gap");
    }

    [TestMethod]
    public void WithoutTheGapTheSameStallWouldBeJoinedIntoOneSignal()
    {
        // The counter-case: a sensor that hides its loss (LostSamples stays 0) is read as continuous, so the
        // chain is not restarted. The gap test above fails exactly when the loss is not seen.
        var d = new SimulatedFifoDevice(SimulatedFifoDevice.CincIr("a103l"), null);
        d.RunFor(20_000);
        d.Clock.UptimeMs += 1500;
        d.Chip.CatchUp();
        Assert.IsTrue(d.Chip.Lost > 0);
        d.Driver.TryClearFifo();   // forgets OVF_COUNTER and the samples (a driver that ignored the counter)
        d.RunFor(20_000);
        Assert.AreEqual(0, d.App.Overflows);
        Assert.AreEqual(0, d.App.Monitor.Restarts);
    }

    [TestMethod]
    public void ReadingBetweenTheNetworksOpsKeepsASlowInferenceFromLosingSamples()
    {
        // Each slice of the network (Interpreter.Step, ~33 per inference at the default budget) takes 30 ms of
        // device time (about 1 s per inference, every 2 s): longer than the FIFO's 640 ms, but each slice fits.
        var polled = new SimulatedFifoDevice(SimulatedFifoDevice.CincIr("a103l"), HeartRateModel(), AlwaysModel);
        var slow = new SlowOps(polled.Clock, polled.App, 30, poll: true);
        polled.App.Classifier.SliceHook = slow;
        polled.RunToEnd();
        Assert.IsTrue(polled.App.Classifier.Invocations > 10);
        Assert.IsTrue(slow.Calls > 50);
        Assert.AreEqual(0, polled.Chip.Lost);
        Assert.AreEqual(0, polled.App.Overflows);
        Assert.AreEqual(polled.Chip.Length, polled.App.SamplesProcessed);

        // The same slow ops without reading between them: the FIFO overflows at every inference, and every
        // overflow is a gap.
        var blocked = new SimulatedFifoDevice(SimulatedFifoDevice.CincIr("a103l"), HeartRateModel(), AlwaysModel);
        blocked.App.Classifier.SliceHook = new SlowOps(blocked.Clock, blocked.App, 30, poll: false);
        blocked.RunToEnd();
        Assert.IsTrue(blocked.Chip.Lost > 0);
        Assert.IsTrue(blocked.App.Overflows > 0);
        Assert.AreEqual(blocked.App.Overflows, blocked.App.Monitor.Restarts, "each loss restarted the chain");
    }

    [TestMethod]
    public void AModelThatDoesNotFitLeavesTheAppOnRulesWithTheModelAlarm()
    {
        // Firmware order: build the app, then load the model. A source that runs out of memory is a fault,
        // not a crash.
        var d = new SimulatedFifoDevice(SimulatedFifoDevice.CincIr("a103l"), null);
        var result = ModelLoader.Load(new IBlobSource[] { new ThrowingSource(new OutOfMemoryException("no room for the arena")) });
        d.App.AttachModel(result);
        d.RunFor(12_000);
        Assert.IsNull(d.App.Classifier);
        string[] lines = d.Sink.Lines();
        StringAssert.Contains(lines[1], ",MODEL,ON,");
        Assert.IsTrue(lines.Count(l => l.Contains(",STATUS,")) >= 1, "the rules carry on");
        Assert.ThrowsExactly<InvalidOperationException>(() => d.App.AttachModel(null));
    }

    private sealed class ThrowingSource(Exception e) : IBlobSource
    {
        public string Name => "storage";
        public byte[] Read() => throw e;
    }

    private sealed class MsTime(SimClock clock) : IDeviceTime
    {
        public long DeviceMicroseconds => clock.UptimeMs * 1000;
    }
}
