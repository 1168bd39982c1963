using Micro.HeartRate.Rate;
using Micro.HeartRate.Signal;

namespace Micro.HeartRate.Tests;

/// <summary>
/// The spectral tracker's path choice on synthetic signals whose truth is known: it re-acquires a rate that
/// changed suddenly, it does not take the motion's second harmonic for the pulse, the clean hypothesis keeps the
/// arm's residue from taking the track and re-acquires a clean pulse at once, and its confidence gate holds and
/// then withholds a rate it is unsure of.
/// </summary>
[TestClass]
public sealed class TrackerBehaviourTests
{
    // 1000 · cos(2π · bpm/60 · n/25): the table period is 1500 samples for 1 bpm.
    private static int Wave(int bpm, int n, int amplitude) => FixedTrig.CosQ14((long)bpm * n, 1500) * amplitude / 16384;

    private static int Noise(ref uint state, int amplitude)
    {
        state = state * 1664525u + 1013904223u;
        return (int)(state >> 16) % (2 * amplitude + 1) - amplitude;
    }

    [TestMethod]
    [DataRow(992, 50)]
    [DataRow(950, 30)]
    public void SuddenRateChangeIsTaken(int leakPermille, int withinSeconds)
    {
        // 60 s at 80 bpm (a long-held path), then 150 bpm, with noise, while "moving" (the motion settings: the
        // tightest rate-change limit). No heart jumps so (the reference moves ≤ 5 bpm per 2 s), but it bounds
        // how long a wrong path is held: the leak gives it up within ~1/(1 − λ) updates plus the switch margin.
        var tracker = new SpectralRateTracker(true, new HeartRateSettings { TrackerLeakPermille = leakPermille });
        uint seed = 1;
        int n = 0, firstRight = -1;
        for (int s = 1; s <= 120 * InternalRate.Hz; s++)
        {
            n++;
            int bpm = s <= 60 * InternalRate.Hz ? 80 : 150;
            tracker.Add(Wave(bpm, n, 1000) + Noise(ref seed, 600), 0, 0, 0, true);
            if (s % SpectralRateTracker.UpdateSamples != 0 || !tracker.Update(true, 200)) continue;
            if (s == 60 * InternalRate.Hz) Assert.IsTrue(System.Math.Abs(tracker.TrackedRateBpm - 80) <= 2, "held 80 bpm: " + tracker.TrackedRateBpm);
            if (s > 60 * InternalRate.Hz && firstRight < 0 && System.Math.Abs(tracker.TrackedRateBpm - 150) <= 2) firstRight = s / InternalRate.Hz - 60;
        }
        Assert.IsTrue(firstRight >= 0 && firstRight <= withinSeconds, $"150 bpm taken {firstRight} s after the change");
        Assert.IsTrue(System.Math.Abs(tracker.RateBpm - 150) <= 2, "final " + tracker.RateBpm);
    }

    [TestMethod]
    public void MotionSecondHarmonicIsNotTakenForThePulse()
    {
        // The wrist swings at 75 per minute: the accelerometer shows 75, the PPG shows the swing's second
        // harmonic at 150 (stronger than the pulse) and the pulse at 118. Subtracting the acceleration at
        // the same rate only leaves 150; subtracting it at its harmonics too finds the pulse.
        int With(int harmonicPercent)
        {
            var s = new HeartRateSettings { TrackerMotionHarmonicPercent = harmonicPercent };
            var tracker = new SpectralRateTracker(true, s);
            for (int n = 1; n <= 60 * InternalRate.Hz; n++)
            {
                int acc = Wave(75, n, 2000);
                tracker.Add(Wave(118, n, 600) + Wave(150, n, 1000), acc, acc / 2, 0, true);
                if (n % SpectralRateTracker.UpdateSamples == 0) tracker.Update(true, 300);
            }
            return tracker.RateBpm;
        }
        Assert.IsTrue(System.Math.Abs(With(0) - 150) <= 2, "same-rate subtraction alone: " + With(0));
        Assert.IsTrue(System.Math.Abs(With(100) - 118) <= 2, "harmonics subtracted: " + With(100));
    }

    [TestMethod]
    public void ArmPeakDoesNotTakeTheTrackFromTheCleanHypothesis()
    {
        // 30 s at rest with a pulse at 150 bpm, then 180 s of arm swing at 100 per minute, in the accelerometer and
        // in the PPG, stronger there than the pulse (power 1 against 0.25). The main evidence at 100 is 1 − α = 0.3
        // per update against 0.25 at 150, so with no switch margin the path on the arm's residue overtakes the
        // pulse; the clean hypothesis gives the arm nothing and vetoes the switch.
        int With(int cleanWeight)
        {
            var s = new HeartRateSettings { TrackerSwitchMarginPercent = 0, TrackerCleanWeightPercent = cleanWeight };
            var tracker = new SpectralRateTracker(true, s);
            uint seed = 3;
            for (int n = 1; n <= 210 * InternalRate.Hz; n++)
            {
                bool moving = n > 30 * InternalRate.Hz;
                int arm = moving ? Wave(100, n, 1000) : 0;
                tracker.Add(Wave(150, n, 500) + arm + Noise(ref seed, 100), 2 * arm, arm, 0, moving);
                if (n % SpectralRateTracker.UpdateSamples == 0) tracker.Update(moving, moving ? 300 : 5);
            }
            return tracker.RateBpm;
        }
        Assert.IsTrue(System.Math.Abs(With(0) - 100) <= 3, "without the clean hypothesis: " + With(0));
        Assert.IsTrue(System.Math.Abs(With(100) - 150) <= 2, "with it: " + With(100));
    }

    [TestMethod]
    public void CleanPeakReacquiresTheTrackAtOnce()
    {
        // 60 s in which the PPG shows only the arm's swing at 100 per minute (the track sits on its residue), then
        // the pulse appears at 150 bpm, as strong as the arm and absent from the accelerometer. The main scores
        // need some 13 updates to overtake the long-held path; re-acquisition takes the clean peak as soon as the
        // window shows it.
        int with = SecondsToTake(1, 0, 1000), without = SecondsToTake(0, 0, 1000);
        Assert.IsTrue(with <= 6, $"re-acquired after {with} s");
        Assert.IsTrue(without >= 16 && without < int.MaxValue, $"without re-acquisition after {without} s");
    }

    [TestMethod]
    public void TrackTheMotionExplainsYieldsToAWeakCleanPulse()
    {
        // The same, with a pulse a third of the arm's amplitude (a ninth of its power): too weak for re-acquisition
        // (half the strongest peak), so the residue path holds it off; the track sits where the accelerometer
        // explains everything, and the clean scores' lead moves it.
        int with = SecondsToTake(1, 1, 330), without = SecondsToTake(1, 0, 330);
        Console.WriteLine($"weak pulse found after {with} s with the motion-track rule, {without} s without");
        Assert.IsTrue(with <= 30, $"with the motion-track rule after {with} s");
        Assert.IsTrue(without > 2 * with, $"without it after {without} s");
    }

    // Seconds after the pulse appears until the track is within 2 bpm of it (int.MaxValue: not within 60 s).
    private static int SecondsToTake(int reacquireUpdates, int motionTrackUpdates, int pulseAmplitude)
    {
        var s = new HeartRateSettings { TrackerReacquireUpdates = reacquireUpdates, TrackerMotionTrackUpdates = motionTrackUpdates };
        var tracker = new SpectralRateTracker(true, s);
        uint seed = 5;
        for (int n = 1; n <= 120 * InternalRate.Hz; n++)
        {
            int arm = Wave(100, n, 1000);
            int pulse = n > 60 * InternalRate.Hz ? Wave(150, n, pulseAmplitude) : 0;
            tracker.Add(pulse + arm + Noise(ref seed, 100), 2 * arm, arm, 0, true);
            if (n % SpectralRateTracker.UpdateSamples != 0 || !tracker.Update(true, 300)) continue;
            if (n == 60 * InternalRate.Hz) Assert.IsTrue(System.Math.Abs(tracker.TrackedRateBpm - 100) <= 3, "on the arm: " + tracker.TrackedRateBpm);
            if (n > 60 * InternalRate.Hz && System.Math.Abs(tracker.TrackedRateBpm - 150) <= 2) return n / InternalRate.Hz - 60;
        }
        return int.MaxValue;
    }

    [TestMethod]
    public void UnsureRateIsHeldThenWithheld()
    {
        // A clean 90 bpm pulse for 30 s, then noise alone: the confidence falls under the gate, the last
        // confident rate is held for TrackerHoldUpdates updates, then the rate is withheld.
        var s = new HeartRateSettings { TrackerGatePermille = 300, TrackerHoldUpdates = 3 };
        var tracker = new SpectralRateTracker(false, s);
        uint seed = 7;
        int heldUpdates = 0, confidentAt90 = 0, lastConfident = 0;
        bool withheld = false;
        for (int n = 1; n <= 90 * InternalRate.Hz; n++)
        {
            int x = n <= 30 * InternalRate.Hz ? Wave(90, n, 1000) : Noise(ref seed, 1000);
            tracker.Add(x, 0, 0, 0);
            if (n % SpectralRateTracker.UpdateSamples != 0 || !tracker.Update(false)) continue;
            if (n <= 30 * InternalRate.Hz)
            {
                // (The first two updates are a warm-up: one or two windows of evidence are not yet confident.)
                if (n > 12 * InternalRate.Hz) Assert.IsFalse(tracker.IsWithheld, "clean pulse withheld at " + n);
                if (System.Math.Abs(tracker.RateBpm - 90) <= 1 && tracker.ConfidencePermille >= 300) confidentAt90++;
                if (tracker.ConfidencePermille >= 300) lastConfident = tracker.RateBpm;
                continue;
            }
            if (tracker.ConfidencePermille >= 300)
            {
                lastConfident = tracker.RateBpm;
                continue;
            }
            if (!tracker.IsWithheld)
            {
                Assert.IsFalse(withheld, "withheld, then reported again without confidence");
                Assert.AreEqual(lastConfident, tracker.RateBpm, "the held rate is the last confident one");
                heldUpdates++;
            }
            else withheld = true;
        }
        Assert.IsTrue(confidentAt90 >= 8, "confident updates at 90 bpm: " + confidentAt90);
        Assert.IsTrue(withheld, "noise alone was never withheld");
        Assert.IsTrue(heldUpdates <= 3, "held for " + heldUpdates + " updates");
    }
}
