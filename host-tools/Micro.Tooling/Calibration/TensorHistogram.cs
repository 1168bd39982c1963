namespace Micro.Tooling.Calibration;

/// <summary>Running statistics of one tensor's values over a calibration set: exact min, max and count, and a
/// histogram of 2·<see cref="HalfBins"/> equal bins over [−Range, Range]. When a value falls outside, the
/// range doubles and pairs of bins merge, which is exact (bin edges stay aligned), so the histogram never
/// needs a second pass over the data.</summary>
public sealed class TensorHistogram
{
    public TensorHistogram(int halfBins = 2048)
    {
        if (halfBins < 16 || halfBins % 2 != 0) throw new ArgumentOutOfRangeException(nameof(halfBins), "an even number ≥ 16");
        HalfBins = halfBins;
        Counts = new long[2 * halfBins];
    }

    public int HalfBins { get; }
    /// <summary>Bin i covers [−Range + i·BinWidth, −Range + (i+1)·BinWidth).</summary>
    public long[] Counts { get; }
    public double Range { get; private set; }
    public double BinWidth => Range / HalfBins;
    public float Min { get; private set; } = float.PositiveInfinity;
    public float Max { get; private set; } = float.NegativeInfinity;
    public long Count { get; private set; }
    /// <summary>How many values were exactly 0 (ReLU outputs have many).</summary>
    public long Zeros { get; private set; }

    public void Add(ReadOnlySpan<float> values)
    {
        if (values.Length == 0) return;
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) throw new ArgumentException("calibration values must be finite (got " + v + ")");
            if (v < lo) lo = v;
            if (v > hi) hi = v;
        }
        Min = Math.Min(Min, lo);
        Max = Math.Max(Max, hi);
        double need = Math.Max(Math.Abs(lo), Math.Abs(hi));
        if (Range == 0)
        {
            // A power of two, so later doublings keep round numbers.
            Range = Math.Pow(2, Math.Ceiling(Math.Log2(Math.Max(need, 1e-6))));
            if (Range < need) Range *= 2;
        }
        while (need >= Range) Grow();
        double inv = HalfBins / Range;
        int last = Counts.Length - 1;
        foreach (float v in values)
        {
            int i = (int)Math.Floor((v + Range) * inv);
            Counts[Math.Clamp(i, 0, last)]++;
            if (v == 0) Zeros++;
        }
        Count += values.Length;
    }

    private void Grow()
    {
        var merged = new long[Counts.Length];
        for (int i = 0; i < Counts.Length; i++) merged[(i + HalfBins) / 2] += Counts[i];
        Array.Copy(merged, Counts, Counts.Length);
        Range *= 2;
    }

    /// <summary>Centre of bin i.</summary>
    public double Centre(int i) => -Range + (i + 0.5) * BinWidth;

    /// <summary>The value below which a fraction <paramref name="q"/> of the values lie (linear within a bin),
    /// kept inside [Min, Max].</summary>
    public double Quantile(double q)
    {
        if (Count == 0) throw new InvalidOperationException("empty histogram");
        double target = Math.Clamp(q, 0, 1) * Count;
        double acc = 0;
        for (int i = 0; i < Counts.Length; i++)
        {
            if (Counts[i] == 0) continue;
            if (acc + Counts[i] >= target)
            {
                double frac = (target - acc) / Counts[i];
                double v = -Range + (i + frac) * BinWidth;
                return Math.Clamp(v, Min, Max);
            }
            acc += Counts[i];
        }
        return Max;
    }

    /// <summary>Histogram of |x|: HalfBins bins over [0, Range); without the exact zeros when
    /// <paramref name="skipZeros"/> (they all sit in bin 0).</summary>
    public long[] AbsoluteCounts(bool skipZeros = false)
    {
        var a = new long[HalfBins];
        for (int i = 0; i < HalfBins; i++) a[i] = Counts[HalfBins + i] + Counts[HalfBins - 1 - i];
        if (skipZeros) a[0] -= Zeros;
        return a;
    }
}
