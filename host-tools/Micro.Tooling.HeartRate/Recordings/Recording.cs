namespace Micro.Tooling.Recordings;

/// <summary>
/// One PPG recording in physical (floating-point) units as read from a data set, with an optional
/// three-axis accelerometer in g. <see cref="PpgScale"/> converts the PPG to the integer "ADC counts" the
/// portable chain takes (the data sets store floats; the device gets integers).
/// </summary>
public sealed class Recording
{
    public Recording(string name, double sampleRateHz, double[] ppg, double ppgScale,
        double[]? accX = null, double[]? accY = null, double[]? accZ = null, int polarity = 1)
    {
        if (polarity != 1 && polarity != -1) throw new ArgumentOutOfRangeException(nameof(polarity), "polarity must be +1 or -1");
        if (sampleRateHz <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRateHz));
        if (accX != null && (accY == null || accZ == null || accX.Length != ppg.Length || accY.Length != ppg.Length || accZ.Length != ppg.Length))
            throw new ArgumentException("accelerometer channels must all be present and as long as the PPG");
        Name = name;
        SampleRateHz = sampleRateHz;
        Ppg = ppg;
        PpgScale = ppgScale;
        AccX = accX;
        AccY = accY;
        AccZ = accZ;
        Polarity = polarity;
    }

    /// <summary>+1 if the PPG rises with each pulse, −1 if it falls (raw light intensity).</summary>
    public int Polarity { get; }

    /// <summary>Sensor description for the chain: raw swings within this many counts are a flat line.</summary>
    public int FlatToleranceCounts { get; init; }

    /// <summary>Sensor description for the chain: the smallest peak-to-peak swing (counts) that is a pulse.</summary>
    public int MinPulseCounts { get; init; }

    public string Name { get; }

    public double SampleRateHz { get; }

    /// <summary>Rate in mHz, as the portable chain takes it (62.5 Hz → 62500).</summary>
    public int SampleRateMilliHz => (int)Math.Round(SampleRateHz * 1000.0);

    public double[] Ppg { get; }

    /// <summary>PPG value × PpgScale = integer sample fed to the chain.</summary>
    public double PpgScale { get; }

    public double[]? AccX { get; }

    public double[]? AccY { get; }

    public double[]? AccZ { get; }

    public bool HasAccelerometer => AccX != null;

    public int Length => Ppg.Length;

    public double DurationSeconds => Ppg.Length / SampleRateHz;

    /// <summary>Integer PPG sample i (rounded, clamped to ±2^23).</summary>
    public int PpgCounts(int i) => ToCounts(Ppg[i] * PpgScale);

    /// <summary>Acceleration in milli-g (rounded), 0 without an accelerometer.</summary>
    public int AccMilliG(double[]? axis, int i) => axis == null ? 0 : ToCounts(axis[i] * 1000.0);

    private static int ToCounts(double v)
    {
        const double limit = (1 << 23) - 1;
        if (double.IsNaN(v)) return 0;
        if (v > limit) v = limit;
        if (v < -limit) v = -limit;
        return (int)Math.Round(v, MidpointRounding.AwayFromZero);
    }
}
