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
/// The whole record sets the threshold (look-ahead is allowed offline). Beat time = the energy peak.
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
        return beats.Select(i => i / fs).ToList();
    }
}
