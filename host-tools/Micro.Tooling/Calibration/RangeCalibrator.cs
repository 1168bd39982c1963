namespace Micro.Tooling.Calibration;

public enum CalibrationMethod
{
    /// <summary>The observed minimum and maximum.</summary>
    MinMax,
    /// <summary>The (100 − p)th and p-th percentiles (p = <see cref="CalibrationOptions.Percentile"/>).</summary>
    Percentile,
    /// <summary>TensorRT's entropy calibration: the |x| threshold whose 128-level quantized distribution has
    /// the least Kullback–Leibler divergence from the observed one.</summary>
    Entropy,
    /// <summary>The clipping range with the least expected squared error (clipping error of the values
    /// outside plus rounding error step²/12 of the values inside) for 8-bit asymmetric quantization.</summary>
    Mse,
}

public sealed record CalibrationOptions
{
    public CalibrationMethod Method { get; init; } = CalibrationMethod.MinMax;
    /// <summary>For <see cref="CalibrationMethod.Percentile"/>: 50 &lt; p ≤ 100.</summary>
    public double Percentile { get; init; } = 99.99;
    /// <summary>Quantization levels of the target type (256 for int8).</summary>
    public int Levels { get; init; } = 256;
}

/// <summary>A real-valued range [Min, Max] for a tensor's quantization; always contains 0.</summary>
public readonly record struct TensorRange(float Min, float Max)
{
    public override string ToString() => $"[{Min:G6}, {Max:G6}]";
}

/// <summary>Turns a <see cref="TensorHistogram"/> into a quantization range by one of the
/// <see cref="CalibrationMethod"/>s.</summary>
public static class RangeCalibrator
{
    public static TensorRange Range(TensorHistogram h, CalibrationOptions o)
    {
        if (h.Count == 0) throw new InvalidOperationException("no calibration data for this tensor");
        double lo, hi;
        switch (o.Method)
        {
            case CalibrationMethod.MinMax: lo = h.Min; hi = h.Max; break;
            case CalibrationMethod.Percentile:
                if (!(o.Percentile > 50 && o.Percentile <= 100))
                    throw new ArgumentOutOfRangeException(nameof(o), $"percentile {o.Percentile} must be in (50, 100]");
                lo = h.Quantile(1 - o.Percentile / 100);
                hi = h.Quantile(o.Percentile / 100);
                break;
            case CalibrationMethod.Entropy:
                {
                    double t = EntropyThreshold(h, o.Levels / 2);
                    lo = Math.Max(h.Min, -t);
                    hi = Math.Min(h.Max, t);
                    break;
                }
            case CalibrationMethod.Mse: (lo, hi) = MseRange(h, o.Levels); break;
            default: throw new ArgumentOutOfRangeException(nameof(o));
        }
        lo = Math.Min(lo, 0);
        hi = Math.Max(hi, 0);
        if (hi - lo < 1e-12) hi = lo + 1e-6; // all zero: any small positive range
        return new TensorRange((float)lo, (float)hi);
    }

    /// <summary>TensorRT's entropy threshold on |x| with <paramref name="targetBins"/> quantization bins.
    /// Exact zeros are left out (as NVIDIA's histogram calibrator's skip_zeros does): after a ReLU half the
    /// values can be 0, and that spike alone would drive the threshold to the smallest candidate.</summary>
    public static double EntropyThreshold(TensorHistogram h, int targetBins = 128)
    {
        var hist = h.AbsoluteCounts(skipZeros: true);
        if (hist.All(c => c == 0)) return h.BinWidth;
        int n = hist.Length;
        int lastNonZero = Array.FindLastIndex(hist, c => c != 0);
        if (lastNonZero < targetBins) return (lastNonZero + 1) * h.BinWidth;
        double bestKl = double.PositiveInfinity;
        int best = n;
        var p = new double[n];
        var q = new double[n];
        for (int i = targetBins; i <= Math.Min(n, lastNonZero + 1); i++)
        {
            // Reference: the first i bins, with everything beyond folded into the last one.
            for (int k = 0; k < i; k++) p[k] = hist[k];
            double outliers = 0;
            for (int k = i; k < n; k++) outliers += hist[k];
            p[i - 1] += outliers;
            // Candidate: the first i bins merged into targetBins levels, each level spread evenly over the
            // bins it covers that were non-zero.
            Array.Clear(q, 0, i);
            for (int j = 0; j < targetBins; j++)
            {
                int start = (int)((long)j * i / targetBins);
                int stop = (int)((long)(j + 1) * i / targetBins);
                double sum = 0;
                int nonZero = 0;
                for (int k = start; k < stop; k++) { sum += hist[k]; if (hist[k] != 0) nonZero++; }
                if (nonZero == 0) continue;
                for (int k = start; k < stop; k++) if (hist[k] != 0) q[k] = sum / nonZero;
            }
            double kl = Kl(p, q, i);
            if (kl < bestKl) { bestKl = kl; best = i; }
        }
        return best * h.BinWidth;
    }

    private static double Kl(double[] p, double[] q, int len)
    {
        double ps = 0, qs = 0;
        for (int k = 0; k < len; k++) { ps += p[k]; qs += q[k]; }
        if (ps == 0 || qs == 0) return double.PositiveInfinity;
        double kl = 0;
        for (int k = 0; k < len; k++)
        {
            if (p[k] == 0) continue;
            double pk = p[k] / ps;
            // A candidate that misses reference mass gets a small floor (as TensorRT smooths it), not ∞.
            double qk = q[k] > 0 ? q[k] / qs : 1e-4 / len;
            kl += pk * Math.Log(pk / qk);
        }
        return kl;
    }

    /// <summary>The range [α·min, α·max] (α ∈ (0, 1]) with the least expected squared quantization error.</summary>
    public static (double Lo, double Hi) MseRange(TensorHistogram h, int levels = 256)
    {
        double min = Math.Min(h.Min, 0), max = Math.Max(h.Max, 0);
        if (max - min <= 0) return (min, max);
        var counts = h.Counts;
        double bestErr = double.PositiveInfinity, bestA = 1;
        const int Steps = 400;
        for (int s = 1; s <= Steps; s++)
        {
            double a = (double)s / Steps;
            double lo = a * min, hi = a * max;
            double step = (hi - lo) / (levels - 1);
            double inside = 0, clip = 0;
            for (int i = 0; i < counts.Length; i++)
            {
                if (counts[i] == 0) continue;
                double c = Math.Clamp(h.Centre(i), h.Min, h.Max);
                if (c < lo) clip += counts[i] * (lo - c) * (lo - c);
                else if (c > hi) clip += counts[i] * (c - hi) * (c - hi);
                else inside += counts[i];
            }
            double err = clip + inside * step * step / 12;
            if (err < bestErr) { bestErr = err; bestA = a; }
        }
        return (bestA * min, bestA * max);
    }
}
