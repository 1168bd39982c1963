using Micro.HeartRate.Alarms;
using Micro.HeartRate.Signal;

namespace Micro.HeartRate.Tests;

/// <summary>AlarmVerifier on synthetic steps: what confirms, what refutes, what stays uncertain, and the keep policy.</summary>
[TestClass]
public sealed class AlarmVerifierTests
{
    private sealed class Feed
    {
        public readonly HeartRateSettings Settings;
        public readonly AlarmPolicy Policy;
        public readonly AlarmVerifier Verifier;
        private int step;

        public Feed(HeartRateSettings? s = null)
        {
            Settings = s ?? new HeartRateSettings();
            Policy = new AlarmPolicy(Settings);
            Verifier = new AlarmVerifier(Settings);
        }

        /// <summary>One step at bpm (steady intervals ±20 ms unless spread is given) through the policy, then the verifier.</summary>
        public void Step(int bpm, SignalQuality quality = SignalQuality.Good, int spreadMs = 20, bool moving = false)
        {
            step++;
            int interval = bpm > 0 ? 60000 / bpm : 0;
            var r = new AnalysisResult
            {
                Step = step,
                UptimeMs = step * 1000L,
                RateBpm = bpm,
                RateSource = bpm > 0 ? RateSource.Beats : RateSource.None,
                RateConfidencePercent = 90,
                BeatRateBpm = bpm,
                SpectralRateBpm = bpm,
                ShortIntervalMs = interval,
                ShortLongestMs = bpm > 0 ? interval + spreadMs : 0,
                ShortShortestMs = bpm > 0 ? interval - spreadMs : 0,
                MsSinceBeat = bpm > 0 ? interval / 2 : 10000,
                Quality = quality,
                IrregularityPermille = 20,
                Moving = moving,
            };
            Policy.Update(r);
            Verifier.Observe(r, Policy);
        }

        public void Steps(int n, int bpm) { for (int i = 0; i < n; i++) Step(bpm); }
    }

    [TestMethod]
    public void A_compatible_alarm_raised_in_the_window_confirms_and_ages_out_after_it()
    {
        var f = new Feed();
        f.Steps(3, 160); // tachycardia raised at once (urgent), then a normal rate clears it
        Assert.IsTrue(f.Policy.IsActive(AlarmKind.Tachycardia));
        Assert.AreEqual(VerifierVerdict.Confirmed, f.Verifier.Verify(BedsideAlarm.Tachycardia));
        Assert.AreEqual(VerifierVerdict.Confirmed, f.Verifier.Verify(BedsideAlarm.VentricularTachycardia), "tachycardia is compatible with VT");
        Assert.AreNotEqual(VerifierVerdict.Confirmed, f.Verifier.Verify(BedsideAlarm.Asystole), "but not with asystole");
        f.Steps(8, 80);
        Assert.IsFalse(f.Policy.IsActive(AlarmKind.Tachycardia), "cleared");
        Assert.AreEqual(VerifierVerdict.Confirmed, f.Verifier.Verify(BedsideAlarm.Tachycardia), "raised within the last 16 s");
        f.Steps(f.Settings.VerifierWindowSeconds, 80);
        Assert.AreEqual(VerifierVerdict.Uncertain, f.Verifier.Verify(BedsideAlarm.Tachycardia), "raised over 16 s ago, and refutation is off for tachycardia");
    }

    [TestMethod]
    public void A_clean_steady_normal_pulse_refutes_asystole_fibrillation_and_bradycardia_but_not_tachycardia_or_vt_by_default()
    {
        var f = new Feed();
        f.Steps(f.Settings.VerifierRefuteSeconds, 80);
        Assert.AreEqual(VerifierVerdict.Refuted, f.Verifier.Verify(BedsideAlarm.Asystole));
        Assert.AreEqual(VerifierVerdict.Refuted, f.Verifier.Verify(BedsideAlarm.VentricularFlutterFib));
        Assert.AreEqual(VerifierVerdict.Refuted, f.Verifier.Verify(BedsideAlarm.Bradycardia));
        Assert.AreEqual(VerifierVerdict.Uncertain, f.Verifier.Verify(BedsideAlarm.VentricularTachycardia), "VT refutation is off by default (the folds' choice)");
        Assert.IsFalse(f.Verifier.Keep(BedsideAlarm.VentricularTachycardia), "uncertain VT is suppressed: the wearable's VT rules decide");
        var vtLimit = ChainClone(f.Settings);
        vtLimit.VerifierVtRefuteBpm = 140;
        Assert.AreEqual(VerifierVerdict.Refuted, f.Verifier.Verify(BedsideAlarm.VentricularTachycardia, vtLimit), "with a 140 bpm limit, 80 bpm refutes VT");
        Assert.AreEqual(VerifierVerdict.Uncertain, f.Verifier.Verify(BedsideAlarm.Tachycardia), "a slow pulse does not rule out a fast rhythm");
        Assert.IsFalse(f.Verifier.Keep(BedsideAlarm.Asystole));
        Assert.IsTrue(f.Verifier.Keep(BedsideAlarm.Tachycardia), "uncertain tachycardia is kept (mostly true)");

        var limited = ChainClone(f.Settings);
        limited.VerifierTachyRefuteBpm = 100;
        Assert.AreEqual(VerifierVerdict.Refuted, f.Verifier.Verify(BedsideAlarm.Tachycardia, limited), "with a limit, 80 bpm refutes");
        limited.VerifierTachyRefuteBpm = 75;
        Assert.AreEqual(VerifierVerdict.Uncertain, f.Verifier.Verify(BedsideAlarm.Tachycardia, limited), "80 bpm is over a 75 bpm limit");
    }

    [TestMethod]
    public void Refutation_needs_every_one_of_the_last_seconds_clean_and_at_the_right_rate()
    {
        int n = new HeartRateSettings().VerifierRefuteSeconds;
        var f = new Feed();
        f.Steps(n - 1, 80);
        Assert.AreEqual(VerifierVerdict.Uncertain, f.Verifier.Verify(BedsideAlarm.Asystole), "too few steps observed");

        foreach (var spoil in new Action<Feed>[]
        {
            x => x.Step(80, SignalQuality.Fair),
            x => x.Step(80, spreadMs: 400),   // a missed and a false beat: intervals over 1.5x and under 0.6x the median
            x => x.Step(80, moving: true),
            x => x.Step(80, SignalQuality.Poor),
        })
        {
            var g = new Feed();
            g.Steps(5, 80);
            spoil(g);
            g.Steps(n - 1, 80);
            Assert.AreEqual(VerifierVerdict.Uncertain, g.Verifier.Verify(BedsideAlarm.Asystole), "one unclean step among the last n");
            g.Step(80);
            Assert.AreEqual(VerifierVerdict.Refuted, g.Verifier.Verify(BedsideAlarm.Asystole), "n clean steps again");
        }

        var slow = new Feed();
        slow.Steps(n, 50);
        Assert.AreEqual(VerifierVerdict.Uncertain, slow.Verifier.Verify(BedsideAlarm.Bradycardia), "50 bpm is under the 55 bpm refutation limit");
        Assert.AreEqual(VerifierVerdict.Refuted, slow.Verifier.Verify(BedsideAlarm.Asystole), "but any clean pulse refutes asystole");
        var fast = new Feed();
        fast.Steps(n, 145);
        Assert.AreEqual(VerifierVerdict.Confirmed, fast.Verifier.Verify(BedsideAlarm.VentricularTachycardia), "the chain's tachycardia confirms VT");
    }

    [TestMethod]
    public void A_ppg_without_pulse_at_the_alarm_confirms_asystole_and_fibrillation_only()
    {
        var f = new Feed();
        f.Steps(5, 80);
        f.Step(0, SignalQuality.Flat); // a flat line: the wearable calls it a sensor fault, never a clinical alarm
        Assert.AreEqual(0, f.Policy.ActiveMask & AlarmKinds.ClinicalMask);
        Assert.AreEqual(VerifierVerdict.Confirmed, f.Verifier.Verify(BedsideAlarm.Asystole));
        Assert.AreEqual(VerifierVerdict.Confirmed, f.Verifier.Verify(BedsideAlarm.VentricularFlutterFib));
        Assert.AreEqual(VerifierVerdict.Uncertain, f.Verifier.Verify(BedsideAlarm.Bradycardia), "bradycardia keeps a pulse");
        Assert.AreEqual(VerifierVerdict.Uncertain, f.Verifier.Verify(BedsideAlarm.VentricularTachycardia));
        var off = ChainClone(f.Settings);
        off.VerifierPulseLossConfirmsMask = 0;
        Assert.AreEqual(VerifierVerdict.Uncertain, f.Verifier.Verify(BedsideAlarm.Asystole, off));
        f.Step(80);
        Assert.AreNotEqual(VerifierVerdict.Confirmed, f.Verifier.Verify(BedsideAlarm.Asystole), "the pulse is back at the alarm");
    }

    [TestMethod]
    public void Uncertain_alarms_follow_the_keep_mask_confirmed_keep_refuted_suppress()
    {
        foreach (BedsideAlarm a in Enum.GetValues<BedsideAlarm>())
        {
            Assert.IsTrue(AlarmVerifier.Keeps(VerifierVerdict.Confirmed, a, 0));
            Assert.IsFalse(AlarmVerifier.Keeps(VerifierVerdict.Refuted, a, 0x1F));
            Assert.IsTrue(AlarmVerifier.Keeps(VerifierVerdict.Uncertain, a, 1 << (int)a));
            Assert.IsFalse(AlarmVerifier.Keeps(VerifierVerdict.Uncertain, a, 0x1F & ~(1 << (int)a)));
        }
        var f = new Feed();
        Assert.IsFalse(f.Verifier.Keep(BedsideAlarm.Asystole), "nothing seen: asystole (mostly false) is suppressed");
        Assert.IsTrue(f.Verifier.Keep(BedsideAlarm.Bradycardia), "bradycardia (mostly true) is kept");
    }

    [TestMethod]
    public void Reset_forgets_and_bad_settings_are_refused()
    {
        var f = new Feed();
        f.Steps(3, 160);
        f.Verifier.Reset();
        Assert.AreEqual(VerifierVerdict.Uncertain, f.Verifier.Verify(BedsideAlarm.Tachycardia));
        foreach (var bad in new Action<HeartRateSettings>[] { s => s.VerifierRefuteSeconds = 0, s => s.VerifierRefuteSeconds = AlarmVerifier.HistorySteps + 1, s => s.VerifierWindowSeconds = 0, s => s.VerifierBradyRefuteBpm = -1 })
        {
            var s = new HeartRateSettings();
            bad(s);
            Assert.ThrowsExactly<ArgumentException>(() => new AlarmVerifier(s));
        }
        Assert.ThrowsExactly<ArgumentNullException>(() => new AlarmVerifier(null!));
        Assert.ThrowsExactly<ArgumentException>(() => AlarmVerifier.CompatibleMask((BedsideAlarm)9));
    }

    private static HeartRateSettings ChainClone(HeartRateSettings t)
    {
        var s = new HeartRateSettings();
        foreach (var fi in typeof(HeartRateSettings).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)) fi.SetValue(s, fi.GetValue(t));
        return s;
    }
}
