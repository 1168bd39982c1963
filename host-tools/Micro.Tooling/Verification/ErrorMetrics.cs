namespace Micro.Tooling.Verification;

/// <summary>
/// How far quantized values are from the float reference, over all samples of one tensor:
///   SQNR = 10·log10(Σ ref² / Σ (ref − q)²)            (signal to quantization noise, dB)
///   PSNR = 10·log10(max|ref|² / mean (ref − q)²)        (dB)
///   cosine = Σ ref·q / (‖ref‖·‖q‖), max abs error, mean abs error.
/// Infinity when the two agree exactly.
/// </summary>
public sealed record ErrorMetrics(double SqnrDb, double PsnrDb, double Cosine, double MaxAbsError, double MeanAbsError, int Count)
{
    public static ErrorMetrics Compute(IReadOnlyList<float[]> reference, IReadOnlyList<float[]> quantized)
    {
        if (reference.Count != quantized.Count) throw new ArgumentException($"{reference.Count} reference samples but {quantized.Count} quantized ones");
        double signal = 0, noise = 0, dot = 0, qq = 0, maxAbs = 0, sumAbs = 0, peak = 0;
        int n = 0;
        for (int s = 0; s < reference.Count; s++)
        {
            var r = reference[s];
            var q = quantized[s];
            if (r.Length != q.Length) throw new ArgumentException($"sample {s}: {r.Length} reference values but {q.Length} quantized ones");
            for (int i = 0; i < r.Length; i++)
            {
                double e = (double)r[i] - q[i];
                signal += (double)r[i] * r[i];
                noise += e * e;
                dot += (double)r[i] * q[i];
                qq += (double)q[i] * q[i];
                maxAbs = Math.Max(maxAbs, Math.Abs(e));
                sumAbs += Math.Abs(e);
                peak = Math.Max(peak, Math.Abs(r[i]));
                n++;
            }
        }
        double sqnr = noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / noise);
        double psnr = noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(peak * peak / (noise / n));
        double cos = signal == 0 || qq == 0 ? (signal == qq ? 1 : 0) : dot / Math.Sqrt(signal * qq);
        return new ErrorMetrics(sqnr, psnr, cos, maxAbs, n == 0 ? 0 : sumAbs / n, n);
    }

    /// <summary>Share of samples whose arg-max agrees.</summary>
    public static double Top1Agreement(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b)
    {
        if (a.Count == 0) return 1;
        int same = 0;
        for (int s = 0; s < a.Count; s++) if (ArgMax(a[s]) == ArgMax(b[s])) same++;
        return (double)same / a.Count;
    }

    /// <summary>Share of samples whose arg-max equals the label.</summary>
    public static double Accuracy(IReadOnlyList<float[]> outputs, IReadOnlyList<long> labels)
    {
        if (outputs.Count != labels.Count) throw new ArgumentException($"{outputs.Count} samples but {labels.Count} labels");
        if (outputs.Count == 0) return 1;
        int ok = 0;
        for (int s = 0; s < outputs.Count; s++) if (ArgMax(outputs[s]) == labels[s]) ok++;
        return (double)ok / outputs.Count;
    }

    /// <summary>Counts [true class][predicted class], the prediction being the arg-max of each output.</summary>
    public static int[][] Confusion(IReadOnlyList<float[]> outputs, IReadOnlyList<long> labels, int classes)
    {
        if (outputs.Count != labels.Count) throw new ArgumentException($"{outputs.Count} samples but {labels.Count} labels");
        var m = Enumerable.Range(0, classes).Select(_ => new int[classes]).ToArray();
        for (int s = 0; s < outputs.Count; s++) m[labels[s]][ArgMax(outputs[s])]++;
        return m;
    }

    public static int ArgMax(float[] v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
