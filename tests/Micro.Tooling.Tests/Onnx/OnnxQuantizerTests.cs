using Micro.Runtime.Format;
using Micro.Tooling.Blob;
using Micro.Tooling.Calibration;
using Micro.Tooling.Graph;
using Micro.Tooling.Onnx;
using Micro.Tooling.Packing;
using Micro.Tooling.Running;
using static Micro.TestSupport.OnnxBuilder;

namespace Micro.Tooling.Tests.Onnx;

[TestClass]
public sealed class OnnxQuantizerTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void QuantMathMatchesTfLiteDefinitions()
    {
        Assert.AreEqual((1 << 30, 0), QuantMath.QuantizeMultiplier(0.5));
        Assert.AreEqual((1 << 30, 1), QuantMath.QuantizeMultiplier(1.0));
        Assert.AreEqual((1610612736, 0), QuantMath.QuantizeMultiplier(0.75));
        Assert.AreEqual((1 << 30, -9), QuantMath.QuantizeMultiplier(1.0 / 1024));
        Assert.AreEqual((0, 0), QuantMath.QuantizeMultiplier(1e-12));
        Assert.AreEqual((0.6, -1), QuantMath.Frexp(0.3));
        Assert.AreEqual((1f / 255, -128), QuantMath.ChooseParams(0, 1));
        var (s, z) = QuantMath.ChooseParams(-1, 3);
        Assert.AreEqual(4f / 255, s);
        Assert.AreEqual(-64, z); // −128 + 1/(4/255) = −64.25 → −64
        // Sigmoid/Tanh input scaling for an input scale of 1/16: 2^-4 · 2^27 = 2^23 → multiplier 2^30, shift 24,
        // radius floor(15 · 2^27 / 2^24) = 120.
        Assert.AreEqual((1 << 30, 24, 120), QuantMath.SigmoidTanhInput(1f / 16));
        // ReLU6 in an output of scale 6/255 and zero point −128: [−128, 127].
        Assert.AreEqual((-128, 127), QuantMath.ActivationRange(0, 6, 6f / 255, -128));
        Assert.AreEqual((-128, -128 + 51), QuantMath.ActivationRange(0, 6, 30f / 255, -128));
    }

    private static (FloatGraph Graph, Dictionary<string, TensorRange> Ranges) Calibrated(string fixture)
    {
        var g = OnnxImporter.Import(OnnxFixtures.Model(fixture));
        var cal = new ActivationCalibrator(g);
        var x = OnnxFixtures.Npy(fixture, "calib");
        for (int i = 0; i < x.Samples; i++) cal.AddOnnxSample(x.Sample(i));
        return (g, cal.Ranges(new CalibrationOptions()));
    }

    [TestMethod]
    [DataRow("ppg1d")]
    [DataRow("dscnn2d")]
    [DataRow("mlp")]
    [DataRow("autoenc")]
    [DataRow("layout")]
    public void FixturesQuantizeToBlobs(string fixture)
    {
        var (g, ranges) = Calibrated(fixture);
        var q = OnnxQuantizer.Quantize(g, ranges, new OnnxQuantizeOptions { Name = fixture });
        Assert.AreEqual(g.Nodes.Count(n => n.Op != FloatOp.FakeQuantize), q.Ops.Count);
        foreach (var op in q.Ops.OfType<QWeightedOp>())
        {
            Assert.IsTrue(op.Weights.All(w => w >= -127), op.Name);
            Assert.IsTrue(op.Weights.Any(w => w == 127 || w == -127), $"{op.Name}: each layer uses the full weight range");
            Assert.IsTrue(op.Shifts.All(s => s is >= -31 and <= 30), op.Name);
            Assert.IsTrue(op.ActMin <= op.ActMax);
        }
        foreach (var t in q.Tensors) Assert.IsTrue(t.Scale > 0 && t.ZeroPoint is >= -128 and <= 127, t.ToString());
        foreach (var op in q.Ops.OfType<QSimpleOp>().Where(o => o.Code is OpCodes.MaxPool or OpCodes.AveragePool or OpCodes.Reshape or OpCodes.Concatenation or OpCodes.Pad))
            foreach (var i in op.Inputs)
                Assert.AreEqual((i.Scale, i.ZeroPoint), (op.Output.Scale, op.Output.ZeroPoint), $"{op.Name} keeps the quantization");
        var blob = BlobEmitter.Emit(q);
        TestContext.WriteLine($"{fixture}: {q.Ops.Count} ops, blob {blob.Length} bytes");
        Assert.IsGreaterThan(64, blob.Length);
    }

    [TestMethod]
    public void QdqScaleIsKept()
    {
        var (g, ranges) = Calibrated("layout");
        var q = OnnxQuantizer.Quantize(g, ranges);
        var fq = g.Nodes.OfType<FakeQuantizeNode>().Single();
        var t = q.Tensors.Single(x => x.Name == fq.Inputs[0]);
        Assert.AreEqual(0.05f, t.Scale);
        Assert.AreEqual(fq.QMin == 0 ? 10 - 128 : 10, t.ZeroPoint, "uint8 zero point 10 becomes int8 −118");
    }

    [TestMethod]
    public void FullyConnectedModelRunsOnTheRuntimeCloseToFloat()
    {
        // y = Gemm(relu(Gemm(x))) with 16 inputs, 24 hidden, 4 outputs; the runtime's FC kernel runs it.
        var b = new OnnxBuilder().Input("x", 1, 16).Output("y", 1, 4)
            .Init("w1", new[] { 24, 16 }, Random(24 * 16, 11).Select(v => v * 0.5f).ToArray())
            .Init("b1", new[] { 24 }, Random(24, 12).Select(v => v * 0.2f).ToArray())
            .Init("w2", new[] { 4, 24 }, Random(4 * 24, 13).Select(v => v * 0.5f).ToArray())
            .Init("b2", new[] { 4 }, Random(4, 14))
            .Node("Gemm", new[] { "x", "w1", "b1" }, new[] { "h" }, "fc1", Int("transB", 1))
            .Node("Relu", new[] { "h" }, new[] { "r" }, "relu")
            .Node("Gemm", new[] { "r", "w2", "b2" }, new[] { "y" }, "fc2", Int("transB", 1));
        var g = OnnxImporter.Import(b.Bytes());
        var cal = new ActivationCalibrator(g);
        var rnd = new Random(21);
        float[] Sample() => Enumerable.Range(0, 16).Select(_ => (float)(rnd.NextDouble() * 4 - 2)).ToArray();
        for (int i = 0; i < 200; i++) cal.AddOnnxSample(Sample());
        var q = OnnxQuantizer.Quantize(g, cal.Ranges(new CalibrationOptions()));
        var runner = new BlobRunner(BlobEmitter.Emit(q));
        var exec = new FloatExecutor(g);
        var tests = Enumerable.Range(0, 100).Select(_ => Sample()).ToArray();
        var got = runner.RunFloat(tests);
        double maxErr = 0, range = 0;
        int agree = 0;
        for (int s = 0; s < tests.Length; s++)
        {
            var want = exec.RunOnnx(tests[s])[0];
            for (int i = 0; i < 4; i++) { maxErr = Math.Max(maxErr, Math.Abs(want[i] - got[s][i])); range = Math.Max(range, Math.Abs(want[i])); }
            if (Array.IndexOf(want, want.Max()) == Array.IndexOf(got[s], got[s].Max())) agree++;
        }
        TestContext.WriteLine($"int8 vs float: max abs error {maxErr:F4} of outputs up to {range:F3}; top-1 agreement {agree}/100");
        Assert.IsLessThan(0.03 * range, maxErr);
        Assert.IsGreaterThanOrEqualTo(95, agree);
    }

    [TestMethod]
    public void UnfoldableAffineIsReportedWithItsSource()
    {
        var (g, ranges) = Calibrated("coverage");
        var e = Assert.ThrowsExactly<OnnxUnsupportedException>(() => OnnxQuantizer.Quantize(g, ranges));
        StringAssert.Contains(e.Message, "(Sub)");
    }
}

[TestClass]
public sealed class OnnxPackTests
{
    [TestMethod]
    public void PacksAFixtureFromItsCalibrationFile()
    {
        var r = Packer.Pack(new PackOptions
        {
            Model = OnnxFixtures.Model("mlp"),
            Calibration = Path.Combine(OnnxFixtures.Dir, "mlp_calib.npy"),
            Method = CalibrationMethod.Percentile,
            MaxCalibrationSamples = 40
        });
        Assert.AreEqual(40, r.CalibrationSamples);
        CollectionAssert.AreEqual(new byte[] { 0x4D, 0x43, 0x52, 0x4F }, r.Blob.Take(4).ToArray());
        // Per-layer verification pairs tensors by name.
        foreach (var t in r.Graph.Tensors) Assert.IsTrue(r.Float!.Tensors.ContainsKey(t.Name), t.Name);
    }

    [TestMethod]
    public void WrongCalibrationShapeNamesTheExpectedShape()
    {
        var e = Assert.ThrowsExactly<Micro.Tooling.Data.DataFormatException>(() =>
            Packer.Pack(new PackOptions { Model = OnnxFixtures.Model("mlp"), Calibration = Path.Combine(OnnxFixtures.Dir, "autoenc_calib.npy") }));
        StringAssert.Contains(e.Message, "[N,4,16]");
    }
}

/// <summary>Convolution models through the whole path and the runtime's own kernels: import, calibrate,
/// quantize, emit, load, run; the int8 outputs must follow the float reference.</summary>
[TestClass]
public sealed class OnnxRuntimeEndToEndTests
{
    public TestContext TestContext { get; set; } = null!;

    private static float[] Scaled(int n, int seed, float s) => Random(n, seed).Select(v => v * s).ToArray();

    private void Check(byte[] onnx, Func<Random, float[]> sample)
    {
        var g = OnnxImporter.Import(onnx);
        var rnd = new Random(5);
        var calib = Enumerable.Range(0, 64).Select(_ => sample(rnd)).ToArray();
        var r = Packer.Pack(g, calib, new PackOptions { Model = "in-memory" });
        var runner = new BlobRunner(r.Blob);
        var exec = new FloatExecutor(g);
        var tests = Enumerable.Range(0, 40).Select(_ => sample(rnd)).ToArray();
        var got = runner.RunFloat(tests.Select(t => g.Inputs[0].ToPhysical(t)).ToArray());
        double maxErr = 0, range = 0, errSq = 0, sigSq = 0;
        int agree = 0;
        for (int s = 0; s < tests.Length; s++)
        {
            var want = g.Outputs[0].ToPhysical(exec.RunOnnx(tests[s])[0]);
            for (int i = 0; i < want.Length; i++)
            {
                double e = want[i] - got[s][i];
                maxErr = Math.Max(maxErr, Math.Abs(e));
                range = Math.Max(range, Math.Abs(want[i]));
                errSq += e * e;
                sigSq += (double)want[i] * want[i];
            }
            if (Array.IndexOf(want, want.Max()) == Array.IndexOf(got[s], got[s].Max())) agree++;
        }
        double sqnr = 10 * Math.Log10(sigSq / errSq);
        TestContext.WriteLine(r.Float!.Describe());
        TestContext.WriteLine($"int8 vs float: SQNR {sqnr:F1} dB, max abs error {maxErr:F4} of outputs up to {range:F3}; top-1 agreement {agree}/{tests.Length}");
        // A wrong weight or tensor layout gives noise (SQNR near 0 dB); int8 rounding through four layers
        // leaves well over 25 dB.
        Assert.IsGreaterThan(25.0, sqnr);
        Assert.IsLessThan(0.1 * range, maxErr);
        Assert.IsGreaterThanOrEqualTo(tests.Length * 9 / 10, agree);
    }

    private static float[] Wave(Random r, int n)
    {
        double f = 0.05 + r.NextDouble() * 0.2, ph = r.NextDouble() * 6.28;
        return Enumerable.Range(0, n).Select(i => (float)(Math.Sin(f * i + ph) + 0.2 * (r.NextDouble() - 0.5))).ToArray();
    }

    [TestMethod]
    public void Conv1DModelRunsOnTheRuntime()
    {
        // [1,2,40] NCW → Conv(2→6, k5, stride 2, pad 2) + ReLU → depthwise Conv(6→12, k3, dilation 2, pad 2)
        // → Conv(12→8, k1) + Clip(0,6) → Flatten → Gemm(8·20 → 3)
        var b = new OnnxBuilder().Input("x", 1, 2, 40).Output("y", 1, 3)
            .Init("w1", new[] { 6, 2, 5 }, Scaled(60, 1, 0.5f)).Init("b1", new[] { 6 }, Scaled(6, 2, 0.1f))
            .Init("w2", new[] { 12, 1, 3 }, Scaled(36, 3, 0.8f)).Init("b2", new[] { 12 }, Scaled(12, 4, 0.1f))
            .Init("w3", new[] { 8, 12, 1 }, Scaled(96, 5, 0.4f)).Init("b3", new[] { 8 }, Scaled(8, 6, 0.1f))
            .Init("w4", new[] { 3, 160 }, Scaled(480, 7, 0.2f)).Init("b4", new[] { 3 }, Scaled(3, 8, 0.1f))
            .Node("Conv", new[] { "x", "w1", "b1" }, new[] { "c1" }, "conv1", Ints("strides", 2), Ints("pads", 2, 2))
            .Node("Relu", new[] { "c1" }, new[] { "r1" })
            .Node("Conv", new[] { "r1", "w2", "b2" }, new[] { "c2" }, "dw", Int("group", 6), Ints("dilations", 2), Ints("pads", 2, 2))
            .Node("Conv", new[] { "c2", "w3", "b3" }, new[] { "c3" }, "pw")
            .Node("Clip", new[] { "c3", "lo", "hi" }, new[] { "r3" }, "relu6")
            .Init("lo", Array.Empty<int>(), new[] { 0f }).Init("hi", Array.Empty<int>(), new[] { 6f })
            .Node("Flatten", new[] { "r3" }, new[] { "f" })
            .Node("Gemm", new[] { "f", "w4", "b4" }, new[] { "y" }, "fc", Int("transB", 1));
        Check(b.Bytes(), r => Wave(r, 40).Concat(Wave(r, 40)).ToArray());
    }

    [TestMethod]
    public void Conv2DModelRunsOnTheRuntime()
    {
        // [1,1,12,8] NCHW → Conv(1→8, 3×3, pad 1) + ReLU → depthwise Conv(8→8, 3×3, stride 2, SAME_UPPER)
        // → Conv(8→4, 1×1) → Flatten (channels-last reorder into the Gemm) → Gemm(4·6·4 → 5)
        var b = new OnnxBuilder().Input("x", 1, 1, 12, 8).Output("y", 1, 5)
            .Init("w1", new[] { 8, 1, 3, 3 }, Scaled(72, 11, 0.6f)).Init("b1", new[] { 8 }, Scaled(8, 12, 0.1f))
            .Init("w2", new[] { 8, 1, 3, 3 }, Scaled(72, 13, 0.6f)).Init("b2", new[] { 8 }, Scaled(8, 14, 0.1f))
            .Init("w3", new[] { 4, 8, 1, 1 }, Scaled(32, 15, 0.5f)).Init("b3", new[] { 4 }, Scaled(4, 16, 0.1f))
            .Init("w4", new[] { 5, 96 }, Scaled(480, 17, 0.3f)).Init("b4", new[] { 5 }, Scaled(5, 18, 0.1f))
            .Node("Conv", new[] { "x", "w1", "b1" }, new[] { "c1" }, "conv1", Ints("pads", 1, 1, 1, 1))
            .Node("Relu", new[] { "c1" }, new[] { "r1" })
            .Node("Conv", new[] { "r1", "w2", "b2" }, new[] { "c2" }, "dw", Int("group", 8), Ints("strides", 2, 2), Str("auto_pad", "SAME_UPPER"))
            .Node("Conv", new[] { "c2", "w3", "b3" }, new[] { "c3" }, "pw")
            .Node("Flatten", new[] { "c3" }, new[] { "f" })
            .Node("Gemm", new[] { "f", "w4", "b4" }, new[] { "y" }, "fc", Int("transB", 1));
        Check(b.Bytes(), r => Wave(r, 96));
    }
}

/// <summary>The PyTorch fixtures packed and run on the runtime: the int8 blob must agree with the float
/// reference on the fixtures' test inputs.</summary>
[TestClass]
public sealed class FixtureRuntimeTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("ppg1d", 37.0)]
    [DataRow("dscnn2d", 33.0)]
    [DataRow("mlp", 36.0)]
    [DataRow("autoenc", 35.0)]
    [DataRow("layout", 24.0)]
    public void PackedFixtureFollowsTheFloatModel(string fixture, double minSqnr) =>
        Check(fixture, minSqnr, new CalibrationOptions());

    [TestMethod]
    [DataRow(CalibrationMethod.Percentile)]
    [DataRow(CalibrationMethod.Entropy)]
    [DataRow(CalibrationMethod.Mse)]
    public void EveryCalibrationMethodPacksAWorkingModel(CalibrationMethod method) =>
        Check("ppg1d", 35.0, new CalibrationOptions { Method = method });

    private void Check(string fixture, double minSqnr, CalibrationOptions calibration)
    {
        var r = Packer.Pack(new PackOptions
        {
            Model = OnnxFixtures.Model(fixture),
            Calibration = Path.Combine(OnnxFixtures.Dir, fixture + "_calib.npy"),
            Method = calibration.Method,
            Percentile = calibration.Percentile
        });
        var g = r.Float!;
        var runner = new BlobRunner(r.Blob, earlyExit: false);
        var exec = new FloatExecutor(g);
        var x = OnnxFixtures.Npy(fixture, "test");
        double errSq = 0, sigSq = 0;
        int agree = 0;
        for (int s = 0; s < x.Samples; s++)
        {
            var sample = x.Sample(s);
            var want = exec.Run(g.Inputs[0].ToPhysical(sample))[g.Outputs[0].Tensor];
            var got = runner.RunFloat(new[] { g.Inputs[0].ToPhysical(sample) })[0];
            Assert.HasCount(want.Length, got);
            for (int i = 0; i < want.Length; i++)
            {
                double e = want[i] - got[i];
                errSq += e * e;
                sigSq += (double)want[i] * want[i];
            }
            if (Array.IndexOf(want, want.Max()) == Array.IndexOf(got, got.Max())) agree++;
        }
        double sqnr = 10 * Math.Log10(sigSq / Math.Max(errSq, 1e-30));
        TestContext.WriteLine($"{fixture} ({calibration.Method}): blob {r.Blob.Length} bytes, arena {runner.Model.ArenaSize} bytes; int8 vs float SQNR {sqnr:F1} dB, top-1 agreement {agree}/{x.Samples}");
        Assert.IsGreaterThan(minSqnr, sqnr);
        if (fixture != "autoenc") Assert.IsGreaterThanOrEqualTo(x.Samples - 1, agree);
    }
}
