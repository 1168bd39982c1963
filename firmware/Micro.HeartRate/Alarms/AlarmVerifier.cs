using System;
using Micro.HeartRate.Signal;

namespace Micro.HeartRate.Alarms
{
    /// <summary>
    /// Verifies a bedside monitor's ECG alarm from what the wrist PPG chain has seen (the PhysioNet/CinC 2015
    /// framing: the monitor raises an alarm of a known type, the verifier keeps or suppresses it). Feed it every
    /// step with <see cref="Observe"/>; when the monitor alarms, <see cref="Verify(BedsideAlarm)"/> says:
    /// <list type="bullet">
    /// <item>Confirmed — the chain raised a compatible clinical alarm within VerifierWindowSeconds, or one is
    /// active (<see cref="CompatibleMask"/>); or, for the types set in VerifierPulseLossConfirmsMask (asystole and
    /// flutter/fibrillation: no cardiac output), the PPG has no pulse at the alarm (a flat line or no beats, which the
    /// wearable alone reports as a sensor fault);</item>
    /// <item>Refuted — otherwise, when each of the last VerifierRefuteSeconds steps had a clean pulse (good
    /// signal, a steady run of beats, wrist still) at a rate the alarm cannot have: any rate for asystole and
    /// ventricular flutter/fibrillation (they stop the pulse), at or above VerifierBradyRefuteBpm for
    /// bradycardia, at or below VerifierTachyRefuteBpm / VerifierVtRefuteBpm for tachycardia / ventricular
    /// tachycardia (0 disables a rule);</item>
    /// <item>Uncertain — neither; bit (int)type of VerifierKeepUncertainMask keeps it.</item>
    /// </list>
    /// Per step it stores one rate and the raise times, and Verify runs once per bedside alarm: nothing runs per sample.
    /// </summary>
    public sealed class AlarmVerifier
    {
        /// <summary>Steps of clean-pulse history kept: the longest VerifierRefuteSeconds.</summary>
        public const int HistorySteps = 8;

        private const int ClinicalKinds = 4;

        private readonly HeartRateSettings s;
        // Rate (bpm) of each of the last steps whose pulse was clean, 0 when it was not; ring, newest at head − 1.
        private readonly int[] cleanBpm = new int[HistorySteps];
        // Uptime (ms) each clinical alarm kind was last raised, −1 when never.
        private readonly long[] raisedMs = new long[ClinicalKinds];
        private int head;
        private int filled;
        private int activeMask;
        private bool pulseLost;
        private long nowMs;

        public AlarmVerifier(HeartRateSettings settings)
        {
            if (settings == null) throw new ArgumentNullException("settings");
            Check(settings);
            s = settings;
            Reset();
        }

        /// <summary>Throws when the verifier settings are out of range.</summary>
        public static void Check(HeartRateSettings settings)
        {
            if (settings.VerifierRefuteSeconds < 1 || settings.VerifierRefuteSeconds > HistorySteps)
                throw new ArgumentException("VerifierRefuteSeconds must be 1.." + HistorySteps);
            if (settings.VerifierWindowSeconds < 1) throw new ArgumentException("VerifierWindowSeconds must be at least 1");
            if (settings.VerifierBradyRefuteBpm < 0 || settings.VerifierTachyRefuteBpm < 0 || settings.VerifierVtRefuteBpm < 0)
                throw new ArgumentException("verifier refutation rates must be 0 (off) or positive");
        }

        /// <summary>Clinical alarms of the chain that confirm a bedside alarm of the type (bit = 1 &lt;&lt; AlarmKind):
        /// asystole ← no pulse; bradycardia ← bradycardia or no pulse; tachycardia ← tachycardia; ventricular
        /// tachycardia ← tachycardia, irregular or no pulse; flutter/fibrillation ← no pulse or tachycardia.</summary>
        public static int CompatibleMask(BedsideAlarm alarm)
        {
            switch (alarm)
            {
                case BedsideAlarm.Asystole: return AlarmKinds.Bit(AlarmKind.NoPulse);
                case BedsideAlarm.Bradycardia: return AlarmKinds.Bit(AlarmKind.Bradycardia) | AlarmKinds.Bit(AlarmKind.NoPulse);
                case BedsideAlarm.Tachycardia: return AlarmKinds.Bit(AlarmKind.Tachycardia);
                case BedsideAlarm.VentricularTachycardia:
                    return AlarmKinds.Bit(AlarmKind.Tachycardia) | AlarmKinds.Bit(AlarmKind.Irregular) | AlarmKinds.Bit(AlarmKind.NoPulse);
                case BedsideAlarm.VentricularFlutterFib: return AlarmKinds.Bit(AlarmKind.NoPulse) | AlarmKinds.Bit(AlarmKind.Tachycardia);
                default: throw new ArgumentException("unknown bedside alarm type");
            }
        }

        /// <summary>Notes one completed step: the clinical alarms its policy raised and whether its pulse was clean.</summary>
        public void Observe(AnalysisResult r, AlarmPolicy policy)
        {
            for (int e = 0; e < policy.EventCount; e++)
            {
                AlarmEvent ev = policy.GetEvent(e);
                int k = (int)ev.Kind;
                if (ev.Raised && k < ClinicalKinds) raisedMs[k] = ev.UptimeMs;
            }
            activeMask = r.ActiveAlarms & AlarmKinds.ClinicalMask;
            pulseLost = r.Quality == SignalQuality.Flat || r.Quality == SignalQuality.NoPulse;
            nowMs = r.UptimeMs;
            cleanBpm[head] = CleanRate(r);
            head = head + 1 == HistorySteps ? 0 : head + 1;
            if (filled < HistorySteps) filled++;
        }

        // The step's rate when its pulse is clean, else 0. Clean: good signal (3+ beats in 8 s, few outliers), the
        // last beats a steady run (none over 1.5× or under 0.6× their median: no missed or false beat, as the
        // alarm policy's steady run), and the wrist still (motion adds beats and moves the rate).
        private static int CleanRate(AnalysisResult r)
        {
            if (r.Quality != SignalQuality.Good || r.Moving || r.ContactLost || !AlarmPolicy.SteadyRun(r)) return 0;
            int median = r.ShortIntervalMs;
            return (60000 + median / 2) / median;
        }

        /// <summary>The verdict with the verifier's own settings.</summary>
        public VerifierVerdict Verify(BedsideAlarm alarm)
        {
            return Verify(alarm, s);
        }

        /// <summary>The verdict for a bedside alarm raised now (the last observed step), with the given settings'
        /// window and refutation limits (the observations do not depend on them).</summary>
        public VerifierVerdict Verify(BedsideAlarm alarm, HeartRateSettings settings)
        {
            int compatible = CompatibleMask(alarm);
            if ((activeMask & compatible) != 0) return VerifierVerdict.Confirmed;
            long window = (long)settings.VerifierWindowSeconds * 1000;
            for (int k = 0; k < ClinicalKinds; k++)
                if ((compatible & (1 << k)) != 0 && raisedMs[k] >= 0 && nowMs - raisedMs[k] < window) return VerifierVerdict.Confirmed;
            if (pulseLost && (settings.VerifierPulseLossConfirmsMask & (1 << (int)alarm)) != 0) return VerifierVerdict.Confirmed;
            int n = settings.VerifierRefuteSeconds;
            switch (alarm)
            {
                // Asystole and flutter/fibrillation stop the heart pumping: any clean pulse contradicts them.
                case BedsideAlarm.Asystole:
                case BedsideAlarm.VentricularFlutterFib:
                    return CleanPulse(n, 1, int.MaxValue) ? VerifierVerdict.Refuted : VerifierVerdict.Uncertain;
                // Every clean pulse above the limit: the heart beats at least that fast (a slow ECG with a fast pulse
                // is a missed QRS).
                case BedsideAlarm.Bradycardia:
                    return settings.VerifierBradyRefuteBpm > 0 && CleanPulse(n, settings.VerifierBradyRefuteBpm, int.MaxValue)
                        ? VerifierVerdict.Refuted : VerifierVerdict.Uncertain;
                // A slow pulse does not rule out a fast rhythm: fast beats that barely fill the ventricle leave no pulse
                // (pulse deficit), and the pleth lags an onset by seconds. Off unless chosen.
                case BedsideAlarm.Tachycardia:
                    return settings.VerifierTachyRefuteBpm > 0 && CleanPulse(n, 1, settings.VerifierTachyRefuteBpm)
                        ? VerifierVerdict.Refuted : VerifierVerdict.Uncertain;
                // A ventricular rhythm over 100 bpm shrinks and disturbs the pulse: a clean steady pulse at a normal
                // rate contradicts it.
                default:
                    return settings.VerifierVtRefuteBpm > 0 && CleanPulse(n, 1, settings.VerifierVtRefuteBpm)
                        ? VerifierVerdict.Refuted : VerifierVerdict.Uncertain;
            }
        }

        /// <summary>Whether to keep the bedside alarm, with the verifier's own settings.</summary>
        public bool Keep(BedsideAlarm alarm)
        {
            return Keeps(Verify(alarm, s), alarm, s.VerifierKeepUncertainMask);
        }

        /// <summary>Confirmed keeps, Refuted suppresses, Uncertain keeps when bit (int)alarm of keepUncertainMask is set.</summary>
        public static bool Keeps(VerifierVerdict verdict, BedsideAlarm alarm, int keepUncertainMask)
        {
            if (verdict == VerifierVerdict.Confirmed) return true;
            if (verdict == VerifierVerdict.Refuted) return false;
            return (keepUncertainMask & (1 << (int)alarm)) != 0;
        }

        // Each of the last n steps had a clean pulse at lo..hi bpm (false before n steps were observed).
        private bool CleanPulse(int n, int lo, int hi)
        {
            if (n > filled) return false;
            int i = head;
            for (int k = 0; k < n; k++)
            {
                i = i == 0 ? HistorySteps - 1 : i - 1;
                int bpm = cleanBpm[i];
                if (bpm == 0 || bpm < lo || bpm > hi) return false;
            }
            return true;
        }

        /// <summary>Forgets every observation (a new wearer or a restart).</summary>
        public void Reset()
        {
            for (int i = 0; i < HistorySteps; i++) cleanBpm[i] = 0;
            for (int k = 0; k < ClinicalKinds; k++) raisedMs[k] = -1;
            head = 0;
            filled = 0;
            activeMask = 0;
            pulseLost = false;
            nowMs = 0;
        }
    }
}
