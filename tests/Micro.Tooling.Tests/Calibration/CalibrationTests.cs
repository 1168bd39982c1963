using Micro.Tooling.Calibration;
using Micro.Tooling.Onnx;

namespace Micro.Tooling.Tests.Calibration;

/// <summary>Range calibration on distributions whose answers are known.</summary>
[TestClass]
public sealed class CalibrationTests
{
    public TestContext TestContext { get; set; } = null!;

    private static float[] Gaussian(int n, int seed)
    {
        var r = new Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++)
            v[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble()));
        return v;
    }

    private static float[] Laplace(int n, int seed)
    {
        var r = new Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++)
        {
            double u = r.NextDouble() - 0.5;
            v[i] = (float)(-Math.Sign(u) * Math.Log(1 - 2 * Math.Abs(u)));
        }
        return v;
    }

    private static TensorHistogram Hist(float[] v, int chunks = 10)
    {
        var h = new TensorHistogram();
        int step = v.Length / chunks;
        for (int c = 0; c < chunks; c++) h.Add(v.AsSpan(c * step, step)); // several batches, so the range grows
        return h;
    }

    [TestMethod]
    public void HistogramMergesBinsExactlyWhenTheRangeGrows()
    {
        var h = new TensorHistogram(16);
        h.Add(new[] { 0.1f, -0.2f, 0.3f });
        double r0 = h.Range;
        h.Add(new[] { 5f * (float)r0 });
        Assert.AreEqual(4, h.Count);
        Assert.AreEqual(4L, h.Counts.Sum());
        Assert.IsGreaterThanOrEqualTo(5 * r0, h.Range);
        Assert.AreEqual(-0.2f, h.Min);
        Assert.AreEqual(5f * (float)r0, h.Max);
        // Same bins as when all values come at once (the range then starts at its final size).
        var once = new TensorHistogram(16);
        once.Add(new[] { 0.1f, -0.2f, 0.3f, 5f * (float)r0 });
        Assert.AreEqual(once.Range, h.Range);
        CollectionAssert.AreEqual(once.Counts, h.Counts);
        Assert.AreEqual(1L, h.Counts[h.HalfBins - 1], "-0.2 in the bin left of zero");
    }

    [TestMethod]
    public void MinMaxIsTheObservedRange()
    {
        var v = Gaussian(100_000, 1);
        var r = RangeCalibrator.Range(Hist(v), new CalibrationOptions { Method = CalibrationMethod.MinMax });
        Assert.AreEqual(v.Min(), r.Min);
        Assert.AreEqual(v.Max(), r.Max);
        // Non-negative data (after ReLU): the range still starts at 0.
        var relu = RangeCalibrator.Range(Hist(v.Select(x => Math.Max(x, 0.5f)).ToArray()), new CalibrationOptions());
        Assert.AreEqual(0f, relu.Min);
    }

    [TestMethod]
    public void PercentileOfAGaussian()
    {
        var h = Hist(Gaussian(1_000_000, 2));
        var r = RangeCalibrator.Range(h, new CalibrationOptions { Method = CalibrationMethod.Percentile, Percentile = 99.99 });
        // Φ⁻¹(0.9999) = 3.719
        Assert.AreEqual(3.719, r.Max, 0.1);
        Assert.AreEqual(-3.719, r.Min, 0.1);
        var r99 = RangeCalibrator.Range(h, new CalibrationOptions { Method = CalibrationMethod.Percentile, Percentile = 99 });
        Assert.AreEqual(2.326, r99.Max, 0.03); // Φ⁻¹(0.99)
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            RangeCalibrator.Range(h, new CalibrationOptions { Method = CalibrationMethod.Percentile, Percentile = 40 }));
    }

    [TestMethod]
    public void EntropyIgnoresRareOutliersAndKeepsAUniformRange()
    {
        // Gaussian with 0.005 % of outliers at ±60: min-max would spend the int8 range on them.
        var v = Gaussian(400_000, 3);
        for (int i = 0; i < 20; i++) v[i * 997] = i % 2 == 0 ? 60f : -60f;
        var h = Hist(v);
        double t = RangeCalibrator.EntropyThreshold(h);
        TestContext.WriteLine($"entropy threshold for N(0,1) + outliers: {t:F3}");
        Assert.IsGreaterThan(2.5, t);
        Assert.IsLessThan(8.0, t);

        var u = new Random(4);
        var uni = Enumerable.Range(0, 200_000).Select(_ => (float)(u.NextDouble() * 2 - 1)).ToArray();
        var ru = RangeCalibrator.Range(Hist(uni), new CalibrationOptions { Method = CalibrationMethod.Entropy });
        TestContext.WriteLine($"entropy range for U(-1,1): {ru}");
        Assert.IsGreaterThan(0.9f, ru.Max);
        Assert.IsLessThan(-0.9f, ru.Min);
    }

    [TestMethod]
    public void EntropyOnReluOutputsIgnoresTheSpikeAtZero()
    {
        // ReLU of N(0,1): half the values are exactly 0. Counting them, the KL search would pick the smallest
        // candidate threshold (128 bins, here about 0.25); without them it lands where it does for |N(0,1)|.
        var v = Gaussian(400_000, 7).Select(x => Math.Max(x, 0f)).ToArray();
        var h = Hist(v);
        Assert.IsGreaterThan(150_000L, h.Zeros);
        double t = RangeCalibrator.EntropyThreshold(h);
        TestContext.WriteLine($"entropy threshold for ReLU(N(0,1)): {t:F3}");
        Assert.IsGreaterThan(2.5, t);
        Assert.IsLessThanOrEqualTo((double)h.Max + h.BinWidth, t);
    }

    [TestMethod]
    public void MseClipsALaplacianWhereTheoryPutsIt()
    {
        // For 8-bit quantization of Laplace(0, b) the MSE-optimal clipping is α ≈ 9.89·b (Banner et al., ACIQ).
        var h = Hist(Laplace(2_000_000, 5));
        var r = RangeCalibrator.Range(h, new CalibrationOptions { Method = CalibrationMethod.Mse });
        TestContext.WriteLine($"MSE range for Laplace(1): {r} (min-max [{h.Min}, {h.Max}])");
        Assert.AreEqual(9.89, (r.Max - r.Min) / 2, 1.0);
        Assert.IsLessThan(h.Max, r.Max);

        // A uniform distribution has no tails worth clipping.
        var u = new Random(6);
        var uni = Enumerable.Range(0, 200_000).Select(_ => (float)(u.NextDouble() * 2 - 1)).ToArray();
        var ru = RangeCalibrator.Range(Hist(uni), new CalibrationOptions { Method = CalibrationMethod.Mse });
        Assert.IsGreaterThan(0.97f, ru.Max);
    }

    [TestMethod]
    public void CalibratesEveryTensorOfAFixture()
    {
        var g = OnnxImporter.Import(OnnxFixtures.Model("ppg1d"));
        var cal = new ActivationCalibrator(g);
        var x = OnnxFixtures.Npy("ppg1d", "calib");
        for (int i = 0; i < x.Samples; i++) cal.AddOnnxSample(x.Sample(i));
        Assert.AreEqual(32, cal.Samples);
        foreach (var method in Enum.GetValues<CalibrationMethod>())
        {
            var ranges = cal.Ranges(new CalibrationOptions { Method = method });
            Assert.HasCount(g.Nodes.Count + 1, ranges);
            var mm = cal.Ranges(new CalibrationOptions { Method = CalibrationMethod.MinMax });
            foreach (var (name, r) in ranges)
            {
                Assert.IsLessThanOrEqualTo(0f, r.Min, name);
                Assert.IsGreaterThan(0f, r.Max, name);
                Assert.IsGreaterThanOrEqualTo(mm[name].Min - 1e-6f, r.Min, $"{method} {name} inside min-max");
                Assert.IsLessThanOrEqualTo(mm[name].Max + 1e-6f, r.Max, $"{method} {name} inside min-max");
            }
            // Fused ReLU outputs are non-negative; ReLU6 ones end at 6 at most.
            foreach (var n in g.Nodes.Where(n => n.ActMin == 0)) Assert.AreEqual(0f, ranges[n.Output].Min, n.Name);
            foreach (var n in g.Nodes.Where(n => n.ActMax == 6)) Assert.IsLessThanOrEqualTo(6f, ranges[n.Output].Max, n.Name);
        }
    }
}
