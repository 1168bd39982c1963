using Micro.HeartRate.Rate;
using Micro.HeartRate.Signal;
using Micro.Tooling.Recordings;

namespace Micro.HeartRate.Tests;

/// <summary>
/// The spectral tracker computes a block's accelerometer sums when the block completes if told the wearer
/// moves, at the update otherwise. Where the work happens must never change a result.
/// </summary>
[TestClass]
public sealed class SpectralTrackerTests
{
    [TestMethod]
    public void AccelerometerSpectrumWorkedOnAheadGivesTheSameTrackAsComputedAtOnce()
    {
        // A TROIKA recording (wrist PPG while running, with its accelerometer) at the internal rate, band-passed
        // as the monitor does it. One tracker is told every sample that the wearer moves (it sums the axes'
        // spectra ahead), the other never (its updates compute them at once); both update with motion.
        var rec = TroikaDataset.Read(SharedData.Troika, "DATA_01_TYPE01").Recording;
        var resampler = new Resampler(rec.SampleRateMilliHz, 4);
        var filters = new[] { new BandPassFilter(), new BandPassFilter(), new BandPassFilter(), new BandPassFilter() };
        var ahead = new SpectralRateTracker();
        var atOnce = new SpectralRateTracker();
        int samples = 0, updates = 0, tracked = 0;
        for (int i = 0; i < rec.Length; i++)
        {
            if (!resampler.Push(rec.PpgCounts(i), rec.AccMilliG(rec.AccX, i), rec.AccMilliG(rec.AccY, i), rec.AccMilliG(rec.AccZ, i))) continue;
            int[] o = resampler.Output;
            int p = -filters[0].Process(o[0]), x = filters[1].Process(o[1]), y = filters[2].Process(o[2]), z = filters[3].Process(o[3]);
            ahead.Add(p, x, y, z, true);
            atOnce.Add(p, x, y, z, false);
            if (++samples % SpectralRateTracker.UpdateSamples != 0) continue;
            Assert.AreEqual(ahead.Update(true), atOnce.Update(true));
            if (!ahead.IsTracking) continue;
            updates++;
            Assert.AreEqual(atOnce.RateBpm, ahead.RateBpm, $"rate at sample {samples}");
            Assert.AreEqual(atOnce.ConfidencePermille, ahead.ConfidencePermille, $"confidence at sample {samples}");
            Assert.AreEqual(atOnce.PeakSharePermille, ahead.PeakSharePermille, $"peak share at sample {samples}");
            if (ahead.RateBpm >= 60 && ahead.RateBpm <= 200) tracked++;
        }
        Assert.IsTrue(updates > 100, "updates " + updates);
        // Running and walking: a pulse rate from the motion-cancelled spectrum nearly always.
        Assert.IsTrue(tracked > updates * 9 / 10, $"{tracked} of {updates} updates at 60..200 bpm");
    }

    [TestMethod]
    [DataRow(47)]
    [DataRow(97)]
    [DataRow(143)]
    [DataRow(187)]
    public void PulseBetweenTheDftRatesIsFoundToOneBpm(int bpm)
    {
        // A clean pulse at a rate that is neither a DFT rate (every 3.75 bpm from 30) nor a belief bin (every 2 bpm):
        // the cubic interpolation and the parabola through the belief's peak must place it within 1 bpm.
        var tracker = new SpectralRateTracker();
        int updates = 0;
        for (int n = 1; n <= 20 * InternalRate.Hz; n++)
        {
            // 1000 · cos(2π · bpm/60 · n/25): the table period is 1500 samples for 1 bpm.
            tracker.Add(FixedTrig.CosQ14((long)bpm * n, 1500) * 1000 / 16384, 0, 0, 0);
            if (n % SpectralRateTracker.UpdateSamples == 0 && tracker.Update(false)) updates++;
        }
        Assert.AreEqual(7, updates); // at 8, 10, … 20 s
        Assert.IsTrue(System.Math.Abs(tracker.RateBpm - bpm) <= 1, $"{tracker.RateBpm} bpm for {bpm}");
        Assert.IsTrue(tracker.ConfidencePermille > 500, "confidence " + tracker.ConfidencePermille);
    }
}
