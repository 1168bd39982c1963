using Micro.HostTools;
using Micro.Runtime;
using Micro.Runtime.Format;
using Micro.Tooling.Blob;
using Micro.Tooling.Calibration;
using Micro.Tooling.Data;
using Micro.Tooling.Graph;
using Micro.Tooling.Inspection;
using Micro.Tooling.Onnx;
using Micro.Tooling.Packing;
using Micro.Tooling.Running;
using Micro.Tooling.Verification;
using static Micro.Tooling.Tests.Packing.MixedFixture;

namespace Micro.Tooling.Tests.Packing;

/// <summary>
/// Mixed precision (`pack --int16`, `--auto-precision`) on the outlier fixture (tests/fixtures/
/// make_mixed_fixture.py: a 1-D CNN regressor whose hidden activation ranges are 100 times wider than the
/// values that matter): int8 activations lose the model, an int16 chain keeps it; the device's kernels
/// match an independent reference of the 16×8 arithmetic byte for byte.
/// </summary>
[TestClass]
public class MixedPrecisionTests
{

    private static QGraph Quantize(MixedFixture s, params string[] int16) =>
        OnnxQuantizer.Quantize(s.Graph, s.Ranges, new OnnxQuantizeOptions { Int16Layers = MixedPrecision.Resolve(s.Graph, s.Onnx, int16) });

    [TestMethod]
    public void AnInt16ChainRecoversWhatInt8ActivationsLose()
    {
        var s = Outlier.Value;
        var meter = new PrecisionMeter(s.Graph, s.Test); // held-out samples, not the calibration set
        var int8 = meter.Measure(Quantize(s));
        var mixed = meter.Measure(Quantize(s, Chain));
        Console.WriteLine($"test set: int8 {int8.OutputSqnrDb:F2} dB, blob {int8.BlobBytes} B, arena {int8.ArenaBytes} B; " +
                          $"int16 chain {mixed.OutputSqnrDb:F2} dB, blob {mixed.BlobBytes} B, arena {mixed.ArenaBytes} B");
        // Measured 2026-11-22 on the 32 test samples: int8 5.62 dB, the int16 chain 50.43 dB (+44.8 dB).
        Assert.IsTrue(int8.OutputSqnrDb < 12, $"int8 output SQNR {int8.OutputSqnrDb:F2} dB: the fixture should defeat int8");
        Assert.IsTrue(mixed.OutputSqnrDb >= 45, $"int16 chain output SQNR {mixed.OutputSqnrDb:F2} dB");
        Assert.IsTrue(mixed.OutputSqnrDb - int8.OutputSqnrDb >= 35, $"gain {mixed.OutputSqnrDb - int8.OutputSqnrDb:F2} dB");

        // One marked layer: its own output is far more precise (the output gains nothing until its reader is int16 too).
        var one = meter.Measure(Quantize(s, C1));
        string c1Out = s.Graph.Nodes.First(n => n.Name == C1).Output;
        double gain = one.TensorSqnrDb[c1Out] - int8.TensorSqnrDb[c1Out];
        Console.WriteLine($"{C1} alone: its output {int8.TensorSqnrDb[c1Out]:F2} → {one.TensorSqnrDb[c1Out]:F2} dB, model output {one.OutputSqnrDb:F2} dB");
        Assert.IsTrue(gain >= 5, $"{C1}: {int8.TensorSqnrDb[c1Out]:F2} → {one.TensorSqnrDb[c1Out]:F2} dB");

        // Cost: int16 tensors take two bytes per element.
        Assert.AreEqual(2 * int8.ArenaBytes, mixed.ArenaBytes);
        Assert.IsTrue(mixed.BlobBytes > int8.BlobBytes && mixed.BlobBytes < int8.BlobBytes + 400, $"blob {int8.BlobBytes} → {mixed.BlobBytes} B");
    }

    [TestMethod]
    public void QuantizeOpsSitAtBoundariesOnlyAndInt16ChainsPassThroughReshape()
    {
        var s = Outlier.Value;
        string Types(QGraph q) => string.Join(" ", q.Ops.Select(o => $"{OpCodes.Name(o.OpCode)}:{DType.Name(o.Inputs[0].DType)}>{DType.Name(o.Output.DType)}"));

        var chain = Quantize(s, Chain);
        Assert.AreEqual("QUANTIZE:int8>int16 CONV_1D:int16>int16 CONV_1D:int16>int16 RESHAPE:int16>int16 FULLY_CONNECTED:int16>int16 " +
                        "FULLY_CONNECTED:int16>int16 QUANTIZE:int16>int8", Types(chain));
        Assert.AreEqual(DType.Int8, chain.Inputs[0].DType);
        Assert.AreEqual(DType.Int8, chain.Outputs[0].DType);
        foreach (var t in chain.Tensors.Where(t => t.DType == DType.Int16))
        {
            Assert.AreEqual(0, t.ZeroPoint, t.Name);
            double maxAbs = Math.Max(Math.Abs(s.Ranges[t.Name].Min), Math.Abs(s.Ranges[t.Name].Max));
            Assert.AreEqual(maxAbs / 32767, t.Scale, maxAbs / 32767 * 1e-6, t.Name);
        }
        foreach (var op in chain.Ops.OfType<QWeightedOp>())
        {
            Assert.IsNull(op.Bias);
            Assert.IsNotNull(op.Bias64);
            bool relu = op.Name != Fc2; // c1, c2 and fc1 end in a fused ReLU
            Assert.AreEqual(relu ? 0 : -32768, op.ActMin, op.Name);
            Assert.AreEqual(32767, op.ActMax, op.Name);
        }

        // c1 and fc1 are not adjacent (c2 is int8 between them): four conversions, the Reshape stays int8.
        Assert.AreEqual("QUANTIZE:int8>int16 CONV_1D:int16>int16 QUANTIZE:int16>int8 CONV_1D:int8>int8 RESHAPE:int8>int8 " +
                        "QUANTIZE:int8>int16 FULLY_CONNECTED:int16>int16 QUANTIZE:int16>int8 FULLY_CONNECTED:int8>int8",
            Types(Quantize(s, C1, Fc1)));

        // The blob keeps the all-int8 graph's tensor order; conversions are appended (verify matches by position).
        var int8 = Quantize(s);
        for (int i = 0; i < int8.Tensors.Count; i++) Assert.AreEqual(int8.Tensors[i].Name, chain.Tensors[i].Name);
        Assert.AreEqual(int8.Tensors.Count + 2, chain.Tensors.Count);
    }

    [TestMethod]
    public void TheRuntimeMatchesAnIndependent16x8ReferenceByteForByte()
    {
        var s = Outlier.Value;
        foreach (var layers in new[] { Chain, new[] { C1, Fc1 }, new[] { C2 } })
        {
            var q = Quantize(s, layers);
            var runner = new BlobRunner(BlobEmitter.Emit(q), earlyExit: false);
            foreach (var x in s.Test)
            {
                BlobRunner.Quantize(x, runner.Input, runner.Interpreter.Arena);
                runner.Interpreter.Invoke();
                var expected = Reference16x8.Run(q, x);
                var outT = runner.Output;
                for (int i = 0; i < outT.ElementCount; i++)
                    Assert.AreEqual(expected[i], runner.Interpreter.OutputValue(0, i), $"{string.Join("+", layers)}: output {i}");
            }
        }
    }

    [TestMethod]
    public void InspectShowsInt16AndTheArenaTheRuntimeAllocates()
    {
        string dir = CliHarness.TempDir(), blob = Path.Combine(dir, "mixed.mblob");
        var args = new List<string> { "pack", OnnxFixtures.Model("outlier"), "-c", FixturePath("outlier_calib.npy"), "-o", blob };
        foreach (var l in Chain) { args.Add("--int16"); args.Add(l); }
        var (code, stdout, err) = CliHarness.Run(args.ToArray());
        Assert.AreEqual(ExitCodes.Ok, code, err);
        StringAssert.Contains(stdout, "int16 activations: /c1/Conv, /c2/Conv, /fc1/Gemm, /fc2/Gemm (6 int16 tensors, 2 QUANTIZE conversions)");

        var bytes = File.ReadAllBytes(blob);
        var report = BlobReport.FromBlob(bytes);
        var interpreter = new Interpreter(Model.Load(bytes));
        Assert.AreEqual(interpreter.Arena.Length, report.ArenaBytes);
        Assert.AreEqual(1536, report.ArenaBytes, "two int16 buffers of 64×8 and 32×8 elements live at once: 1024 + 512 B");
        var conv = report.Ops.First(o => o.Op == "CONV_1D");
        Assert.AreEqual("int16", conv.OutputType);
        Assert.AreEqual(2 * 64 * 8, conv.OutputBytes);
        Assert.AreEqual("[1,64,1] int16", conv.InputShapes[0]);
        Assert.AreEqual("[1,64,1]", report.Ops[0].InputShapes[0], "int8 inputs are shown as before");
        var (icode, iout, _) = CliHarness.Run("inspect", blob);
        Assert.AreEqual(ExitCodes.Ok, icode);
        StringAssert.Contains(iout, "int16");

        // verify: per-layer readouts of int16 tensors, dequantized with their own scale.
        var r = Verifier.Run(OnnxFixtures.Model("outlier"), bytes, FixturePath("outlier_test.npy"), null);
        Assert.IsTrue(r.Output.SqnrDb >= 45, $"verify output SQNR {r.Output.SqnrDb:F2} dB");
        Assert.AreEqual(7, r.Layers.Count, string.Join(", ", r.Layers.Select(l => l.Tensor)));
        Assert.AreEqual(4, r.Layers.Count(l => l.Op is "CONV_1D int16" or "FULLY_CONNECTED int16"));
        Assert.IsTrue(r.Layers.All(l => l.Metrics.SqnrDb > 35), string.Join(", ", r.Layers.Select(l => $"{l.Tensor} {l.Op} {l.Metrics.SqnrDb:F1}")));
    }

    [TestMethod]
    public void AutoPrecisionStopsAtTheTargetAndIsDeterministic()
    {
        string dir = CliHarness.TempDir(), a = Path.Combine(dir, "a.mblob"), b = Path.Combine(dir, "b.mblob");
        string[] Args(string output, string target) => new[] { "pack", OnnxFixtures.Model("outlier"), "-c", FixturePath("outlier_calib.npy"), "-o", output, "--auto-precision", target };
        var (code, stdout, err) = CliHarness.Run(Args(a, "15"));
        Assert.AreEqual(ExitCodes.Ok, code, err);
        StringAssert.Contains(stdout, "--auto-precision 15 dB");
        Assert.AreEqual(ExitCodes.Ok, CliHarness.Run(Args(b, "15")).Code);
        CollectionAssert.AreEqual(File.ReadAllBytes(a), File.ReadAllBytes(b), "same inputs, same bytes");

        // The same search through the library: int8 first, one layer per step, stop at the first step ≥ target.
        var s = Outlier.Value;
        var steps = PrecisionSearch.Run(s.Graph, s.Calib, Array.Empty<string>(), 15,
            layers => OnnxQuantizer.Quantize(s.Graph, s.Ranges, new OnnxQuantizeOptions { Name = "outlier", Int16Layers = layers }));
        Assert.AreEqual(0, steps[0].Int16Layers.Count);
        Assert.IsTrue(steps[0].OutputSqnrDb < 15);
        for (int i = 1; i < steps.Count; i++)
        {
            Assert.AreEqual(i, steps[i].Int16Layers.Count);
            Assert.IsNotNull(steps[i].Raised);
        }
        Assert.IsTrue(steps[^1].OutputSqnrDb >= 15, $"last step {steps[^1].OutputSqnrDb:F2} dB");
        Assert.IsTrue(steps.Take(steps.Count - 1).All(x => x.OutputSqnrDb < 15), "stops as soon as the target is reached");
        var model = Model.Load(File.ReadAllBytes(a));
        Assert.AreEqual(steps[^1].Int16Layers.Count, model.Ops.Count(o => o.Code is OpCodes.Conv1D or OpCodes.FullyConnected && model.Tensors[o.Outputs[0]].DType == DType.Int16));
        Assert.AreEqual(steps[^1].BlobBytes, BlobRecords.Without(File.ReadAllBytes(a)).Length, "the blob before pack's metadata records");
        Assert.AreEqual(steps[^1].ArenaBytes, model.ArenaSize);
        foreach (var step in steps) StringAssert.Contains(stdout, step.OutputSqnrDb.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " dB");

        // --int16 layers are the starting point of the search.
        var fromC1 = PrecisionSearch.Run(s.Graph, s.Calib, MixedPrecision.Resolve(s.Graph, s.Onnx, new[] { C1 }), 15,
            layers => OnnxQuantizer.Quantize(s.Graph, s.Ranges, new OnnxQuantizeOptions { Int16Layers = layers }));
        CollectionAssert.AreEqual(new[] { C1 }, fromC1[0].Int16Layers.ToArray());
        Assert.IsTrue(fromC1.All(x => x.Int16Layers.Contains(C1)));
        Assert.IsTrue(fromC1[^1].OutputSqnrDb >= 15);

        // A .tflite model keeps its own quantization.
        string tflite = Path.Combine(dir, "m.tflite");
        File.WriteAllBytes(tflite, new byte[64]);
        var (tcode, _, terr) = CliHarness.Run("pack", tflite, "-o", Path.Combine(dir, "t.mblob"), "--auto-precision", "30");
        Assert.AreEqual(ExitCodes.BadInput, tcode);
        StringAssert.Contains(terr, "--int16, --int16-output and --auto-precision quantize float .onnx models");
    }

    [TestMethod]
    public void AnUnreachableTargetExits1AndWritesNothing()
    {
        string dir = CliHarness.TempDir(), blob = Path.Combine(dir, "never.mblob");
        var (code, stdout, err) = CliHarness.Run("pack", OnnxFixtures.Model("outlier"), "-c", FixturePath("outlier_calib.npy"), "-o", blob, "--auto-precision", "80");
        Assert.AreEqual(ExitCodes.CheckFailed, code);
        Assert.IsFalse(File.Exists(blob));
        StringAssert.Contains(err, "--auto-precision 80 dB is out of reach: the best output SQNR was");
        StringAssert.Contains(err, "int16 layers /c1/Conv, /c2/Conv, /fc1/Gemm, /fc2/Gemm");
        StringAssert.Contains(stdout, "step"); // the table of what was tried
    }

    [TestMethod]
    public void BadInt16NamesExit2NamingTheNodeAndTheCandidates()
    {
        string dir = CliHarness.TempDir(), blob = Path.Combine(dir, "bad.mblob");
        (int Code, string Err) Pack(string model, string node)
        {
            var (code, _, err) = CliHarness.Run("pack", OnnxFixtures.Model(model), "-c", FixturePath(model + "_calib.npy"), "-o", blob, "--int16", node);
            return (code, err);
        }
        var r = Pack("outlier", "conv_9");
        Assert.AreEqual(ExitCodes.BadInput, r.Code);
        StringAssert.Contains(r.Err, "--int16 'conv_9': no ONNX node or tensor of that name");
        StringAssert.Contains(r.Err, "'/c1/Conv' (Conv), '/c2/Conv' (Conv), '/fc1/Gemm' (Gemm), '/fc2/Gemm' (Gemm)");
        r = Pack("outlier", "/Flatten");
        Assert.AreEqual(ExitCodes.BadInput, r.Code);
        StringAssert.Contains(r.Err, "node '/Flatten' (Flatten) has no op of its own on the device");
        r = Pack("ppg1d", "/MaxPool");
        Assert.AreEqual(ExitCodes.BadInput, r.Code);
        StringAssert.Contains(r.Err, "node '/MaxPool' (MaxPool) cannot run in int16: the runtime's MAX_POOL takes int8 only");
        r = Pack("ppg1d", "/Add");
        StringAssert.Contains(r.Err, "ADD takes int8 only");
        r = Pack("ppg1d", "/dw/Conv");
        StringAssert.Contains(r.Err, "depthwise convolutions take int8 only");
        r = Pack("mlp", "/Softmax");
        StringAssert.Contains(r.Err, "SOFTMAX takes int8 only");
        r = Pack("layout", "/c2/Conv"); // a QuantizeLinear/DequantizeLinear pair fixes its output to 8 bits
        Assert.AreEqual(ExitCodes.BadInput, r.Code);
        StringAssert.Contains(r.Err, "its output is quantized to 8 bits by the model's own node '/QuantizeLinear'");
        StringAssert.Contains(r.Err, "Layers that can: '/c1/Conv' (Conv), '/fc/Gemm' (Gemm).");
        Assert.IsFalse(File.Exists(blob));
    }

    [TestMethod]
    public void ALayerBeyondThe16x8RequantizationLimitIsRefusedAndAutoPrecisionPassesItOver()
    {
        // y = 0.5·(x0 − x1) on data where x0 ≈ x1 (±1e-4): the output range is ~10^4 times smaller than the
        // input range, so x_scale·w_scale / y_scale ≈ 300 in int16 (a left shift of 9; the 16×8 kernels take 7).
        var w = new float[8];
        w[0] = 0.5f; w[1] = -0.5f;
        var b = new OnnxBuilder().Input("x", 1, 8).Output("y", 1, 1)
            .Init("w", new[] { 1, 8 }, w).Init("b", new[] { 1 }, new[] { 0f })
            .Node("Gemm", new[] { "x", "w", "b" }, new[] { "y" }, "fc", OnnxBuilder.Int("transB", 1));
        var rnd = new Random(3);
        var data = new List<float>();
        for (int s = 0; s < 32; s++)
        {
            float v = (float)(rnd.NextDouble() * 4 - 2);
            data.Add(v);
            data.Add(v + (float)(rnd.NextDouble() * 2e-4 - 1e-4));
            for (int i = 2; i < 8; i++) data.Add((float)(rnd.NextDouble() * 4 - 2));
        }
        string dir = CliHarness.TempDir(), model = Path.Combine(dir, "cancel.onnx"), calib = Path.Combine(dir, "cancel.npy"), blob = Path.Combine(dir, "c.mblob");
        File.WriteAllBytes(model, b.Bytes());
        NpyFile.Write(calib, NpyArray.FromFloat32(new[] { 32, 8 }, data.ToArray()));
        Assert.AreEqual(ExitCodes.Ok, CliHarness.Run("pack", model, "-c", calib, "-o", blob).Code, "int8 takes it");
        var (code, _, err) = CliHarness.Run("pack", model, "-c", calib, "-o", blob + "16", "--int16", "fc");
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        StringAssert.Contains(err, "beyond the 16×8 kernels' 2^7");
        StringAssert.Contains(err, "keep this layer in int8");
        Assert.IsFalse(File.Exists(blob + "16"));
        (code, _, err) = CliHarness.Run("pack", model, "-c", calib, "-o", blob + "auto", "--auto-precision", "200");
        Assert.AreEqual(ExitCodes.CheckFailed, code, err);
        StringAssert.Contains(err, "(all layers int8)");
        Assert.IsFalse(File.Exists(blob + "auto"));
    }

    [TestMethod]
    public void NamesMayBeFusedNodesOrOnnxTensors()
    {
        var s = Outlier.Value;
        string c2Out = s.Graph.Nodes.First(n => n.Name == C2).Output;
        // The ReLU after c2 (fused into it), c2's own ONNX output tensor (gone after fusion), the layer's output tensor.
        CollectionAssert.AreEqual(new[] { c2Out }, MixedPrecision.Resolve(s.Graph, s.Onnx, new[] { "/Relu_1" }));
        CollectionAssert.AreEqual(new[] { c2Out }, MixedPrecision.Resolve(s.Graph, s.Onnx, new[] { "/c2/Conv_output_0" }));
        CollectionAssert.AreEqual(new[] { c2Out }, MixedPrecision.Resolve(s.Graph, s.Onnx, new[] { c2Out, C2 }));
    }

    [TestMethod]
    public void Int16FlowsThroughLeakyReluConcatAndPadAndTheRuntimeRunsIt()
    {
        // x → conv a + ReLU ┐
        // x → conv b → LeakyRelu ┴→ Concat → Pad(4 left, not foldable into a 3-tap conv) → conv c → Flatten → Gemm
        static float[] W(int n, int seed, float scale) => OnnxBuilder.Random(n, seed).Select(v => v * scale).ToArray();
        var b = new OnnxBuilder().Input("x", 1, 2, 32).Output("y", 1, 3)
            .Init("wa", new[] { 4, 2, 3 }, W(24, 1, 0.6f)).Init("ba", new[] { 4 }, W(4, 2, 0.1f))
            .Init("wb", new[] { 4, 2, 3 }, W(24, 3, 0.6f)).Init("bb", new[] { 4 }, W(4, 4, 0.1f))
            .Init("wc", new[] { 4, 8, 3 }, W(96, 5, 0.4f)).Init("bc", new[] { 4 }, W(4, 6, 0.1f))
            .Init("wf", new[] { 3, 4 * 34 }, W(3 * 136, 7, 0.2f)).Init("bf", new[] { 3 }, W(3, 8, 0.1f))
            .Init("pads", new[] { 6 }, Array.Empty<float>())
            .Node("Conv", new[] { "x", "wa", "ba" }, new[] { "ca" }, "conv_a", OnnxBuilder.Ints("pads", 1, 1))
            .Node("Relu", new[] { "ca" }, new[] { "ra" }, "relu_a")
            .Node("Conv", new[] { "x", "wb", "bb" }, new[] { "cb" }, "conv_b", OnnxBuilder.Ints("pads", 1, 1))
            .Node("LeakyRelu", new[] { "cb" }, new[] { "lb" }, "leaky_b", OnnxBuilder.Float("alpha", 0.1f))
            .Node("Concat", new[] { "ra", "lb" }, new[] { "cat" }, "concat", OnnxBuilder.Int("axis", 1))
            .Node("Pad", new[] { "cat", "pads_i" }, new[] { "p" }, "pad")
            .Node("Conv", new[] { "p", "wc", "bc" }, new[] { "cc" }, "conv_c")
            .Node("Flatten", new[] { "cc" }, new[] { "f" }, "flatten")
            .Node("Gemm", new[] { "f", "wf", "bf" }, new[] { "y" }, "fc", OnnxBuilder.Int("transB", 1));
        b.Graph.Initializer.Remove(b.Graph.Initializer.First(t => t.Name == "pads"));
        b.Init(OnnxBuilder.Longs("pads_i", 0, 0, 4, 0, 0, 0));
        var onnx = OnnxModelReader.Read(b.Bytes());
        var g = OnnxImporter.Import(onnx);
        var rnd = new Random(5);
        var samples = Enumerable.Range(0, 64).Select(_ => Enumerable.Range(0, 64).Select(_ => (float)(rnd.NextDouble() * 2 - 1)).ToArray()).ToArray();
        var (ranges, _) = Packer.Calibrate(g, samples, new CalibrationOptions());
        string Types(QGraph q) => string.Join(" ", q.Ops.Select(o => $"{OpCodes.Name(o.OpCode)}:{DType.Name(o.Output.DType)}"));
        QGraph Q(params string[] names) => OnnxQuantizer.Quantize(g, ranges, new OnnxQuantizeOptions { Int16Layers = MixedPrecision.Resolve(g, onnx, names) });

        var all = Q("conv_a", "conv_b", "conv_c");
        Assert.AreEqual("QUANTIZE:int16 CONV_1D:int16 CONV_1D:int16 LEAKY_RELU:int16 CONCATENATION:int16 PAD:int16 CONV_1D:int16 " +
                        "QUANTIZE:int8 RESHAPE:int8 FULLY_CONNECTED:int8", Types(all), "one conversion of x feeds both convs");
        var ac = Q("conv_a", "conv_c");
        Assert.AreEqual("QUANTIZE:int16 CONV_1D:int16 CONV_1D:int8 LEAKY_RELU:int8 QUANTIZE:int16 CONCATENATION:int16 PAD:int16 CONV_1D:int16 " +
                        "QUANTIZE:int8 RESHAPE:int8 FULLY_CONNECTED:int8", Types(ac), "the int8 branch is converted up to join the int16 concat");

        var meter = new PrecisionMeter(g, samples.Select(x => g.Inputs[0].ToPhysical(x)));
        var r8 = meter.Measure(Q());
        var r16 = meter.Measure(all);
        var rac = meter.Measure(ac);
        Console.WriteLine($"int8 {r8.OutputSqnrDb:F2} dB, a+c {rac.OutputSqnrDb:F2} dB, a+b+c {r16.OutputSqnrDb:F2} dB");
        Assert.IsTrue(r16.OutputSqnrDb >= 35 && rac.OutputSqnrDb >= 35, $"{r16.OutputSqnrDb:F2} / {rac.OutputSqnrDb:F2} dB");
        foreach (var t in new[] { "cat", "p" })
        {
            string name = g.Nodes.First(n => n.Name == (t == "cat" ? "concat" : "pad")).Output;
            // The int8 model input bounds both (measured: concat 39.96 → 46.52 dB).
            Assert.IsTrue(r16.TensorSqnrDb[name] > r8.TensorSqnrDb[name] + 5, $"{t}: int8 {r8.TensorSqnrDb[name]:F2} dB, int16 {r16.TensorSqnrDb[name]:F2} dB");
        }
    }

    [TestMethod]
    [DataRow(-0.5f)]
    [DataRow(-1.5f)]
    [DataRow(0.2f)]
    public void LeakyReluWithAnyAlphaMatchesTheFloatModelInInt8AndInt16(float alpha)
    {
        static float[] W(int n, int seed, float scale) => OnnxBuilder.Random(n, seed).Select(v => v * scale).ToArray();
        var b = new OnnxBuilder().Input("x", 1, 12).Output("y", 1, 5)
            .Init("w1", new[] { 16, 12 }, W(192, 21, 0.5f)).Init("b1", new[] { 16 }, W(16, 22, 0.2f))
            .Init("w2", new[] { 5, 16 }, W(80, 23, 0.5f)).Init("b2", new[] { 5 }, W(5, 24, 0.1f))
            .Node("Gemm", new[] { "x", "w1", "b1" }, new[] { "h" }, "fc1", OnnxBuilder.Int("transB", 1))
            .Node("LeakyRelu", new[] { "h" }, new[] { "l" }, "leaky", OnnxBuilder.Float("alpha", alpha))
            .Node("Gemm", new[] { "l", "w2", "b2" }, new[] { "y" }, "fc2", OnnxBuilder.Int("transB", 1));
        var onnx = OnnxModelReader.Read(b.Bytes());
        var g = OnnxImporter.Import(onnx);
        var rnd = new Random(9);
        var samples = Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, 12).Select(_ => (float)(rnd.NextDouble() * 4 - 2)).ToArray()).ToArray();
        var (ranges, _) = Packer.Calibrate(g, samples, new CalibrationOptions());
        string leaky = g.Nodes.First(n => n.Name == "leaky").Output;
        var meter = new PrecisionMeter(g, samples.Select(x => g.Inputs[0].ToPhysical(x)));
        var sqnr = new List<double>();
        foreach (var layers in new[] { Array.Empty<string>(), new[] { "fc1", "fc2" } })
        {
            var q = OnnxQuantizer.Quantize(g, ranges, new OnnxQuantizeOptions { Int16Layers = MixedPrecision.Resolve(g, onnx, layers) });
            var op = (QSimpleOp)q.Ops.First(o => o.OpCode == OpCodes.LeakyRelu);
            Assert.AreEqual(alpha < 0, op.Params[2] < 0, "mult_alpha carries alpha's sign");
            Assert.AreEqual(layers.Length == 0 ? DType.Int8 : DType.Int16, op.Output.DType);
            var r = meter.Measure(q);
            Console.WriteLine($"alpha {alpha}, {(layers.Length == 0 ? "int8" : "int16")}: LeakyRelu {r.TensorSqnrDb[leaky]:F2} dB, output {r.OutputSqnrDb:F2} dB");
            // A wrong sign or scale for the negative side would put these far below (measured 2026-11-22:
            // int8 38.2–40.8 dB, int16 45.8–46.1 dB at the LeakyRelu; the int8 model input bounds int16).
            Assert.IsTrue(r.TensorSqnrDb[leaky] >= (layers.Length == 0 ? 36 : 44), $"LeakyRelu output {r.TensorSqnrDb[leaky]:F2} dB");
            Assert.IsTrue(r.OutputSqnrDb >= 35, $"model output {r.OutputSqnrDb:F2} dB");
            sqnr.Add(r.TensorSqnrDb[leaky]);
        }
        Assert.IsTrue(sqnr[1] >= sqnr[0] + 4, $"int16 {sqnr[1]:F2} dB vs int8 {sqnr[0]:F2} dB");
    }

    [TestMethod]
    public void ExitHeadsKeepWorkingWithInt16Layers()
    {
        string dir = CliHarness.TempDir(), blob = Path.Combine(dir, "exit.mblob");
        var (code, stdout, err) = CliHarness.Run("pack", OnnxFixtures.Model("exitnet"), "-c", FixturePath("exitnet_calib.npy"), "-o", blob,
            "--exit", "exit1:auto", "--int16", "/c1/Conv", "--int16", "/c2/Conv", "--int16", "/e/Gemm", "--int16", "/c3/Conv");
        Assert.AreEqual(ExitCodes.Ok, code, err);
        StringAssert.Contains(stdout, "exit 1 'exit1'");
        var model = Model.Load(File.ReadAllBytes(blob));
        Assert.AreEqual(1, model.Exits.Length);
        var exitOut = model.Tensors[model.Exits[0].OutputTensor];
        Assert.AreEqual(DType.Int8, exitOut.DType, "exit scores stay int8 (margins are int8)");
        var head = model.Ops.Where(o => o.ExitGroup == 1).Select(o => OpCodes.Name(o.Code)).ToList();
        // The head's own conversions move with it: c2's int16 output to int8 for MEAN, up to int16 for /e/Gemm, down to int8 scores.
        CollectionAssert.AreEqual(new[] { "QUANTIZE", "MEAN", "QUANTIZE", "FULLY_CONNECTED", "QUANTIZE" }, head);

        // Early exit on held-out data: answers agree with the full network as in the int8 test.
        var x = SampleData.Load(FixturePath("exitnet_test.npy"), new[] { 1, 1, 64 });
        var early = new BlobRunner(File.ReadAllBytes(blob), earlyExit: true);
        var full = new BlobRunner(File.ReadAllBytes(blob), earlyExit: false);
        int exited = 0, agree = 0;
        foreach (var sample in x)
        {
            BlobRunner.Quantize(sample, early.Input, early.Interpreter.Arena);
            if (early.Interpreter.Invoke() == 1) exited++;
            BlobRunner.Quantize(sample, full.Input, full.Interpreter.Arena);
            full.Interpreter.Invoke();
            if (early.Interpreter.ArgMax(0) == full.Interpreter.ArgMax(0)) agree++;
        }
        Assert.IsTrue(exited > x.Length * 0.3, $"{exited} of {x.Length} exited");
        Assert.IsTrue(agree >= x.Length * 0.97, $"agreement {agree} of {x.Length}");
    }
}

/// <summary>
/// An independent reference of the ops a mixed outlier graph uses, written from TFLite's reference kernels
/// (not the runtime's code): QUANTIZE, RESHAPE, and CONV_1D / FULLY_CONNECTED in the 16×8 scheme (int16
/// activations, int8 weights, int64 bias and accumulator, the 64-bit MultiplyByQuantizedMultiplier with its
/// multiplier reduced to 16 bits), and int8 CONV_1D / FULLY_CONNECTED with int32 accumulators.
/// </summary>
internal static class Reference16x8
{
    public static int[] Run(QGraph q, float[] input)
    {
        var v = new Dictionary<QTensor, int[]>();
        var x = q.Inputs[0];
        v[x] = input.Select(f => (int)Math.Clamp(Math.Round(f / (double)x.Scale, MidpointRounding.AwayFromZero) + x.ZeroPoint, -128, 127)).ToArray();
        foreach (var op in q.Ops)
        {
            var a = v[op.Inputs[0]];
            var xi = op.Inputs[0];
            var y = op.Output;
            v[y] = op switch
            {
                QSimpleOp { OpCode: OpCodes.Reshape } => (int[])a.Clone(),
                QSimpleOp { OpCode: OpCodes.Quantize } s => a.Select(e => Clamp(y.ZeroPoint + Mbqm32(e - xi.ZeroPoint, s.Params[0], s.Params[1]), y.DType)).ToArray(),
                QWeightedOp w => Weighted(w, a),
                _ => throw new NotSupportedException(OpCodes.Name(op.OpCode)),
            };
        }
        return v[q.Outputs[0]];
    }

    private static int Clamp(int v, int dtype) => dtype == DType.Int16 ? Math.Clamp(v, -32768, 32767) : Math.Clamp(v, -128, 127);

    private static int[] Weighted(QWeightedOp op, int[] x)
    {
        var xt = op.Inputs[0];
        var yt = op.Output;
        bool wide = xt.DType == DType.Int16;
        int cout = yt.Channels, cin = xt.Channels;
        int k = 1, stride = 1, dil = 1, pad = 0, win = 1, wout = 1;
        if (op is QConv c)
        {
            Assert.IsTrue(c.Is1D && !c.Depthwise);
            (k, stride, dil, pad, win, wout) = (c.KernelW, c.StrideW, c.DilationW, c.PadLeft, xt.Shape[1], yt.Shape[1]);
        }
        else cin = xt.ElementCount;
        var y = new int[yt.ElementCount];
        for (int t = 0; t < wout; t++)
            for (int o = 0; o < cout; o++)
            {
                long acc = wide ? op.Bias64![o] : op.Bias![o];
                for (int j = 0; j < k; j++)
                {
                    int at = t * stride - pad + j * dil;
                    if (at < 0 || at >= win) continue;
                    for (int i = 0; i < cin; i++)
                        acc += (long)(x[at * cin + i] - xt.ZeroPoint) * op.Weights[(o * k + j) * cin + i];
                }
                int m = op.Multipliers[op.Multipliers.Length == 1 ? 0 : o], s = op.Shifts[op.Shifts.Length == 1 ? 0 : o];
                int r = wide ? Mbqm64(acc, m, s) : yt.ZeroPoint + Mbqm32(checked((int)acc), m, s);
                y[t * cout + o] = Math.Clamp(r, op.ActMin, op.ActMax);
            }
        return y;
    }

    /// <summary>TFLite's MultiplyByQuantizedMultiplier(int32): SaturatingRoundingDoublingHighMul then RoundingDivideByPOT.</summary>
    private static int Mbqm32(int x, int m, int shift)
    {
        int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
        long a = (long)x << left;
        Assert.IsTrue(a >= int.MinValue && a <= int.MaxValue);
        long ab = a * m;
        long nudge = ab >= 0 ? 1L << 30 : 1 - (1L << 30);
        int high = (int)((ab + nudge) / (1L << 31)); // C division truncates toward zero
        if (a == int.MinValue && m == int.MinValue) high = int.MaxValue;
        if (right == 0) return high;
        int mask = (1 << right) - 1;
        int rem = high & mask, threshold = (mask >> 1) + (high < 0 ? 1 : 0);
        return (high >> right) + (rem > threshold ? 1 : 0);
    }

    /// <summary>TFLite's MultiplyByQuantizedMultiplier(int64 x, int32 m, shift): m rounded to 16 bits, one rounding shift.</summary>
    private static int Mbqm64(long x, int m, int shift)
    {
        long reduced = m < 0x7FFF0000 ? (m + (1 << 15)) >> 16 : 0x7FFF;
        int total = 15 - shift;
        return (int)((x * reduced + (1L << (total - 1))) >> total);
    }
}
