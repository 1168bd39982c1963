using Micro.Tooling.Evaluation.Visibility;
using Micro.Tooling.Recordings;

namespace Micro.Tooling.HeartRate.Tests.Evaluation;

/// <summary>
/// The offline beat detectors behind the "visible in the PPG" label: exact on synthetic beats, and on the real
/// CinC records the ECG detector finds each true alarm's own defining rhythm far more often than in the false
/// alarms of the same type (every measured number is printed).
/// </summary>
[TestClass]
public sealed class BeatDetectorTests
{
    public TestContext TestContext { get; set; } = null!;

    private const double Fs = 125;

    private static readonly Lazy<List<(CincAlarm Alarm, CincChannels Channels)>> Records = new(() =>
        CincDataset.ReadLabels(SharedData.Cinc).Select(a => (a, CincChannels.Read(SharedData.Cinc, a))).ToList());

    [TestMethod]
    public void Qrs_detector_finds_synthetic_beats_at_their_times_through_baseline_wander()
    {
        // Narrow 1 mV spikes (40 ms triangles) on a 0.3 Hz, 0.5 mV baseline wander with small T waves; intervals 0.45..1.6 s.
        double[] beats = { 0.5, 1.3, 2.1, 2.55, 3.0, 4.6, 5.4, 6.2, 7.0, 7.8 };
        var x = new double[(int)(9 * Fs)];
        for (int i = 0; i < x.Length; i++) x[i] = 0.5 * Math.Sin(2 * Math.PI * 0.3 * i / Fs);
        foreach (double b in beats)
        {
            int c = (int)Math.Round(b * Fs);
            for (int k = -2; k <= 2; k++) x[c + k] += 1.0 - Math.Abs(k) / 2.5;
            for (int k = 0; k < 20; k++) x[c + 25 + k] += 0.15 * Math.Sin(Math.PI * k / 20); // T wave 200 ms later
        }
        var found = QrsDetector.Detect(x, Fs);
        Assert.AreEqual(beats.Length, found.Count, string.Join(" ", found.Select(t => t.ToString("F3"))));
        for (int i = 0; i < beats.Length; i++) Assert.AreEqual(beats[i], found[i], 0.025, $"beat {i}");
    }

    [TestMethod]
    public void Pulse_detector_keeps_pulses_that_shrink_and_speed_up_and_finds_none_in_a_pause()
    {
        // 4 s of 1.0-unit pulses at 75 bpm, 3 s of 0.4-unit pulses at 150 bpm (the shrinking, faster pulse of a
        // ventricular tachycardia), then 4 s without pulse (0.002 noise).
        var x = new double[(int)(11 * Fs)];
        var truth = new List<double>();
        void Pulse(double t, double a)
        {
            truth.Add(t);
            int c = (int)Math.Round(t * Fs);
            for (int k = 0; k < 60 && c + k < x.Length; k++)
                x[c + k] += a * (k < 12 ? k / 12.0 : Math.Exp(-(k - 12) / 15.0));
        }
        for (double t = 0.2; t < 4; t += 0.8) Pulse(t, 1.0);
        for (double t = 4.0; t < 7; t += 0.4) Pulse(t, 0.4);
        var rng = new Random(1);
        for (int i = (int)(7.4 * Fs); i < x.Length; i++) x[i] += 0.002 * (rng.NextDouble() - 0.5);
        var found = PulseDetector.Detect(x, Fs);
        TestContext.WriteLine(string.Join(" ", found.Select(p => $"{p.TimeSeconds:F2}:{p.Amplitude:F2}")));
        Assert.AreEqual(truth.Count, found.Count);
        for (int i = 0; i < truth.Count; i++) Assert.AreEqual(truth[i] + 0.05, found[i].TimeSeconds, 0.06, $"pulse {i}: upstroke time");
        Assert.IsFalse(found.Any(p => p.TimeSeconds > 7.4), "no pulse in the pause");
    }

    [TestMethod]
    public void Ecg_beats_show_each_true_alarms_rhythm_much_more_often_than_in_false_alarms()
    {
        // The defining rhythm in the last 10 s: tachycardia a 12-beat run > 140 bpm, bradycardia a 5-beat run < 45,
        // asystole no beat for 3 s.
        static bool Shows(CincAlarmType type, List<double> beats, double end)
        {
            double w0 = end - 10;
            var b = beats.Where(t => t >= w0 - 4).ToList();
            IEnumerable<double> Runs(int k) => Enumerable.Range(0, Math.Max(0, b.Count - k + 1)).Where(j => b[j + k - 1] > w0).Select(j => 60.0 * (k - 1) / (b[j + k - 1] - b[j]));
            double gap = b.Prepend(w0 - 4).Append(end).Zip(b.Append(end), (p, q) => q - p).Max();
            return type switch
            {
                CincAlarmType.Tachycardia => Runs(12).DefaultIfEmpty(0).Max() > 140,
                CincAlarmType.Bradycardia => Runs(5).DefaultIfEmpty(999).Min() < 45,
                CincAlarmType.Asystole => gap >= 3,
                _ => false,
            };
        }
        foreach (var (type, minTrue, maxFalse) in new[] { (CincAlarmType.Tachycardia, 0.85, 0.75), (CincAlarmType.Bradycardia, 0.85, 0.5), (CincAlarmType.Asystole, 0.7, 0.5) })
        {
            var rows = Records.Value.Where(r => r.Alarm.AlarmType == type).ToList();
            double Share(bool truth)
            {
                var g = rows.Where(r => r.Alarm.TrueAlarm == truth).ToList();
                return (double)g.Count(r => Shows(type, QrsDetector.Detect(r.Channels.Ecg, Fs), r.Channels.Ppg.Length / Fs)) / g.Count;
            }
            double t = Share(true), f = Share(false);
            TestContext.WriteLine($"{type}: ECG shows the rhythm in {t:P1} of true alarms, {f:P1} of false ones");
            Assert.IsTrue(t >= minTrue, $"{type}: true alarms {t:P1}");
            Assert.IsTrue(f <= maxFalse && f < t - 0.2, $"{type}: false alarms {f:P1}");
        }
    }

    [TestMethod]
    public void Where_both_sensors_show_a_steady_rhythm_the_ecg_and_ppg_detectors_agree_on_its_rate()
    {
        // Two independent sensors: in every record whose last 10 s hold at least 5 intervals in each, both steady
        // (interval spread under 10 % of the mean), the median ECG and PPG rates must agree within 10 %.
        int steady = 0, agree = 0;
        foreach (var (alarm, ch) in Records.Value)
        {
            double end = ch.Ppg.Length / Fs;
            var ecg = Intervals(QrsDetector.Detect(ch.Ecg, Fs).Where(t => t >= end - 10).ToList());
            var ppg = Intervals(PulseDetector.Detect(ch.Ppg, Fs).Select(p => p.TimeSeconds).Where(t => t >= end - 10).ToList());
            if (ecg.Count < 5 || ppg.Count < 5 || Spread(ecg) > 0.1 || Spread(ppg) > 0.1) continue;
            steady++;
            double e = 60 / Median(ecg), p = 60 / Median(ppg);
            if (Math.Abs(e - p) <= 0.1 * e) agree++;
            else TestContext.WriteLine($"{alarm.RecordId}: ECG {e:F0} bpm, PPG {p:F0} bpm");
        }
        TestContext.WriteLine($"steady in both: {steady} records; rates agree in {agree}");
        Assert.IsTrue(steady >= 40, $"{steady} records steady in both");
        Assert.IsTrue(agree >= 0.95 * steady, $"{agree}/{steady}");
    }

    private static List<double> Intervals(List<double> t) => t.Zip(t.Skip(1), (a, b) => b - a).ToList();

    private static double Spread(List<double> v)
    {
        double m = v.Average();
        return Math.Sqrt(v.Average(x => (x - m) * (x - m))) / m;
    }

    private static double Median(List<double> v) => v.OrderBy(x => x).ElementAt(v.Count / 2);
}
