namespace Micro.Tooling.Evaluation.Visibility;

/// <summary>Small helpers shared by the offline (evaluation-only) beat detectors.</summary>
internal static class SignalMath
{
    /// <summary>Centred moving average over n samples (shorter at the ends): y[i] = mean(x[i−n/2 .. i−n/2+n−1]).</summary>
    public static double[] MovingAverage(double[] x, int n)
    {
        var sum = new double[x.Length + 1];
        for (int i = 0; i < x.Length; i++) sum[i + 1] = sum[i] + x[i];
        var y = new double[x.Length];
        int h = n / 2;
        for (int i = 0; i < x.Length; i++)
        {
            int lo = Math.Max(0, i - h), hi = Math.Min(x.Length, i - h + n);
            y[i] = (sum[hi] - sum[lo]) / (hi - lo);
        }
        return y;
    }

    /// <summary>Largest x[lo..hi) (clipped to the array).</summary>
    public static double Max(double[] x, int lo, int hi)
    {
        double m = double.NegativeInfinity;
        for (int i = Math.Max(0, lo); i < Math.Min(x.Length, hi); i++) if (x[i] > m) m = x[i];
        return m;
    }

    /// <summary>Smallest x[lo..hi) (clipped to the array).</summary>
    public static double Min(double[] x, int lo, int hi)
    {
        double m = double.PositiveInfinity;
        for (int i = Math.Max(0, lo); i < Math.Min(x.Length, hi); i++) if (x[i] < m) m = x[i];
        return m;
    }

    /// <summary>The p-quantile (0..1) of the values, nearest rank on the sorted copy.</summary>
    public static double Quantile(IEnumerable<double> values, double p)
    {
        var v = values.ToArray();
        if (v.Length == 0) return double.NaN;
        Array.Sort(v);
        return v[Math.Clamp((int)Math.Round(p * (v.Length - 1)), 0, v.Length - 1)];
    }

    /// <summary>Mean rate (bpm) over beat times (s): 60 × (n − 1) / (last − first); 0 with fewer than two beats.</summary>
    public static double MeanRate(IReadOnlyList<double> times) =>
        times.Count < 2 || times[^1] <= times[0] ? 0 : 60.0 * (times.Count - 1) / (times[^1] - times[0]);
}
