using Micro.Runtime.Format;
using Micro.Tooling.Calibration;
using Micro.Tooling.Graph;
using Micro.Tooling.Onnx;
using Micro.Tooling.Packing;
using Micro.Tooling.Verification;
using static Micro.TestSupport.OnnxBuilder;

namespace Micro.Tooling.Tests.Onnx;

/// <summary>
/// Issue 13's element-wise and activation ops from ONNX: the PyTorch-exported fixtures (make_act_fixtures.py)
/// run in float as PyTorch does and pack and verify at ≥ 98 % top-1 agreement and ≥ 30 dB output SQNR;
/// SiLU, HardSwish and both GELUs fuse into one lookup table each; squeeze-excite gates become MUL.
/// </summary>
[TestClass]
public sealed class ActivationOpsTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("mbv3se", "mbv3se")]
    [DataRow("mbv3se_op14", "mbv3se")]
    [DataRow("silunet", "silunet")]
    public void FloatExecutorMatchesPyTorch(string model, string data)
    {
        var g = OnnxImporter.Import(OnnxFixtures.Model(model));
        TestContext.WriteLine(g.Describe());
        var x = OnnxFixtures.Npy(data, "test");
        var want = OnnxFixtures.Npy(data, "test_out");
        var exec = new FloatExecutor(g);
        double maxErr = 0, maxAbs = 0;
        for (int s = 0; s < x.Samples; s++)
        {
            var got = exec.RunOnnx(x.Sample(s))[0];
            var w = want.Sample(s);
            for (int i = 0; i < w.Length; i++)
            {
                maxErr = Math.Max(maxErr, Math.Abs(got[i] - w[i]));
                maxAbs = Math.Max(maxAbs, Math.Abs(w[i]));
            }
        }
        TestContext.WriteLine($"{model}: max abs error {maxErr:E3} (outputs up to {maxAbs:F3})");
        Assert.IsLessThan(1e-4, maxErr, $"{model}: max abs error {maxErr}");
        Assert.IsGreaterThan(0.5, maxAbs);
    }

    /// <summary>(model, data, LUTs, MULs, SUBs) as the importer should lower them.</summary>
    [TestMethod]
    [DataRow("mbv3se", "mbv3se", 7, 2, 0)]      // 5 HardSwish (HardSigmoid + Mul fused) + 2 HardSigmoid gates; 2 gate MULs
    [DataRow("mbv3se_op14", "mbv3se", 7, 2, 0)] // the HardSwish node itself
    [DataRow("silunet", "silunet", 4, 1, 1)]    // SiLU, GELU (erf), GELU (tanh), SiLU; the gated branch MUL; the broadcasting SUB
    public void FixturesPackAndVerify(string model, string data, int luts, int muls, int subs)
    {
        var r = Packer.Pack(new PackOptions { Model = OnnxFixtures.Model(model), Calibration = Path.Combine(OnnxFixtures.Dir, data + "_calib.npy") });
        int Count(int code) => r.Graph.Ops.Count(o => o.OpCode == code);
        Assert.AreEqual(luts, Count(OpCodes.Lut), "LUT ops");
        Assert.AreEqual(muls, Count(OpCodes.Mul), "MUL ops");
        Assert.AreEqual(subs, Count(OpCodes.Sub), "SUB ops");
        Assert.AreEqual(0, Count(OpCodes.Logistic) - (model == "silunet" ? 2 : 0), "sigmoids of SiLU are fused, not run");
        var v = Verifier.Run(OnnxFixtures.Model(model), r.Blob, Path.Combine(OnnxFixtures.Dir, data + "_test.npy"),
            Path.Combine(OnnxFixtures.Dir, data + "_test_labels.npy"));
        TestContext.WriteLine($"{model}: {v.Samples} samples, top-1 agreement {v.Top1Agreement:P1}, SQNR {v.Output.SqnrDb:F1} dB, " +
                              $"accuracy float {v.FloatAccuracy:P1} / int8 {v.QuantizedAccuracy:P1}; blob {r.Blob.Length} B");
        foreach (var l in v.Layers) TestContext.WriteLine($"  {l.Tensor,-40} {l.Op,-18} {l.Metrics.SqnrDb,6:F1} dB");
        Assert.IsGreaterThanOrEqualTo(0.98, v.Top1Agreement);
        Assert.IsGreaterThanOrEqualTo(30.0, v.Output.SqnrDb);
        Assert.IsGreaterThanOrEqualTo(0.95, v.QuantizedAccuracy!.Value);
    }

    /// <summary>The squeeze-excite gates' HardSigmoid output is [0, 1] by definition: a histogram method that
    /// clips it (Entropy put the first gate at 11 dB, top-1 at 24.5 %) must not shrink it.</summary>
    [TestMethod]
    [DataRow(CalibrationMethod.Entropy)]
    [DataRow(CalibrationMethod.Percentile)]
    [DataRow(CalibrationMethod.Mse)]
    public void GatesKeepTheirFixedRangeWithEveryCalibrationMethod(CalibrationMethod method)
    {
        var r = Packer.Pack(new PackOptions { Model = OnnxFixtures.Model("mbv3se"), Calibration = Path.Combine(OnnxFixtures.Dir, "mbv3se_calib.npy"), Method = method });
        var v = Verifier.Run(OnnxFixtures.Model("mbv3se"), r.Blob, Path.Combine(OnnxFixtures.Dir, "mbv3se_test.npy"),
            Path.Combine(OnnxFixtures.Dir, "mbv3se_test_labels.npy"));
        TestContext.WriteLine($"mbv3se --method {method}: top-1 agreement {v.Top1Agreement:P1}, SQNR {v.Output.SqnrDb:F1} dB");
        foreach (var l in v.Layers) TestContext.WriteLine($"  {l.Tensor,-40} {l.Op,-18} {l.Metrics.SqnrDb,6:F1} dB");
        Assert.IsGreaterThanOrEqualTo(0.98, v.Top1Agreement);
        Assert.IsGreaterThanOrEqualTo(30.0, v.Output.SqnrDb);
    }

    // ---- lowering of the patterns ----

    private static OnnxBuilder ConvThen(int channels = 2) =>
        new OnnxBuilder().Input("x", 1, 1, 4, 4).Init("w", new[] { channels, 1, 1, 1 }, Enumerable.Range(1, channels).Select(i => 0.5f * i).ToArray())
            .Node("Conv", new[] { "x", "w" }, new[] { "c" }, "conv");

    private static PointwiseNode SinglePointwise(FloatGraph g)
    {
        var pw = g.Nodes.OfType<PointwiseNode>().ToList();
        Assert.HasCount(1, pw, g.Describe());
        Assert.HasCount(2, g.Nodes, g.Describe());
        return pw[0];
    }

    [TestMethod]
    public void SiluFromSigmoidAndMulIsOneTable()
    {
        var b = ConvThen().Output("y", 1, 2, 4, 4)
            .Node("Sigmoid", new[] { "c" }, new[] { "s" }, "sig")
            .Node("Mul", new[] { "c", "s" }, new[] { "y" }, "silu");
        var p = SinglePointwise(OnnxImporter.Import(b.Bytes()));
        foreach (double v in new[] { -6.0, -1.0, 0.0, 0.5, 3.0 })
            Assert.AreEqual(v / (1 + Math.Exp(-v)), p.Function(v), 1e-12);
        StringAssert.Contains(p.Source, "'silu' (Mul)");
    }

    [TestMethod]
    public void GeluInTheErfFormIsOneTable()
    {
        // PyTorch's nn.GELU() at opset 13: x · (erf(x / √2) + 1) · 0.5.
        var b = ConvThen().Output("y", 1, 2, 4, 4)
            .Init("sqrt2", Array.Empty<int>(), new[] { 1.4142135f }).Init("one", Array.Empty<int>(), new[] { 1f }).Init("half", Array.Empty<int>(), new[] { 0.5f })
            .Node("Div", new[] { "c", "sqrt2" }, new[] { "d" })
            .Node("Erf", new[] { "d" }, new[] { "e" })
            .Node("Add", new[] { "e", "one" }, new[] { "a" })
            .Node("Mul", new[] { "c", "a" }, new[] { "m" })
            .Node("Mul", new[] { "m", "half" }, new[] { "y" });
        var p = SinglePointwise(OnnxImporter.Import(b.Bytes()));
        // GELU(1) = 0.8413447, GELU(−1) = −0.1586553, GELU(2) = 1.9544997.
        Assert.AreEqual(0.8413447, p.Function(1), 1e-6);
        Assert.AreEqual(-0.1586553, p.Function(-1), 1e-6);
        Assert.AreEqual(1.9544997, p.Function(2), 1e-6);
    }

    [TestMethod]
    public void HardSwishAsHardSigmoidTimesXIsOneTable()
    {
        var b = ConvThen().Output("y", 1, 2, 4, 4)
            .Node("HardSigmoid", new[] { "c" }, new[] { "h" }, "hs", Float("alpha", 1f / 6))
            .Node("Mul", new[] { "c", "h" }, new[] { "y" }, "hswish");
        var p = SinglePointwise(OnnxImporter.Import(b.Bytes()));
        foreach (double v in new[] { -4.0, -3.0, -1.5, 0.0, 1.0, 3.0, 5.0 })
            Assert.AreEqual(v * Math.Clamp(v + 3, 0, 6) / 6, p.Function(v), 1e-6, $"x = {v}");
    }

    [TestMethod]
    public void SqueezeExciteGateIsABroadcastingMul()
    {
        // x [1,3,4,4] · HardSigmoid(GlobalAveragePool(x)) [1,3,1,1]: a MUL of [1,4,4,3] by [1,1,1,3] on the device.
        var b = ConvThen(3).Output("y", 1, 3, 4, 4)
            .Node("GlobalAveragePool", new[] { "c" }, new[] { "p" })
            .Node("HardSigmoid", new[] { "p" }, new[] { "g" }, "gate", Float("alpha", 1f / 6))
            .Node("Mul", new[] { "c", "g" }, new[] { "y" }, "excite");
        var g = OnnxImporter.Import(b.Bytes());
        var mul = g.Nodes.OfType<BinaryNode>().Single();
        Assert.AreEqual(FloatOp.Mul, mul.Op);
        CollectionAssert.AreEqual(new[] { 1, 4, 4, 3 }, g.Tensor(mul.Inputs[0]).Shape);
        CollectionAssert.AreEqual(new[] { 1, 1, 1, 3 }, g.Tensor(mul.Inputs[1]).Shape);
        // Float result: each channel scaled by its own gate.
        var x = Enumerable.Range(0, 16).Select(i => i / 4f - 2).ToArray();
        var y = new FloatExecutor(g).RunOnnx(x)[0];
        for (int ch = 0; ch < 3; ch++)
        {
            double w = 0.5 * (ch + 1), mean = x.Average() * w, gate = Math.Clamp(mean / 6 + 0.5, 0, 1);
            for (int i = 0; i < 16; i++) Assert.AreEqual(x[i] * w * gate, y[ch * 16 + i], 1e-5);
        }
    }

    [TestMethod]
    public void BoundedTableOutputIgnoresAClippedCalibratedRange()
    {
        // Calibration says [0.4, 0.6] for every tensor; HardSigmoid's and Erf's outputs still get all of [0, 1] / [−1, 1],
        // a sigmoid at the end of a fused chain [0, 1]; a table composed after HardSigmoid (Neg) is calibrated again.
        var b = ConvThen().Output("h", 1, 2, 4, 4).Output("e", 1, 2, 4, 4).Output("s", 1, 2, 4, 4).Output("n", 1, 2, 4, 4)
            .Init("k", Array.Empty<int>(), new[] { 2f })
            .Node("HardSigmoid", new[] { "c" }, new[] { "h" }, "gate", Float("alpha", 1f / 6))
            .Node("Erf", new[] { "c" }, new[] { "e" })
            .Node("Erf", new[] { "c" }, new[] { "e2" })
            .Node("Sigmoid", new[] { "e2" }, new[] { "s" })
            .Node("HardSigmoid", new[] { "c" }, new[] { "h2" }, "gate2", Float("alpha", 1f / 6))
            .Node("Neg", new[] { "h2" }, new[] { "n" });
        var g = OnnxImporter.Import(b.Bytes());
        var ranges = g.Tensors.Keys.ToDictionary(k => k, _ => new TensorRange(0.4f, 0.6f));
        var q = OnnxQuantizer.Quantize(g, ranges);
        void Covers(string t, double lo, double hi)
        {
            var x = q.Tensors.Single(u => u.Name == t);
            // The int8 grid spans [lo, hi] to within one step (a zero point is an integer).
            Assert.AreEqual((hi - lo) / 255, x.Scale, 1e-7, t);
            Assert.AreEqual(lo, x.Scale * (-128 - x.ZeroPoint), x.Scale, t);
            Assert.AreEqual(hi, x.Scale * (127 - x.ZeroPoint), x.Scale, t);
        }
        Covers("h", 0, 1);
        Covers("e", -1, 1);
        Covers("s", 0, 1);
        var (s, z) = QuantMath.ChooseParams(0.4f, 0.6f);
        var n = q.Tensors.Single(u => u.Name == "n");
        Assert.AreEqual(s, n.Scale, 1e-9f);
        Assert.AreEqual(z, n.ZeroPoint);
    }

    [TestMethod]
    public void DivOfTwoUnrelatedActivationsNamesTheNode()
    {
        var b = ConvThen().Output("y", 1, 2, 4, 4)
            .Node("Relu", new[] { "x" }, new[] { "r" })
            .Node("Div", new[] { "c", "r" }, new[] { "y" }, "ratio");
        var g = OnnxImporter.Import(b.Bytes());
        var ranges = g.Tensors.Keys.ToDictionary(k => k, _ => new Micro.Tooling.Calibration.TensorRange(-1, 1));
        var e = Assert.ThrowsExactly<OnnxUnsupportedException>(() => OnnxQuantizer.Quantize(g, ranges));
        StringAssert.Contains(e.Message, "'ratio' (Div)");
    }

    [TestMethod]
    public void UnsupportedActivationStillNamesTheOperator()
    {
        var b = ConvThen().Output("y", 1, 2, 4, 4).Node("Cos", new[] { "c" }, new[] { "y" }, "wave");
        var e = Assert.ThrowsExactly<OnnxUnsupportedException>(() => OnnxImporter.Import(b.Bytes()));
        StringAssert.Contains(e.Message, "operator Cos is not supported");
    }

    [TestMethod]
    public void LutQuantizesTheFunctionAtEveryInputLevel()
    {
        // SiLU between calibrated ranges: table[q] = round(F(s_x·(q − z_x)) / s_y) + z_y.
        var b = ConvThen().Output("y", 1, 2, 4, 4)
            .Node("Sigmoid", new[] { "c" }, new[] { "s" })
            .Node("Mul", new[] { "c", "s" }, new[] { "y" }, "silu");
        var g = OnnxImporter.Import(b.Bytes());
        var ranges = g.Tensors.Keys.ToDictionary(k => k, k => k == "y" ? new Micro.Tooling.Calibration.TensorRange(-0.3f, 4) : new Micro.Tooling.Calibration.TensorRange(-4, 4));
        var q = OnnxQuantizer.Quantize(g, ranges);
        var lut = (QSimpleOp)q.Ops.Single(o => o.OpCode == OpCodes.Lut);
        var table = Micro.Runtime.Kernels.Lut.Decode(lut.Params);
        QTensor x = lut.Inputs[0], y = lut.Output;
        for (int k = -128; k < 128; k++)
        {
            double v = x.Scale * (k - x.ZeroPoint), f = v / (1 + Math.Exp(-v));
            int want = (int)Math.Clamp(Math.Round(f / y.Scale, MidpointRounding.AwayFromZero) + y.ZeroPoint, -128, 127);
            Assert.AreEqual(want, table[k + 128], $"q = {k}");
        }
    }
}
