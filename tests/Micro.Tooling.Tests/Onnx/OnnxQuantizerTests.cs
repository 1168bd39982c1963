using Micro.Runtime.Format;
using Micro.Tooling.Blob;
using Micro.Tooling.Calibration;
using Micro.Tooling.Graph;
using Micro.Tooling.Onnx;
using Micro.Tooling.Running;
using static Micro.Tooling.Tests.Onnx.OnnxBuilder;

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
        var r = OnnxPack.Run(OnnxFixtures.Model("mlp"), Path.Combine(OnnxFixtures.Dir, "mlp_calib.npy"),
            new OnnxPackOptions { Calibration = new CalibrationOptions { Method = CalibrationMethod.Percentile }, MaxCalibrationSamples = 40 });
        Assert.AreEqual(40, r.CalibrationSamples);
        CollectionAssert.AreEqual(new byte[] { 0x4D, 0x43, 0x52, 0x4F }, r.Blob.Take(4).ToArray());
        // Per-layer verification pairs tensors by name.
        foreach (var t in r.Quantized.Tensors) Assert.IsTrue(r.Float.Tensors.ContainsKey(t.Name), t.Name);
    }

    [TestMethod]
    public void WrongCalibrationShapeNamesTheExpectedShape()
    {
        var e = Assert.ThrowsExactly<Micro.Tooling.Data.DataFormatException>(() =>
            OnnxPack.Run(OnnxFixtures.Model("mlp"), Path.Combine(OnnxFixtures.Dir, "autoenc_calib.npy")));
        StringAssert.Contains(e.Message, "[N,4,16]");
    }
}
