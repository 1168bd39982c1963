using Micro.Drivers;
using Micro.Drivers.Tests;

namespace Micro.App.Tests.Support;

/// <summary>
/// The whole device on the host: a CinC 2015 PPG recording played by the MAX30102 register model at the
/// chip's conversion rate, read by the real driver through <see cref="Max30102SampleSource"/>, and the
/// <see cref="AlarmApp"/> loop ticking on a simulated clock; alert lines land in a <see cref="LineSink"/>.
/// Between ticks the clock moves by the wait Tick asked for and the chip produces the FIFO samples of that
/// time (50 Hz by default). Step allocates nothing.
/// </summary>
public sealed class SimulatedWrist
{
    public const int ConversionRateHz = 200;

    private long _fifoMilliSamples;

    public SimulatedWrist(string record, ModelLoadResult model, AlarmAppOptions options = null)
        : this(SharedData.AsMax30102(SharedData.CincPpg(record), ConversionRateHz), model, options)
    {
    }

    /// <summary>Plays the given channels (one value per conversion at ConversionRateHz), looping.</summary>
    public SimulatedWrist((int[] Red, int[] Ir) wave, ModelLoadResult model, AlarmAppOptions options = null)
    {
        var (red, ir) = wave;
        Chip = new Max30102Model(red, ir);
        Source = new Max30102SampleSource(new Max30102(Chip), null);
        Settings = Source.CreateSettings();
        App = new AlarmApp(Settings, Source, Sink, Buzzer, Led, Clock, model, options);
        RecordingSeconds = red.Length / ConversionRateHz;
    }

    public Max30102Model Chip { get; }
    public Max30102SampleSource Source { get; }
    public Micro.HeartRate.HeartRateSettings Settings { get; }
    public AlarmApp App { get; }
    public SimClock Clock { get; } = new();
    public LineSink Sink { get; } = new();
    public RecordingIndicator Buzzer { get; } = new();
    public RecordingIndicator Led { get; } = new();
    public int RecordingSeconds { get; }

    /// <summary>When false the chip makes no samples (e.g. while unpowered).</summary>
    public bool Converting { get; set; } = true;

    /// <summary>One Tick, then time moves on by the wait it returned.</summary>
    public void Step()
    {
        int wait = App.Tick();
        if (wait < 1) wait = 1;
        Clock.UptimeMs += wait;
        _fifoMilliSamples += (long)wait * Source.SampleRateMilliHz / 1000;
        int due = (int)(_fifoMilliSamples / 1000);
        _fifoMilliSamples -= due * 1000L;
        if (Converting) Chip.Produce(due);
    }

    public void RunFor(long ms)
    {
        long end = Clock.UptimeMs + ms;
        while (Clock.UptimeMs < end) Step();
    }
}
