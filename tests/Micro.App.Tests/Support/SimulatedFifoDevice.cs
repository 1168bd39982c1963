using Micro.Drivers;
using Micro.Drivers.Simulation;

namespace Micro.App.Tests.Support;

/// <summary>
/// The alarm loop over the real driver and a <see cref="SimulatedMax30102"/> whose FIFO fills from the
/// test's clock (50 samples/s, the default configuration): time only moves when the test moves it, so a
/// stall of any length is exact and repeatable.
/// </summary>
public sealed class SimulatedFifoDevice : IDeviceTime
{
    public SimulatedFifoDevice(int[] irAt50Hz, ModelLoadResult model, Func<Micro.HeartRate.HeartRateSettings, Micro.HeartRate.HeartRateSettings>? adjust = null,
        AlarmAppOptions? options = null)
    {
        Chip = new SimulatedMax30102(this, 50_000, irAt50Hz, null);
        Driver = new Max30102(Chip);
        Source = new Max30102SampleSource(Driver, null);
        var settings = Source.CreateSettings();
        if (adjust != null) settings = adjust(settings);
        App = new AlarmApp(settings, Source, Sink, null, null, Clock, model, options);
    }

    /// <summary>A CinC 2015 record's PPG as the chip's IR channel at 50 Hz, played `times` times in a row (16 s each).</summary>
    public static int[] CincIr(string record, int times = 4)
    {
        int[] once = SharedData.AsMax30102(SharedData.CincPpg(record), 50).Ir;
        return Enumerable.Range(0, times).SelectMany(_ => once).ToArray();
    }

    public SimulatedMax30102 Chip { get; }
    public Max30102 Driver { get; }
    public Max30102SampleSource Source { get; }
    public AlarmApp App { get; }
    public SimClock Clock { get; } = new();
    public LineSink Sink { get; } = new();

    public long DeviceMicroseconds => Clock.NowUs;

    /// <summary>Ticks as the firmware does (waiting what Tick asks) until the waveform is played and read.</summary>
    public void RunToEnd()
    {
        while (!Chip.Finished || Chip.Unread > 0 || App.Buffered > 0) Step();
    }

    public void Step()
    {
        int wait = App.Tick();
        Clock.Advance(Math.Max(wait, 1) * 1000L);
    }

    public void RunFor(long ms)
    {
        long end = Clock.NowUs / 1000 + ms;
        while (Clock.NowUs / 1000 < end) Step();
    }
}

/// <summary>Between the network's ops: the op "takes" OpMs of device time, then (if Poll) the loop's hook runs.</summary>
public sealed class SlowOps(SimClock clock, ISliceHook loop, int opMs, bool poll) : ISliceHook
{
    public int Calls { get; private set; }

    public void BetweenSlices()
    {
        Calls++;
        clock.Advance(opMs * 1000L);
        if (poll) loop.BetweenSlices();
    }
}
