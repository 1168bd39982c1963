using Micro.HeartRate.Alarms;
using Micro.HeartRate.Beats;
using Micro.HeartRate.Signal;
using Micro.Tooling.Recordings;

namespace Micro.HeartRate.Tests;

[TestClass]
public sealed class PulseChangeTests
{
    private const int SamplesPerMs = 40; // internal sample = 40 ms

    // Beats every intervalMs of the given upstroke size from startMs to endMs; returns the last beat's sample.
    private static long Beats(PulseChangeDetector d, int fromMs, int toMs, int intervalMs, int peak)
    {
        long last = 0;
        for (int t = fromMs; t < toMs; t += intervalMs)
        {
            last = t / SamplesPerMs;
            d.AddBeat(peak, intervalMs, last);
        }
        return last;
    }

    [TestMethod]
    public void SmallerFasterPulsesAfterNormalOnesCollapse()
    {
        var d = new PulseChangeDetector(3000, 8000);
        Beats(d, 0, 10000, 800, 1000);
        Beats(d, 10000, 13000, 450, 500);
        d.Evaluate(13000 / SamplesPerMs);
        Assert.AreEqual(500, d.SizeRatioPermille);
        Assert.AreEqual(562, d.IntervalRatioPermille, "450 / 800");
        Assert.IsTrue(d.Collapsed(750, 750));
    }

    [TestMethod]
    public void FasterAloneOrSmallerAloneIsNoCollapse()
    {
        var faster = new PulseChangeDetector(3000, 8000);
        Beats(faster, 0, 10000, 800, 1000);
        Beats(faster, 10000, 13000, 450, 950);
        faster.Evaluate(13000 / SamplesPerMs);
        Assert.IsFalse(faster.Collapsed(750, 750), "a sinus speed-up keeps its pulse size");

        var smaller = new PulseChangeDetector(3000, 8000);
        Beats(smaller, 0, 10000, 800, 1000);
        Beats(smaller, 10000, 13000, 800, 400);
        smaller.Evaluate(13000 / SamplesPerMs);
        Assert.IsFalse(smaller.Collapsed(750, 750), "a weaker pulse at the same rate (perfusion, contact)");
    }

    [TestMethod]
    public void TooFewBeatsOrAResetSayNothing()
    {
        var d = new PulseChangeDetector(3000, 8000);
        Beats(d, 0, 10000, 800, 1000);
        Beats(d, 10000, 13000, 1600, 300);   // two beats in the last 3 s
        d.Evaluate(13000 / SamplesPerMs);
        Assert.AreEqual(1000, d.SizeRatioPermille);
        Assert.IsFalse(d.Collapsed(750, 750));
        d.Reset();
        Beats(d, 10000, 13000, 450, 500);
        d.Evaluate(13000 / SamplesPerMs);
        Assert.AreEqual(1000, d.IntervalRatioPermille, "no baseline after a reset");
    }

    [TestMethod]
    public void VentricularTachycardiaRecordsWhosePulseCollapsesRaiseTachycardia()
    {
        // v206s and v573l: true VT alarms; in the PPG the pulse shrinks and speeds up (counted rate < 140).
        foreach (string id in new[] { "v206s", "v573l" })
        {
            var alarm = CincDataset.ReadLabels(SharedData.Cinc).Single(a => a.RecordId == id);
            var rec = CincDataset.ReadRecording(SharedData.Cinc, alarm);
            var m = new HeartRateMonitor(ChainHarness.SettingsFor(rec));
            bool collapse = false, tachy = false;
            for (int i = 0; i < rec.Length; i++)
            {
                if (!ChainHarness.Feed(m, rec, i)) continue;
                collapse |= m.Result.PulseCollapse;
                tachy |= m.Policy.IsActive(AlarmKind.Tachycardia);
            }
            Assert.IsTrue(collapse, $"{id} pulse collapse");
            Assert.IsTrue(tachy, $"{id} tachycardia");

            var off = ChainHarness.SettingsFor(rec);
            off.PulseCollapseIntervalPermille = 0;
            off.SmallRunBeats = 0;
            off.JumpBeats = 0;
            var steps = ChainHarness.Run(rec, off);
            Assert.AreEqual(0, ChainHarness.RaisedMask(steps) & AlarmKinds.Bit(AlarmKind.Tachycardia), $"{id}: the rate rules alone miss it");
        }
    }

    [TestMethod]
    public void PulseChangeRulesFindMoreTrueThanFalseAlarmsOnCinc()
    {
        // Collapse, small-run and rate-jump rules together against none.
        var off = new HeartRateSettings { PulseCollapseIntervalPermille = 0, SmallRunBeats = 0, JumpBeats = 0 };
        var without = CincEvaluation.Evaluate(SharedData.Cinc, off);
        var with = CincEvaluation.Evaluate(SharedData.Cinc);
        int gained = with.Detected - without.Detected;
        int cost = without.Suppressed - with.Suppressed;
        TestContext.WriteLine($"pulse-change rules: +{gained} true alarms detected, {cost} more false alarms raised");
        Assert.IsTrue(gained >= 18, $"gained {gained}");
        Assert.IsTrue(cost < gained, $"cost {cost} for {gained}");
    }

    [TestMethod]
    public void SmallRunRuleCatchesShortVentricularTachycardiaWithoutFalseAlarmsOnCinc()
    {
        // The small-run rule on its own (collapse rule on in both): true alarms whose last seconds show small fast
        // pulses, for at most two false alarms on the 296 false ones (a746s, whose beat-rate tachycardia the
        // periodicity check now removes; v687l, which looked like v728s, no longer: its run ends too soon).
        var off = new HeartRateSettings { SmallRunBeats = 0 };
        var without = CincEvaluation.Evaluate(SharedData.Cinc, off);
        var with = CincEvaluation.Evaluate(SharedData.Cinc);
        var caught = with.Outcomes.Zip(without.Outcomes).Where(p => p.First.Alarm.TrueAlarm && p.First.Detected && !p.Second.Detected)
            .Select(p => p.First.Alarm.RecordId).ToList();
        int cost = without.Suppressed - with.Suppressed;
        var newlyFalse = with.Outcomes.Zip(without.Outcomes).Where(p => !p.First.Alarm.TrueAlarm && !p.First.Suppressed && p.Second.Suppressed)
            .Select(p => p.First.Alarm.RecordId).ToList();
        TestContext.WriteLine($"small-run rule: caught {string.Join(" ", caught)}; {cost} more false alarms raised ({string.Join(" ", newlyFalse)})");
        foreach (string id in new[] { "v309l", "v369l", "v769l" }) CollectionAssert.Contains(caught, id);
        foreach (string id in new[] { "v158s", "v728s" }) CollectionAssert.Contains(caught, id);
        Assert.IsTrue(caught.Count >= 9, $"caught {caught.Count}");
        Assert.IsTrue(cost <= 2, $"cost {cost}");
    }

    [TestMethod]
    public void SmallFastRunNeedsSmallEarlyRegularUpstrokesAfterASteadyRhythm()
    {
        // Baseline: beats every 800 ms of peak 1000 for 8 s; then upstrokes every 400 ms.
        PulseChangeDetector Run(int runPeak, int runInterval, int baselineJitterMs)
        {
            var d = new PulseChangeDetector(3000, 8000);
            long last = 0;
            int k = 0;
            for (int t = 1000; t <= 13000; t += 800)
            {
                int jitter = (k++ % 2 == 1) ? baselineJitterMs : 0;
                long s = (t + jitter) / InternalRate.MsPerSample;
                d.AddBeat(1000, last == 0 ? 0 : (int)((s - last) * InternalRate.MsPerSample), s);
                d.AddUpstroke(1000, s);
                last = s;
            }
            for (int t = 13000 + runInterval; t <= 16000; t += runInterval) d.AddUpstroke(runPeak, t / InternalRate.MsPerSample);
            d.Evaluate(16000 / InternalRate.MsPerSample);
            return d;
        }
        const long now = 16000 / InternalRate.MsPerSample;
        Assert.IsTrue(Run(500, 400, 0).SmallFastRun(now, 3, 700, 850, 200, 1600, 1300, 0, 0), "small fast run");
        Assert.IsFalse(Run(800, 400, 0).SmallFastRun(now, 3, 700, 850, 200, 1600, 1300, 0, 0), "not small");
        Assert.IsFalse(Run(500, 760, 0).SmallFastRun(now, 3, 700, 850, 200, 1600, 1300, 0, 0), "not early");
        Assert.IsFalse(Run(100, 400, 0).SmallFastRun(now, 3, 700, 850, 200, 1600, 1300, 0, 0), "ripples under the floor");
        Assert.IsFalse(Run(500, 400, 300).SmallFastRun(now, 3, 700, 850, 200, 1600, 1300, 0, 0), "unsteady rhythm before");
        Assert.IsFalse(Run(500, 400, 0).SmallFastRun(now, 0, 700, 850, 200, 1600, 1300, 0, 0), "disabled");
    }


    /// <summary>A detector fed beats every 800 ms of peak 1000 from 1 to 13 s (each also an upstroke).</summary>
    private static PulseChangeDetector SteadyBaseline()
    {
        var d = new PulseChangeDetector(3000, 8000);
        long last = 0;
        for (int t = 1000; t <= 13000; t += 800)
        {
            long s = t / InternalRate.MsPerSample;
            d.AddBeat(1000, last == 0 ? 0 : (int)((s - last) * InternalRate.MsPerSample), s);
            d.AddUpstroke(1000, s);
            last = s;
        }
        return d;
    }

    // Baseline: beats every 800 ms of peak 1000 from 1 to 13 s; a run of three upstrokes of 500 every 400 ms
    // (13.4..14.2 s), then full upstrokes of 1000 at the given ms after the run's last; evaluated at 16 s.
    private static PulseChangeDetector RunOfThreeThen(params int[] msAfterRun)
    {
        var d = SteadyBaseline();
        for (int t = 13400; t <= 14200; t += 400) d.AddUpstroke(500, t / InternalRate.MsPerSample);
        foreach (int ms in msAfterRun) d.AddUpstroke(1000, (14200 + ms) / InternalRate.MsPerSample);
        d.Evaluate(16000 / InternalRate.MsPerSample);
        return d;
    }

    [TestMethod]
    public void SmallFastRunThatEndedWithNormalBeatsCountsUpToEndedBeats()
    {
        // `after` normal upstrokes every 600 ms after the run: the run ended before the step.
        PulseChangeDetector Run(int after) => RunOfThreeThen(Enumerable.Range(1, after).Select(k => 600 * k).ToArray());
        const long now = 16000 / InternalRate.MsPerSample;
        Assert.IsTrue(Run(0).SmallFastRun(now, 3, 700, 850, 200, 1600, 1300, 0, 0), "the run is the newest");
        Assert.IsFalse(Run(1).SmallFastRun(now, 3, 700, 850, 200, 1600, 1300, 0, 0), "ended: not the newest");
        Assert.IsTrue(Run(1).SmallFastRun(now, 3, 700, 850, 200, 1600, 1300, 1, 0), "one normal beat after it");
        Assert.IsTrue(Run(2).SmallFastRun(now, 3, 700, 850, 200, 1600, 1300, 2, 0), "two normal beats after it");
        Assert.IsFalse(Run(2).SmallFastRun(now, 3, 700, 850, 200, 1600, 1300, 1, 0), "more normal beats after it than allowed");
        Assert.IsFalse(Run(2).SmallFastRun(now, 4, 700, 850, 200, 1600, 1300, 2, 0), "a run of three is no run of four");
    }

    [TestMethod]
    public void AnEndedRunNeedsItsEndingUpstrokeNoSoonerThanItsOwnCycle()
    {
        // One full upstroke `gap` ms after the run's last.
        PulseChangeDetector Run(int gap) => RunOfThreeThen(gap);
        const long now = 16000 / InternalRate.MsPerSample;
        Assert.IsTrue(Run(600).SmallFastRun(now, 3, 700, 850, 200, 1600, 1300, 1, 1000), "the next beat a full cycle later ends the run");
        Assert.IsTrue(Run(400).SmallFastRun(now, 3, 700, 850, 200, 1600, 1300, 1, 1000), "exactly the run's cycle");
        Assert.IsFalse(Run(280).SmallFastRun(now, 3, 700, 850, 200, 1600, 1300, 1, 1000), "an upstroke sooner than the run's cycle is no beat");
        Assert.IsTrue(Run(280).SmallFastRun(now, 3, 700, 850, 200, 1600, 1300, 1, 0), "0: any gap");
    }

    [TestMethod]
    public void AnEndedRunWhoseEndIsTooSoonRaisesNoTachycardiaOnCinc()
    {
        // v687l: a false VT alarm. Three small upstrokes 320 and 440 ms apart after a steady rhythm, then a full
        // upstroke 280 ms later: sooner than the run's own cycle, so it is the pulse's main upstroke after a
        // notch, not a beat that ended a VT. v728s (true, visible) ends 560 ms after a 360–400 ms run and stays.
        int tachy = AlarmKinds.Bit(AlarmKind.Tachycardia);
        Assert.AreEqual(0, CincRecords.Raised("v687l") & tachy, "v687l: no tachycardia");
        Assert.AreNotEqual(0, CincRecords.Raised("v687l", new HeartRateSettings { SmallRunEndedGapPermille = 0 }) & tachy, "v687l: any gap raises it");
        Assert.AreNotEqual(0, CincRecords.Raised("v728s", new HeartRateSettings { JumpBeats = 0 }) & tachy, "v728s: tachycardia");
    }

    [TestMethod]
    public void SmallRunsThatEndedBeforeTheStepRaiseTachycardiaOnCinc()
    {
        // v728s and v815l: true VT alarms, visible in the PPG (ECG label); three small early pulses, then a
        // normal beat before the step that would have seen them as the newest upstrokes (v815l's pulses also
        // make a rate jump: that rule is off here).
        foreach (string id in new[] { "v728s", "v815l" })
        {
            var rulesOn = new HeartRateSettings { JumpBeats = 0 };
            Assert.AreNotEqual(0, CincRecords.Raised(id, rulesOn) & AlarmKinds.Bit(AlarmKind.Tachycardia), $"{id}: tachycardia");
            var off = new HeartRateSettings { SmallRunEndedBeats = 0, JumpBeats = 0 };
            Assert.AreEqual(0, CincRecords.Raised(id, off) & AlarmKinds.Bit(AlarmKind.Tachycardia), $"{id}: only the newest run misses it");
        }
    }


    [TestMethod]
    public void ALongerSmallFastRunNeedsNoSteadyRhythmBefore()
    {
        // Bigeminy before (beats alternately 500 and 1100 ms apart), then `run` upstrokes of 400 every 300 ms.
        PulseChangeDetector Run(int run)
        {
            var d = new PulseChangeDetector(3000, 8000);
            long last = 0;
            int t = 1000;
            for (int k = 0; t <= 13000; k++)
            {
                long s = t / InternalRate.MsPerSample;
                d.AddBeat(1000, last == 0 ? 0 : (int)((s - last) * InternalRate.MsPerSample), s);
                d.AddUpstroke(1000, s);
                last = s;
                t += k % 2 == 0 ? 500 : 1100;
            }
            for (int k = 1; k <= run; k++) d.AddUpstroke(400, (15900 - 300 * (run - k)) / InternalRate.MsPerSample);
            d.Evaluate(16000 / InternalRate.MsPerSample);
            return d;
        }
        const long now = 16000 / InternalRate.MsPerSample;
        Assert.IsFalse(Run(4).SmallFastRun(now, 3, 700, 850, 200, 1600, 1300, 2, 0), "a steady rhythm before is asked for");
        Assert.IsTrue(Run(4).SmallFastRun(now, 4, 700, 850, 200, 1600, 0, 2, 0), "four small fast pulses after any rhythm");
        Assert.IsFalse(Run(3).SmallFastRun(now, 4, 700, 850, 200, 1600, 0, 2, 0), "three are not four");
    }

    [TestMethod]
    public void ALongSmallRunAfterBigeminyRaisesTachycardiaOnCinc()
    {
        // v158s: true VT alarm, visible in the PPG (ECG label); bigeminy before, then five small fast pulses.
        Assert.AreNotEqual(0, CincRecords.Raised("v158s") & AlarmKinds.Bit(AlarmKind.Tachycardia), "tachycardia");
        var off = new HeartRateSettings { SmallRunAnyRhythmBeats = 0 };
        Assert.AreEqual(0, CincRecords.Raised("v158s", off) & AlarmKinds.Bit(AlarmKind.Tachycardia), "the steady-rhythm run alone misses it");
    }


    [TestMethod]
    public void ARegularRateThatJumpsFromOneBeatToTheNextIsARateJump()
    {
        // Beats every 760 ms (79 bpm, peak 1000) to 12.2 s, then every `jump` ms with peak `peak` (any rhythm
        // before: one ectopic pair at 5 s).
        PulseChangeDetector Run(int jump, int peak, int jitter)
        {
            var d = new PulseChangeDetector(3000, 8000);
            long last = 0;
            int t = 1000;
            for (int k = 0; t <= 12200; k++)
            {
                long s = t / InternalRate.MsPerSample;
                d.AddBeat(1000, last == 0 ? 0 : (int)((s - last) * InternalRate.MsPerSample), s);
                last = s;
                t += k == 5 ? 500 : k == 6 ? 1020 : 760;
            }
            for (int k = 0; t <= 16000; k++, t += jump + (k % 2 == 0 ? jitter : 0))
            {
                long s = t / InternalRate.MsPerSample;
                d.AddBeat(peak, (int)((s - last) * InternalRate.MsPerSample), s);
                last = s;
            }
            d.Evaluate(16000 / InternalRate.MsPerSample);
            return d;
        }
        const long now = 16000 / InternalRate.MsPerSample;
        Assert.IsTrue(Run(580, 850, 0).RateJump(now, 4, 850, 1150, 100, 1000, 0), "79 -> 103 bpm from one beat to the next");
        Assert.IsFalse(Run(680, 850, 0).RateJump(now, 4, 850, 1150, 100, 1000, 0), "not early enough (895 permille)");
        Assert.IsFalse(Run(500, 1200, 0).RateJump(now, 4, 850, 1150, 100, 1000, 0), "a bigger pulse (an arousal's sinus speed-up)");
        Assert.IsFalse(Run(480, 850, 160).RateJump(now, 4, 850, 1150, 100, 1000, 0), "irregular (480 / 640 ms)");
        Assert.IsFalse(Run(580, 850, 0).RateJump(now, 4, 850, 1150, 110, 1000, 0), "under the rate asked for");
        Assert.IsFalse(Run(580, 850, 0).RateJump(now, 0, 850, 1150, 100, 1000, 0), "disabled");
        Assert.IsFalse(Run(580, 850, 0).RateJump(now, 4, 850, 1150, 100, 1000, 1000), "not a new rate: the ectopic pair before came 500 ms apart");
        Assert.IsTrue(Run(480, 850, 0).RateJump(now, 4, 850, 1150, 100, 1000, 1000), "a new rate: 480 ms, faster than anything before");
    }

    [TestMethod]
    public void ASuddenRegularRateJumpRaisesTachycardiaOnCinc()
    {
        // v597l: true VT alarm at 102 bpm, visible in the PPG (ECG label): from 77-80 bpm to 99-108 bpm from
        // one beat to the next, pulses at 70-90 %: neither small enough to collapse nor to make a small run.
        Assert.AreNotEqual(0, CincRecords.Raised("v597l") & AlarmKinds.Bit(AlarmKind.Tachycardia), "tachycardia");
        var off = new HeartRateSettings { JumpBeats = 0 };
        Assert.AreEqual(0, CincRecords.Raised("v597l", off) & AlarmKinds.Bit(AlarmKind.Tachycardia), "without the jump rule");
    }


    [TestMethod]
    public void AnIrregularRhythmThatAlreadyBeatAsFastIsNoRateJumpOnCinc()
    {
        // v177l: a false VT alarm. Beats 490–870 ms apart (irregular, 86 bpm), then four at 480–547 ms (111 bpm):
        // the rhythm before had already beaten that fast, so the rate fluctuates rather than starts. v597l (true,
        // visible: 642–1112 ms before, then 555–615 ms) is a new rate and keeps its tachycardia.
        int tachy = AlarmKinds.Bit(AlarmKind.Tachycardia);
        Assert.AreEqual(0, CincRecords.Raised("v177l") & tachy, "v177l: no tachycardia");
        Assert.AreNotEqual(0, CincRecords.Raised("v177l", new HeartRateSettings { JumpNewRatePermille = 0 }) & tachy,
            "v177l: without the new-rate check the jump raises it");
        Assert.AreNotEqual(0, CincRecords.Raised("v597l") & tachy, "v597l: tachycardia");
    }

    public TestContext TestContext { get; set; } = null!;
}

[TestClass]
public sealed class PulseLossTests
{
    // 72 bpm pulse of 8000 counts at 100 Hz, then (from lossAt) sensor noise of ±60 counts: the line still
    // moves (not flat), the pulse is gone. Returns the seconds after the loss at which NoPulse was raised.
    private static double NoPulseDelay(HeartRateSettings s, int lossAt)
    {
        var m = new HeartRateMonitor(s);
        var rng = new Random(7);
        for (int i = 0; i < lossAt + 15 * 100; i++)
        {
            int v;
            if (i < lossAt)
            {
                double phase = (i / 100.0 * 1.2) % 1.0;
                double p = phase < 0.15 ? phase / 0.15 : Math.Exp(-(phase - 0.15) * 4);
                v = 100000 + (int)(8000 * p);
            }
            else v = 100000 + rng.Next(-60, 61);
            if (m.AddSample(v) && m.Policy.IsActive(AlarmKind.NoPulse)) return (i - lossAt) / 100.0;
        }
        return double.PositiveInfinity;
    }

    [TestMethod]
    public void LostPulsatilityIsNoPulseWithinAboutFourSeconds()
    {
        var s = new HeartRateSettings { SampleRateMilliHz = 100000, FlatToleranceCounts = 20 };
        double fast = NoPulseDelay(s, 20 * 100);
        var old = new HeartRateSettings { SampleRateMilliHz = 100000, FlatToleranceCounts = 20, PulseLossMs = 0 };
        double slow = NoPulseDelay(old, 20 * 100);
        TestContext.WriteLine($"no pulse raised {fast} s after the pulse vanished ({slow} s with the pause rule alone)");
        Assert.IsTrue(fast <= 4.5, $"raised {fast} s after the pulse vanished");
        Assert.IsTrue(fast < slow, $"sooner than the {old.NoPulseMs} ms pause rule ({slow} s)");
    }

    public TestContext TestContext { get; set; } = null!;
}
