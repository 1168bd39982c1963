namespace Micro.Tooling.Evaluation.Visibility;

/// <summary>One pulse found offline in the PPG: upstroke time (s) and rise (PPG units, foot to peak).</summary>
public readonly record struct Pulse(double TimeSeconds, double Amplitude);

/// <summary>
/// An offline pulse detector for the CinC records' PLETH, for evaluation labels only. Unlike the device's
/// causal beat detector it looks ahead: each candidate is judged against the signal on both sides of it.
/// <list type="number">
/// <item>smooth over 40 ms, slope d[i] = (s[i+2] − s[i−2]) / 4;</item>
/// <item>a pulse is a local maximum of the slope (the upstroke) that reaches 30 % of the steepest slope within
/// ±1 s and 10 % of the steepest within ±5 s — so small, fast pulses right after large ones count, while noise
/// in a pause does not;</item>
/// <item>its rise (highest sample in the next 250 ms minus the lowest in the previous 250 ms) is at least
/// <see cref="MinRise"/> PPG units (the monitors' pulse noise floor, as CincDataset.MinPulseCounts);</item>
/// <item>pulses closer than 250 ms are one (the steeper is kept).</item>
/// </list>
/// </summary>
public static class PulseDetector
{
    public const double MinRise = 0.02;

    public static List<Pulse> Detect(double[] ppg, double fs)
    {
        var s = SignalMath.MovingAverage(ppg, Math.Max(1, (int)Math.Round(0.04 * fs)));
        int n = s.Length;
        var d = new double[n];
        for (int i = 2; i < n - 2; i++) d[i] = (s[i + 2] - s[i - 2]) / 4;
        int w1 = (int)Math.Round(fs), w5 = (int)Math.Round(5 * fs), refractory = (int)Math.Round(0.25 * fs), edge = (int)Math.Round(0.25 * fs);
        var idx = new List<int>();
        var amp = new List<double>();
        for (int i = 1; i < n - 1; i++)
        {
            if (d[i] <= 0 || d[i] < d[i - 1] || d[i] < d[i + 1]) continue;
            double near = SignalMath.Max(d, i - w1, i + w1), far = SignalMath.Max(d, i - w5, i + w5);
            if (d[i] < Math.Max(0.3 * near, 0.1 * far)) continue;
            double rise = SignalMath.Max(s, i, i + edge) - SignalMath.Min(s, i - edge, i + 1);
            if (rise < MinRise) continue;
            if (idx.Count > 0 && i - idx[^1] < refractory)
            {
                if (d[i] > d[idx[^1]]) { idx[^1] = i; amp[^1] = rise; }
                continue;
            }
            idx.Add(i);
            amp.Add(rise);
        }
        return idx.Select((i, k) => new Pulse(i / fs, amp[k])).ToList();
    }
}
