using Micro.HeartRate.Beats;
using Micro.HeartRate.Signal;

namespace Micro.HeartRate.Tests;

/// <summary>Beats/PulsePeriodicity: the normalized autocorrelation of the newest samples of a ring at a lag.</summary>
[TestClass]
public sealed class PulsePeriodicityTests
{
    // A PPG-like pulse of period samples: a steep rise over 3 samples, a slow fall, and optionally a dicrotic
    // wave of the given size (‰ of the pulse) half a period later.
    private static IntRing Pulses(int period, int count, int amplitude, int dicroticPermille = 0)
    {
        var ring = new IntRing(250);
        for (int i = 0; i < count; i++)
        {
            int phase = i % period;
            long v = phase < 3 ? (long)amplitude * phase / 3 : (long)amplitude * (period - phase) / (period - 3);
            int half = period / 2;
            if (dicroticPermille > 0 && phase >= half && phase < half + 3) v += (long)amplitude * dicroticPermille / 1000 * (phase - half + 1) / 3;
            ring.Add((int)(v - amplitude / 2));
        }
        return ring;
    }

    [TestMethod]
    public void APulseTrainRepeatsAtItsPeriod()
    {
        var ring = Pulses(10, 200, 30000);
        Assert.IsTrue(PulsePeriodicity.CorrelationPermille(ring, 10, 50) >= 990);
        // Half the period: the rise meets the fall.
        Assert.IsTrue(PulsePeriodicity.CorrelationPermille(ring, 5, 50) < 0);
    }

    [TestMethod]
    public void ADicroticWaveCountedAsABeatDoesNotRepeatAtHalfThePeriod()
    {
        // Pulse and dicrotic wave give beats 8 and 8 samples apart at a 16-sample period: the wave is alike 16
        // samples apart, not 8.
        var ring = Pulses(16, 200, 20000, 400);
        int half = PulsePeriodicity.CorrelationPermille(ring, 8, 50);
        int full = PulsePeriodicity.CorrelationPermille(ring, 16, 50);
        Assert.IsTrue(full >= 990, $"full period {full}");
        Assert.IsTrue(half < 50, $"half period {half}");
    }

    [TestMethod]
    public void NoiseDoesNotRepeat()
    {
        var ring = new IntRing(250);
        var rng = new Random(7);
        for (int i = 0; i < 200; i++) ring.Add(rng.Next(-1000, 1000));
        int rho = PulsePeriodicity.CorrelationPermille(ring, 10, 50);
        Assert.IsTrue(rho < 400 && rho > -400, $"noise {rho}");
    }

    [TestMethod]
    public void LargeSamplesDoNotOverflow()
    {
        var ring = Pulses(12, 200, 2_000_000_000 / 2);
        Assert.IsTrue(PulsePeriodicity.CorrelationPermille(ring, 12, 50) >= 990);
    }

    [TestMethod]
    public void TooFewSamplesOrAFlatWindowIsUnknown()
    {
        Assert.AreEqual(PulsePeriodicity.Unknown, PulsePeriodicity.CorrelationPermille(Pulses(10, 60, 1000), 10, 50));
        var flat = new IntRing(250);
        for (int i = 0; i < 100; i++) flat.Add(0);
        Assert.AreEqual(PulsePeriodicity.Unknown, PulsePeriodicity.CorrelationPermille(flat, 10, 50));
        Assert.AreEqual(PulsePeriodicity.Unknown, PulsePeriodicity.CorrelationPermille(Pulses(10, 200, 1000), 1, 50));
    }
}
