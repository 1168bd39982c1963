namespace Micro.Tooling.Evaluation.Visibility;

/// <summary>
/// An offline QRS detector for the CinC records' ECG lead, for evaluation labels only (the device never sees
/// the ECG). In the spirit of Pan–Tompkins, much simplified:
/// <list type="number">
/// <item>slope d[i] = (2x[i+2] + x[i+1] − x[i−1] − 2x[i−2]) / 8 (a five-point derivative: the steep QRS edges
/// dominate, baseline wander and the slower P/T waves do not);</item>
/// <item>energy e = d² averaged over 120 ms (one QRS width);</item>
/// <item>a beat is a local maximum of e (largest within ±125 ms) at or above 25 % of the record's 98th
/// percentile of e, at least 250 ms after the previous beat (a closer one replaces it when larger):
/// rates up to 240 bpm.</item>
/// </list>
/// The whole record sets the threshold (look-ahead is allowed offline). Beat time: within ±60 ms of the energy
/// peak (whose top is as wide as the integration window minus the QRS), the sample farthest from the mean of the
/// ±125 ms around it — the R (or S) wave.
/// </summary>
public static class QrsDetector
{
    public const double ThresholdFraction = 0.25;
    public const double RefractorySeconds = 0.25;
    public const double IntegrationSeconds = 0.12;

    /// <summary>Beat times (s from the record's start) of the ECG sampled at fs Hz.</summary>
    public static List<double> Detect(double[] ecg, double fs)
    {
        int n = ecg.Length;
        var d = new double[n];
        for (int i = 2; i < n - 2; i++)
        {
            double v = (2 * ecg[i + 2] + ecg[i + 1] - ecg[i - 1] - 2 * ecg[i - 2]) / 8;
            d[i] = double.IsFinite(v) ? v * v : 0;
        }
        var e = SignalMath.MovingAverage(d, Math.Max(1, (int)Math.Round(IntegrationSeconds * fs)));
        double reference = SignalMath.Quantile(e, 0.98);
        var beats = new List<int>();
        if (!(reference > 0)) return new List<double>();
        double threshold = ThresholdFraction * reference;
        int refractory = (int)Math.Round(RefractorySeconds * fs), half = refractory / 2;
        for (int i = 1; i < n - 1; i++)
        {
            if (e[i] < threshold || e[i] < e[i - 1] || e[i] <= e[i + 1]) continue;
            if (e[i] < SignalMath.Max(e, i - half, i + half)) continue;
            if (beats.Count == 0 || i - beats[^1] >= refractory) beats.Add(i);
            else if (e[i] > e[beats[^1]]) beats[^1] = i;
        }
        int search = (int)Math.Round(0.06 * fs);
        return beats.Select(i => Apex(ecg, i, search, half) / fs).ToList();
    }

    private static int Apex(double[] x, int peak, int search, int half)
    {
        int lo = Math.Max(0, peak - search - half), hi = Math.Min(x.Length, peak + search + half + 1);
        double sum = 0;
        int count = 0;
        for (int i = lo; i < hi; i++) if (double.IsFinite(x[i])) { sum += x[i]; count++; }
        double mean = count == 0 ? 0 : sum / count;
        int best = peak;
        double far = -1;
        for (int i = Math.Max(0, peak - search); i <= Math.Min(x.Length - 1, peak + search); i++)
            if (double.IsFinite(x[i]) && Math.Abs(x[i] - mean) > far) { far = Math.Abs(x[i] - mean); best = i; }
        return best;
    }
}
