using Micro.HeartRate.Alarms;
using Micro.HeartRate.Signal;

namespace Micro.HeartRate.Tests;

[TestClass]
public sealed class AlarmPolicyTests
{
    private static AnalysisResult Step(int bpm, SignalQuality quality = SignalQuality.Good)
    {
        var r = new AnalysisResult
        {
            RateBpm = bpm,
            RateSource = bpm > 0 ? RateSource.Beats : RateSource.None,
            RateConfidencePercent = 90,
            BeatRateBpm = bpm,
            SpectralRateBpm = bpm,
            ShortIntervalMs = bpm > 0 ? 60000 / bpm : 0,
            ShortLongestMs = bpm > 0 ? 60000 / bpm + 20 : 0,
            ShortShortestMs = bpm > 0 ? 60000 / bpm - 20 : 0,
            MsSinceBeat = bpm > 0 ? 60000 / bpm / 2 : 10000,
            Quality = quality,
            IrregularityPermille = 20,
        };
        return r;
    }

    private static List<AlarmEvent> Run(AlarmPolicy p, AnalysisResult r)
    {
        p.Update(r);
        var list = new List<AlarmEvent>();
        for (int i = 0; i < p.EventCount; i++) list.Add(p.GetEvent(i));
        return list;
    }

    [TestMethod]
    public void OneFastStepDoesNotAlarmTwoDo()
    {
        var p = new AlarmPolicy(new HeartRateSettings());
        Assert.AreEqual(0, Run(p, Step(70)).Count);
        Assert.AreEqual(0, Run(p, Step(145)).Count, "one noisy step");
        Assert.AreEqual(0, Run(p, Step(70)).Count);
        Assert.AreEqual(0, Run(p, Step(145)).Count);
        var events = Run(p, Step(145));
        Assert.AreEqual(1, events.Count);
        Assert.AreEqual(AlarmKind.Tachycardia, events[0].Kind);
        Assert.IsTrue(events[0].Raised);
        Assert.AreEqual(145, events[0].RateBpm);
    }

    [TestMethod]
    public void ExtremeSteadyRateAtRestAlarmsAtOnceButNotWhileMoving()
    {
        var s = new HeartRateSettings();
        var p = new AlarmPolicy(s);
        Assert.AreEqual(0, Run(p, Step(70)).Count);
        var events = Run(p, Step(s.UrgentTachycardiaBpm + 5));
        Assert.AreEqual(1, events.Count, "a steady run above the urgent limit needs no onset time");
        Assert.AreEqual(AlarmKind.Tachycardia, events[0].Kind);

        // The same run with the wrist fidgeting (below the moving limit) takes the normal onset.
        var q = new AlarmPolicy(s);
        var r = Step(s.UrgentTachycardiaBpm + 5);
        r.MotionMg = s.MotionThresholdMg - 5;
        Assert.AreEqual(0, Run(q, r).Count);
        Assert.AreEqual(1, Run(q, r).Count);

        // An unsteady run (a false beat among them) is not urgent either.
        var u = new AlarmPolicy(s);
        var w = Step(s.UrgentTachycardiaBpm + 5);
        w.ShortShortestMs = w.ShortIntervalMs / 2;
        w.Quality = SignalQuality.Good;
        Assert.AreEqual(0, Run(u, w).Count);

        // Disabled: back to the onset duration.
        var off = new AlarmPolicy(new HeartRateSettings { UrgentTachycardiaBpm = 0 });
        Assert.AreEqual(0, Run(off, Step(200)).Count);
        Assert.AreEqual(1, Run(off, Step(200)).Count);

        // The same for an extreme bradycardia: a steady run at 28 bpm at once, 35 bpm after the onset.
        var b = new AlarmPolicy(s);
        var slow = Run(b, Step(s.UrgentBradycardiaBpm - 2));
        Assert.AreEqual(1, slow.Count);
        Assert.AreEqual(AlarmKind.Bradycardia, slow[0].Kind);
        var c = new AlarmPolicy(s);
        Assert.AreEqual(0, Run(c, Step(35)).Count);
        Assert.AreEqual(1, Run(c, Step(35)).Count);
    }

    [TestMethod]
    public void SlowPulseCountedTwiceIsBradycardiaWhenTheSpectrumSaysHalf()
    {
        // 36 bpm with a dicrotic wave: the beats say 72 (every pulse twice, alternating intervals), the
        // spectrum confidently 36.
        AnalysisResult Doubled()
        {
            var r = Step(72, SignalQuality.Fair);
            r.ShortLongestMs = 1100;
            r.ShortShortestMs = 560;
            r.SpectralRateBpm = 36;
            r.SpectralConfidencePermille = 400;
            return r;
        }
        var p = new AlarmPolicy(new HeartRateSettings());
        Run(p, Doubled());
        Run(p, Doubled());
        Assert.IsTrue(p.IsActive(AlarmKind.Bradycardia));

        // A spectrum that is not confident, or not at half the beat rate, changes nothing.
        var q = new AlarmPolicy(new HeartRateSettings());
        for (int i = 0; i < 5; i++)
        {
            var r = Doubled();
            r.SpectralConfidencePermille = 100;
            Run(q, r);
            var t = Doubled();
            t.SpectralRateBpm = 60;
            Run(q, t);
        }
        Assert.IsFalse(q.IsActive(AlarmKind.Bradycardia));
    }

    [TestMethod]
    public void RateHysteresisAndClearDuration()
    {
        var s = new HeartRateSettings();
        var p = new AlarmPolicy(s);
        Run(p, Step(150));
        Run(p, Step(150));
        Assert.IsTrue(p.IsActive(AlarmKind.Tachycardia));
        // Between the clear (130) and set (140) limits the alarm stays on.
        for (int i = 0; i < 20; i++) Assert.AreEqual(0, Run(p, Step(135)).Count);
        Assert.IsTrue(p.IsActive(AlarmKind.Tachycardia));
        // Below the clear limit it clears after ClearSeconds steps, not before.
        for (int i = 0; i < s.ClearSeconds - 1; i++) Assert.AreEqual(0, Run(p, Step(100)).Count);
        var events = Run(p, Step(100));
        Assert.AreEqual(1, events.Count);
        Assert.IsFalse(events[0].Raised);
        Assert.IsFalse(p.IsActive(AlarmKind.Tachycardia));
    }

    [TestMethod]
    public void BadSignalNeitherRaisesNorClears()
    {
        var p = new AlarmPolicy(new HeartRateSettings());
        Run(p, Step(145));
        Assert.AreEqual(0, Run(p, Step(145, SignalQuality.Poor)).Count, "poor step holds the onset timer");
        Assert.AreEqual(1, Run(p, Step(145)).Count, "second good fast step completes the onset");
        for (int i = 0; i < 30; i++) Run(p, Step(0, SignalQuality.Poor));
        Assert.IsTrue(p.IsActive(AlarmKind.Tachycardia), "poor signal does not clear the alarm");
    }

    [TestMethod]
    public void ExerciseRaisesTheTachycardiaLimit()
    {
        var p = new AlarmPolicy(new HeartRateSettings());
        for (int i = 0; i < 10; i++)
        {
            var r = Step(170);
            r.Exercising = true;
            Run(p, r);
        }
        Assert.IsFalse(p.IsActive(AlarmKind.Tachycardia), "170 bpm while exercising");
        for (int i = 0; i < 2; i++)
        {
            var r = Step(210);
            r.Exercising = true;
            Run(p, r);
        }
        Assert.IsTrue(p.IsActive(AlarmKind.Tachycardia), "210 bpm is above the exercise limit");
    }

    [TestMethod]
    public void PauseCountsAsBradycardiaBeforeTheNextBeat()
    {
        var p = new AlarmPolicy(new HeartRateSettings());
        Run(p, Step(60));
        var r = Step(60);
        r.MsSinceBeat = 1800;
        Run(p, r);
        r = Step(60);
        r.MsSinceBeat = 2800;
        var events = Run(p, r);
        Assert.AreEqual(AlarmKind.Bradycardia, events.Single().Kind);
    }

    [TestMethod]
    public void FlatLineIsATechnicalAlertNeverNoPulseOrBradycardia()
    {
        var s = new HeartRateSettings();
        var p = new AlarmPolicy(s);
        var flat = Step(0, SignalQuality.Flat);
        flat.FlatMs = 2000;
        flat.MsSinceBeat = 2000;
        flat.ShortIntervalMs = 900;
        Run(p, flat);
        Assert.IsFalse(p.IsActive(AlarmKind.SensorOff), "2 s flat is not yet a sensor fault");
        flat.FlatMs = s.NoPulseMs;
        flat.MsSinceBeat = s.NoPulseMs;
        var events = Run(p, flat);
        Assert.IsTrue(events.Any(e => e.Kind == AlarmKind.SensorOff && e.Raised), "raised at once after NoPulseMs flat");
        for (int i = 0; i < 10; i++)
        {
            flat.FlatMs += 1000;
            flat.MsSinceBeat += 1000;
            Run(p, flat);
        }
        Assert.AreEqual(0, flat.ActiveAlarms & AlarmKinds.ClinicalMask, "a flat line is never asystole, no pulse or bradycardia");
        Assert.AreEqual(Evidence.Unknown, p.LastEvidence(AlarmKind.NoPulse));
    }

    [TestMethod]
    public void NoPulseRaisesAfterNoPulseMsWithoutBeatsOnALineThatStillMoves()
    {
        var s = new HeartRateSettings();
        var p = new AlarmPolicy(s);
        var r = Step(0, SignalQuality.Fair);
        r.MsSinceBeat = s.NoPulseMs - 1000;
        r.AmplitudeRatioPermille = 1000;
        Run(p, r);
        Assert.IsFalse(p.IsActive(AlarmKind.NoPulse), "a pause shorter than NoPulseMs with the pulse's swing");
        r.Quality = SignalQuality.NoPulse;
        r.MsSinceBeat = s.NoPulseMs;
        var events = Run(p, r);
        Assert.IsTrue(events.Any(e => e.Kind == AlarmKind.NoPulse && e.Raised));
    }

    [TestMethod]
    public void LostPulsatilityIsNoPulseBeforeTheNoPulseTimeButASlowPulseIsNot()
    {
        var s = new HeartRateSettings();
        var lost = new AlarmPolicy(s);
        var slow = new AlarmPolicy(s);
        for (int ms = s.PulseLossMs; ms < s.NoPulseMs; ms += 500)
        {
            var r = Step(60, SignalQuality.Fair);
            r.MsSinceBeat = ms;
            r.AmplitudeRatioPermille = s.PulseLossAmplitudePermille - 50;
            lost.Update(r);
            var q = Step(60, SignalQuality.Fair);
            q.MsSinceBeat = ms;
            q.AmplitudeRatioPermille = 700;
            slow.Update(q);
        }
        Assert.IsTrue(lost.IsActive(AlarmKind.NoPulse), "swing collapsed and no beat for 3 s");
        Assert.IsFalse(slow.IsActive(AlarmKind.NoPulse), "a long pause with the pulse's swing is not yet no pulse");
    }

    [TestMethod]
    public void PulseCollapseRaisesTachycardiaAtOnceButNotWhileMoving()
    {
        var s = new HeartRateSettings();
        var p = new AlarmPolicy(s);
        var r = Step(110, SignalQuality.Fair);
        r.PulseCollapse = true;
        var events = Run(p, r);
        Assert.IsTrue(events.Any(e => e.Kind == AlarmKind.Tachycardia && e.Raised), "shrinking, faster pulses: tachycardia at the rate counted");
        var moving = new AlarmPolicy(s);
        r.Moving = true;
        r.Exercising = true;
        r.MotionMg = 3 * s.MotionThresholdMg;
        r.Quality = SignalQuality.Motion;
        Run(moving, r);
        Run(moving, r);
        Assert.IsFalse(moving.IsActive(AlarmKind.Tachycardia));
    }

    [TestMethod]
    public void ModelArtefactVerdictSuppressesRateAlarms()
    {
        var p = new AlarmPolicy(new HeartRateSettings());
        for (int i = 0; i < 5; i++)
        {
            var r = Step(145);
            r.Verdict.Set(50, 50, 0, 900);
            Run(p, r);
        }
        Assert.IsFalse(p.IsActive(AlarmKind.Tachycardia), "above the limit, below the urgent one");
        var fair = new AlarmPolicy(new HeartRateSettings());
        for (int i = 0; i < 5; i++)
        {
            var r = Step(170, SignalQuality.Fair);
            r.Verdict.Set(50, 50, 0, 900);
            Run(fair, r);
        }
        Assert.IsFalse(fair.IsActive(AlarmKind.Tachycardia), "a fast run from a fair window");
    }

    [TestMethod]
    public void SteadyFastRunAtRestOutweighsAnArtefactVerdict()
    {
        // t741l: a clean run at 164-183 bpm in the last 4 s that the network calls artefact.
        var s = new HeartRateSettings();
        var p = new AlarmPolicy(s);
        var r = Step(s.UrgentTachycardiaBpm + 20);
        r.Verdict.Set(50, 50, 0, 900);
        var events = Run(p, r);
        Assert.IsTrue(events.Any(e => e.Kind == AlarmKind.Tachycardia && e.Raised), "steady, good, still, above the urgent limit");
        var moving = new AlarmPolicy(s);
        r.MotionMg = s.MotionThresholdMg;
        Run(moving, r);
        Run(moving, r);
        Assert.IsFalse(moving.IsActive(AlarmKind.Tachycardia), "motion under the moving limit but not still");
    }

    [TestMethod]
    public void ModelIrregularVerdictOverridesRegularIntervals()
    {
        var s = new HeartRateSettings();
        var p = new AlarmPolicy(s);
        for (int i = 0; i < s.IrregularOnsetSeconds; i++)
        {
            var r = Step(90);
            r.Verdict.Set(100, 850, 0, 50);
            Run(p, r);
        }
        Assert.IsTrue(p.IsActive(AlarmKind.Irregular));
    }

    [TestMethod]
    public void RuleBasedIrregularWithoutModel()
    {
        var s = new HeartRateSettings();
        var p = new AlarmPolicy(s);
        for (int i = 0; i < s.IrregularOnsetSeconds - 1; i++)
        {
            var r = Step(90, SignalQuality.Fair);
            r.IrregularityPermille = 150;
            Run(p, r);
        }
        Assert.IsFalse(p.IsActive(AlarmKind.Irregular), "needs the full onset time");
        var last = Step(90, SignalQuality.Fair);
        last.IrregularityPermille = 150;
        Run(p, last);
        Assert.IsTrue(p.IsActive(AlarmKind.Irregular));
    }
}
