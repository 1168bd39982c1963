using Micro.Tooling.Recordings;

namespace Micro.Tooling.Evaluation.Visibility
{
    /// <summary>
    /// Whether a true CinC alarm's event shows in the PPG, decided offline from the record's ECG and PPG
    /// (evaluation only: the device never sees the ECG). Visible: the event was found in the ECG and the PPG
    /// shows it. Reason says why in words; the numbers are the ones the rule compared.
    /// </summary>
    public sealed record PpgVisibility(bool Visible, bool EcgConfirms, bool PpgFlat, string Reason,
        double EventStartSeconds, double EventEndSeconds, double EcgRateBpm, double PpgRateBpm, double PpgRateBeforeBpm,
        double LongestPulseGapSeconds, double PulseAmplitude, double PulseAmplitudeBefore, int EcgBeats, int PpgPulses);

    /// <summary>
    /// The "event visible in the PPG" label (docs/evaluation.md). Beats: <see cref="QrsDetector"/> on the ECG,
    /// <see cref="PulseDetector"/> (with look-ahead) on the PPG. The challenge puts the event's onset in the 10 s
    /// before the alarm, the end of the record.
    /// <para>1. The event in the ECG, from ECG beats of the last 14 s (runs must end in the last 10 s):
    /// asystole — the longest beat-free stretch (record end included), ≥ 3 s;
    /// bradycardia — the slowest run of 5 beats, &lt; 45 bpm (or a beat-free stretch ≥ 3 s);
    /// tachycardia — the fastest run of 12 beats, &gt; 130 bpm;
    /// ventricular tachycardia — the fastest run of 5 beats, &gt; 100 bpm;
    /// ventricular flutter/fibrillation — a beat-free stretch ≥ 3 s, else the fastest run of 8 peaks, &gt; 150.
    /// No such event in the ECG: not visible ("the ECG does not confirm").</para>
    /// <para>2. The PPG over the event (its start to its end + 0.6 s for the pulse transit; rates from the pulses
    /// from 0.3 s before): a flat PPG (swing under 0.001 units) is never visible — a flat line is a sensor or
    /// monitor fault, a technical alert. Otherwise: "follows" = the PPG pulse rate is within ±20 % of the ECG's
    /// event rate; "lost" = no pulse for ≥ 3 s, or the median pulse falls under 30 % of the 4 s before;
    /// "shrinks and speeds up" = under 50 % of the pulse before and ≥ 1.15 × the pulse rate before.
    /// Asystole: no pulse for ≥ 3 s. Bradycardia: follows below 50 bpm, or no pulse for ≥ 3 s. Tachycardia:
    /// follows at ≥ 130 bpm. Ventricular tachycardia: follows at ≥ 100 bpm, lost, or shrinks and speeds up.
    /// Flutter/fibrillation: follows at ≥ 150 bpm, or lost.</para>
    /// </summary>
    public static class PpgVisibilityRule
    {
        public const double EventWindowSeconds = 10;
        public const double PauseSeconds = 3;
        public const double FlatSwing = 0.001;

        public static PpgVisibility Label(CincAlarmType type, double[] ppg, double[] ecg, double fs)
        {
            double end = ppg.Length / fs, w0 = end - EventWindowSeconds;
            var qrs = QrsDetector.Detect(ecg, fs).Where(t => t >= w0 - 4).ToList();
            var pulses = PulseDetector.Detect(ppg, fs);
            var ev = EcgEvent(type, qrs, w0, end);
            double lo = ev.Start, hi = Math.Min(end, ev.End + 0.6);
            int i0 = (int)(lo * fs), i1 = (int)(hi * fs);
            bool flat = i1 <= i0 || SignalMath.Max(ppg, i0, i1) - SignalMath.Min(ppg, i0, i1) < FlatSwing;
            var during = pulses.Where(p => p.TimeSeconds >= lo - 0.3 && p.TimeSeconds <= hi).ToList();
            var inside = pulses.Where(p => p.TimeSeconds >= lo && p.TimeSeconds <= hi).Select(p => p.TimeSeconds).ToList();
            var before = pulses.Where(p => p.TimeSeconds >= lo - 4.3 && p.TimeSeconds < lo - 0.3).ToList();
            double gap = LongestGap(inside, lo, hi);
            double rate = SignalMath.MeanRate(during.Select(p => p.TimeSeconds).ToList());
            double rateBefore = SignalMath.MeanRate(before.Select(p => p.TimeSeconds).ToList());
            double amp = during.Count == 0 ? 0 : Median(during.Select(p => p.Amplitude));
            double ampBefore = before.Count == 0 ? 0 : Median(before.Select(p => p.Amplitude));
            PpgVisibility Result(bool visible, string reason) => new(visible, ev.Found, flat, reason, Math.Round(ev.Start, 2), Math.Round(ev.End, 2),
                Math.Round(ev.Rate, 1), Math.Round(rate, 1), Math.Round(rateBefore, 1), Math.Round(gap, 2), Math.Round(amp, 4), Math.Round(ampBefore, 4), qrs.Count, pulses.Count);

            if (!ev.Found) return Result(false, "the ECG does not confirm the event: " + ev.What);
            if (flat) return Result(false, $"flat PPG during the event ({ev.What}): a technical fault, not a pulse");
            bool follows = ev.Rate > 0 && rate > 0 && Math.Abs(rate - ev.Rate) <= 0.2 * ev.Rate;
            bool paused = gap >= PauseSeconds;
            bool lost = paused || (ampBefore > 0 && amp < 0.3 * ampBefore);
            bool shrinksFaster = ampBefore > 0 && amp < 0.5 * ampBefore && rateBefore > 0 && rate >= 1.15 * rateBefore;
            string seen = $"ECG {ev.What}; PPG {rate:F0} bpm (before {rateBefore:F0}), pulse {Ratio(amp, ampBefore)} of before, longest pause {gap:F1} s";
            bool visible = type switch
            {
                CincAlarmType.Asystole => paused,
                CincAlarmType.Bradycardia => (follows && rate < 50) || paused,
                CincAlarmType.Tachycardia => follows && rate >= 130,
                CincAlarmType.VentricularTachycardia => (follows && rate >= 100) || lost || shrinksFaster,
                CincAlarmType.VentricularFlutterFib => (follows && rate >= 150) || lost,
                _ => false,
            };
            string why = !visible ? "the PPG does not show it"
                : paused ? "no pulse for ≥ 3 s"
                : follows ? "the pulse follows the ECG rhythm"
                : lost ? "the pulse is lost"
                : "the pulse shrinks and speeds up";
            return Result(visible, $"{why}: {seen}");
        }

        private readonly record struct EcgEventFound(bool Found, double Start, double End, double Rate, string What);

        private static EcgEventFound EcgEvent(CincAlarmType type, List<double> beats, double w0, double end)
        {
            var (gStart, gEnd) = LongestGapSpan(beats, w0 - 4, end);
            double gap = gEnd - gStart;
            var pause = new EcgEventFound(gap >= PauseSeconds, gStart, gEnd, 0, $"no beat for {gap:F1} s");
            if (type == CincAlarmType.Asystole) return pause;
            if (type == CincAlarmType.VentricularFlutterFib && pause.Found) return pause;
            int k = type switch { CincAlarmType.Bradycardia => 5, CincAlarmType.Tachycardia => 12, CincAlarmType.VentricularTachycardia => 5, _ => 8 };
            var runs = new List<(double Start, double End, double Rate)>();
            for (int j = 0; j + k - 1 < beats.Count; j++)
                if (beats[j + k - 1] > w0) runs.Add((beats[j], beats[j + k - 1], 60.0 * (k - 1) / (beats[j + k - 1] - beats[j])));
            if (type == CincAlarmType.Bradycardia)
            {
                if (runs.Count == 0) return pause;
                var slow = runs.MinBy(r => r.Rate);
                return slow.Rate < 45 ? new(true, slow.Start, slow.End, slow.Rate, $"{k} beats at {slow.Rate:F0} bpm")
                    : pause.Found ? pause : new(false, slow.Start, slow.End, slow.Rate, $"slowest {k} beats at {slow.Rate:F0} bpm");
            }
            if (runs.Count == 0) return new(false, w0, end, 0, $"fewer than {k} beats");
            var fast = runs.MaxBy(r => r.Rate);
            double limit = type switch { CincAlarmType.Tachycardia => 130, CincAlarmType.VentricularTachycardia => 100, _ => 150 };
            return new(fast.Rate > limit, fast.Start, fast.End, fast.Rate, $"{(fast.Rate > limit ? "" : "fastest ")}{k} beats at {fast.Rate:F0} bpm");
        }

        private static (double Start, double End) LongestGapSpan(List<double> beats, double from, double to)
        {
            double prev = from, bestStart = from, bestEnd = from;
            foreach (double t in beats.Append(to))
            {
                if (t - prev > bestEnd - bestStart) { bestStart = prev; bestEnd = t; }
                prev = t;
            }
            return (bestStart, bestEnd);
        }

        private static double LongestGap(List<double> times, double from, double to)
        {
            var (s, e) = LongestGapSpan(times, from, to);
            return e - s;
        }

        private static double Median(IEnumerable<double> v) => SignalMath.Quantile(v, 0.5);

        private static string Ratio(double a, double b) => b > 0 ? (a / b).ToString("P0") : "n/a";
    }
}
