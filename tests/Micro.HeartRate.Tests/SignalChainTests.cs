using Micro.HeartRate.Signal;

namespace Micro.HeartRate.Tests;

[TestClass]
public sealed class SignalChainTests
{
    [TestMethod]
    public void IntMathSqrtMatchesFloorSqrt()
    {
        foreach (long x in new long[] { 0, 1, 2, 3, 4, 15, 16, 17, 99, 100, 1L << 31, (1L << 40) + 12345, (1L << 62) - 1, 1L << 61 })
        {
            long r = IntMath.Sqrt(x);
            Assert.IsTrue(r * r <= x && (r + 1) * (r + 1) > x, $"sqrt({x}) = {r}");
        }
    }

    [TestMethod]
    public void MedianOfOddAndEvenCounts()
    {
        Assert.AreEqual(3, IntMath.MedianInPlace(new[] { 5, 1, 3 }, 3));
        Assert.AreEqual(25, IntMath.MedianInPlace(new[] { 40, 10, 20, 30 }, 4));
    }

    [TestMethod]
    public void CosineTableIsAccurateToOneLsb()
    {
        for (int i = 0; i < 1500; i += 7)
        {
            int expected = (int)Math.Round(Math.Cos(2 * Math.PI * i / 1500) * 16384);
            Assert.IsTrue(Math.Abs(FixedTrig.CosQ14(i, 1500) - expected) <= 1, $"cos at {i}/1500");
        }
    }

    [TestMethod]
    public void ResamplerKeepsRateAndLevel()
    {
        var r = new Resampler(62500, 1);
        int outputs = 0;
        for (int i = 0; i < 625; i++) // 10 s at 62.5 Hz
        {
            if (r.Push(1000, 0, 0, 0))
            {
                outputs++;
                Assert.AreEqual(1000 * Resampler.OutputGain, r.Output[0]);
            }
        }
        Assert.AreEqual(250, outputs, "10 s at 25 Hz");
    }

    [TestMethod]
    public void ResamplerPreservesAPulseRateSine()
    {
        // 1.5 Hz sine sampled at 125 Hz, amplitude 10000: after resampling to 25 Hz it must still be a
        // 1.5 Hz sine of nearly the same amplitude, in phase with the input at the output instants.
        var r = new Resampler(125000, 1);
        double worst = 0;
        int k = 0;
        for (int i = 0; i < 1250; i++)
        {
            int x = (int)Math.Round(10000 * Math.Sin(2 * Math.PI * 1.5 * i / 125.0));
            if (!r.Push(x, 0, 0, 0)) continue;
            double t = k / 25.0;
            // The boxcar of 5 delays by 2 input samples and scales by sinc(1.5/25).
            double expected = 10000 * 0.9941 * Math.Sin(2 * Math.PI * 1.5 * (t - 2 / 125.0)) * Resampler.OutputGain;
            if (k > 2) worst = Math.Max(worst, Math.Abs(r.Output[0] - expected));
            k++;
        }
        Assert.IsTrue(worst < 0.01 * 10000 * Resampler.OutputGain, $"worst deviation {worst}");
    }

    [TestMethod]
    public void BandPassRemovesDcAndKeepsPulseBand()
    {
        Assert.IsTrue(Gain(1.5) > 0.95 && Gain(1.5) < 1.05, $"1.5 Hz gain {Gain(1.5):F3}");
        Assert.IsTrue(Gain(0.05) < 0.02, $"0.05 Hz gain {Gain(0.05):F3}");
        Assert.IsTrue(Gain(10) < 0.1, $"10 Hz gain {Gain(10):F3}");
        var f = new BandPassFilter();
        int last = 0;
        for (int i = 0; i < 500; i++) last = f.Process(50000);
        Assert.AreEqual(0, last, "a constant input (DC) leaves nothing, from the first sample on");
    }

    private static double Gain(double hz)
    {
        var f = new BandPassFilter();
        double peak = 0;
        for (int i = 0; i < 2000; i++)
        {
            int y = f.Process(100000 + (int)Math.Round(10000 * Math.Sin(2 * Math.PI * hz * i / 25.0)));
            if (i > 1000) peak = Math.Max(peak, Math.Abs(y));
        }
        return peak / 10000;
    }

    [TestMethod]
    public void CopyWindowNormalizesToInt8Range()
    {
        var m = new HeartRateMonitor(new HeartRateSettings());
        var window = new sbyte[HeartRateMonitor.MaxWindowSamples];
        Assert.IsFalse(m.CopyWindow(window, 250), "no window before 10 s of signal");
        for (int i = 0; i < 400; i++) m.AddSample((int)(20000 * Math.Sin(2 * Math.PI * 1.2 * i / 25.0)));
        Assert.IsTrue(m.CopyWindow(window, 250));
        Assert.AreEqual(-128, window.Min());
        Assert.AreEqual(127, window.Max());
    }
}
