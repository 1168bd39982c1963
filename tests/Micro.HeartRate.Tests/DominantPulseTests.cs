using Micro.HeartRate.Beats;

namespace Micro.HeartRate.Tests;

/// <summary>DominantPulseRate (echoes of a slow pulse left out of its rate) and MedianSelect on made-up beats.</summary>
[TestClass]
public sealed class DominantPulseTests
{
    private const int MsPerSample = 40;

    // Pulses every periodMs of size peak from 0 to endMs, each followed by an echo echoDelayMs later of size
    // echoPeak (none when echoPeak is 0); returns the sample of the last beat.
    private static long Pulses(DominantPulseRate d, int endMs, int periodMs, int peak, int echoDelayMs, int echoPeak)
    {
        long last = 0;
        for (int t = 0; t < endMs; t += periodMs)
        {
            last = t / MsPerSample;
            d.AddBeat(peak, last);
            if (echoPeak > 0 && t + echoDelayMs < endMs)
            {
                last = (t + echoDelayMs) / MsPerSample;
                d.AddBeat(echoPeak, last);
            }
        }
        return last;
    }

    [TestMethod]
    public void EchoesOfASlowPulseAreLeftOut()
    {
        // 30 bpm with an echo at 0.8 s of 30 % of the pulse: the beat detector sees 60 "beats" a minute.
        var d = new DominantPulseRate(40, 1200, 3, 50);
        long last = Pulses(d, 12801, 2000, 1000, 800, 300);
        Assert.AreEqual(1, d.Echoes, "the last beat is the echo of the pulse at 12 s");
        Assert.AreEqual(2000, d.MeanIntervalMs(last + 5), "mean of the dominant pulses' intervals");
    }

    [TestMethod]
    public void APauseInProgressCountsOnlyWithoutABeatSinceThePulse()
    {
        var d = new DominantPulseRate(40, 1200, 3, 50);
        long last = Pulses(d, 8001, 1000, 1000, 0, 0);   // 60 bpm, pulses at 0..8 s
        Assert.AreEqual(1000, d.MeanIntervalMs(last));
        long now = last + 4000 / MsPerSample;             // 4 s without a beat
        Assert.AreEqual((1000 + 1000 + 4000) / 3, d.MeanIntervalMs(now), "(now − pulse at 6 s) / 3");
        d.AddBeat(200, last + 500 / MsPerSample);         // an echo 0.5 s after the last pulse
        Assert.AreEqual(1000, d.MeanIntervalMs(now), "after an echo only completed intervals count");
    }

    [TestMethod]
    public void WeakBeatsFarFromThePulseAndRunsOfSmallBeatsAreTheRhythm()
    {
        // A small beat 1.5 s after the pulse (beyond 1.2 s) is a weak pulse, not an echo.
        var late = new DominantPulseRate(40, 1200, 3, 50);
        long last = Pulses(late, 12001, 3000, 1000, 1500, 300);
        Assert.AreEqual(0, late.Echoes);
        Assert.AreEqual(0, late.MeanIntervalMs(last), "1000 / 300 / 1000 / 300 upstrokes are not one rhythm");

        // Three small fast beats after a pulse (a pulse collapsing into ventricular tachycardia): the third is
        // a pulse of its own, so the small beats set the rate.
        var collapse = new DominantPulseRate(40, 1200, 3, 50);
        collapse.AddBeat(1000, 0);
        long s = 0;
        for (int i = 1; i <= 6; i++)
        {
            collapse.AddBeat(250, s = i * 360 / MsPerSample);
            if (i <= 2) Assert.AreEqual(i, collapse.Echoes, "the first two small beats are echoes");
        }
        Assert.AreEqual(0, collapse.Echoes);
        Assert.AreEqual(360, collapse.MeanIntervalMs(s), "the small beats at 360 ms are the rhythm");
    }

    [TestMethod]
    public void InconsistentPulsesOrTooFewOrDisabledGiveNoJudgement()
    {
        var noisy = new DominantPulseRate(40, 1200, 3, 50);
        noisy.AddBeat(1000, 0);
        noisy.AddBeat(450, 50);
        noisy.AddBeat(1000, 100);
        noisy.AddBeat(1000, 150);
        Assert.AreEqual(0, noisy.MeanIntervalMs(150), "450 is under half of 1000");
        noisy.AddBeat(1000, 200);
        Assert.AreEqual(0, noisy.MeanIntervalMs(200), "the four pulses of the last three intervals hold the 450");
        noisy.AddBeat(1000, 250);
        Assert.AreEqual(2000, noisy.MeanIntervalMs(250), "the last four pulses agree");

        var few = new DominantPulseRate(40, 1200, 3, 50);
        Pulses(few, 4001, 2000, 1000, 0, 0);
        Assert.AreEqual(0, few.MeanIntervalMs(100), "three pulses give two intervals, three are asked for");

        var off = new DominantPulseRate(0, 1200, 3, 50);
        long last = Pulses(off, 20001, 2000, 1000, 0, 0);
        Assert.AreEqual(0, off.MeanIntervalMs(last));
        off.Reset();
        Assert.AreEqual(0, off.Count);
    }

    [TestMethod]
    public void MedianSelectGivesTheSortedMedian()
    {
        var random = new Random(12);
        for (int trial = 0; trial < 2000; trial++)
        {
            int n = 1 + random.Next(40);
            int spread = trial % 3 == 0 ? 3 : 2000;   // many equal values, or spread ones
            var a = new int[n];
            for (int i = 0; i < n; i++) a[i] = 600 + random.Next(spread);
            var sorted = (int[])a.Clone();
            int expected = IntMath.MedianInPlace(sorted, n);
            Assert.AreEqual(expected, MedianSelect.Median(a, n), $"n {n}, trial {trial}");
        }
    }
}
