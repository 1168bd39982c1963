#nullable enable
using Micro.Runtime.Format;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;
using Micro.Tooling.Running;
using Micro.Tooling.Tests.TFLite.Reference;
using Micro.Tooling.TFLite;
using static Micro.Tooling.TFLite.TfliteSchema;
using BlobFormatException = Micro.Runtime.BlobFormatException;
using TT = Micro.Tooling.TFLite.TfliteTensorType;

namespace Micro.Tooling.Tests.TFLite;

/// <summary>
/// The importer on small synthetic models, one per operator the five real models do not contain (ADD,
/// PAD, CONCATENATION, MEAN, LOGISTIC, TANH, MAX_POOL_2D, QUANTIZE, float edges, per-channel FC, dilated
/// and padded convolutions): the parameters it writes, and the runtime's output on random inputs against
/// the reference re-statement of TFLM's kernels. Then every refusal, with its message.
/// </summary>
[TestClass]
public class TfliteImporterTests
{
    private static sbyte[] RandomInt8(Random rng, int n, int lo = -128, int hi = 127)
    {
        var a = new sbyte[n];
        for (int i = 0; i < n; i++) a[i] = (sbyte)rng.Next(lo, hi + 1);
        return a;
    }

    private static int[] RandomInt32(Random rng, int n, int range)
    {
        var a = new int[n];
        for (int i = 0; i < n; i++) a[i] = rng.Next(-range, range + 1);
        return a;
    }

    /// <summary>Imports a synthetic model (the parameters can then be checked without any kernel).</summary>
    private static (QGraph Graph, Action<int> CompareWithReference) Import(byte[] file)
    {
        TfliteModel m = TfliteModelReader.Read(file);
        TfliteImportResult imp = TfliteImporter.ImportDetailed(m, "synthetic");
        return (imp.Graph, samples => CompareWithReference(m, imp, samples));
    }

    /// <summary>
    /// Emits and runs random inputs through Micro.Runtime, comparing every output byte with the reference.
    /// </summary>
    private static void CompareWithReference(TfliteModel m, TfliteImportResult imp, int samples)
    {
        byte[] blob = BlobEmitter.Emit(imp.Graph);
        var runner = new BlobRunner(blob, earlyExit: false);
        int inT = imp.TfliteTensor[imp.Graph.Inputs[0]];
        int outT = imp.TfliteTensor[imp.Graph.Outputs[0]];
        var reference = new TflmReference(m);
        var rng = new Random(samples);
        for (int s = 0; s < samples; s++)
        {
            sbyte[] x = RandomInt8(rng, runner.Input.ElementCount);
            byte[] got = runner.RunRaw(x.Select(v => (byte)v).ToArray());
            sbyte[] want = reference.Run(inT, x)[outT];
            for (int i = 0; i < want.Length; i++)
                Assert.AreEqual(want[i], (sbyte)got[i], $"sample {s}, output element {i}");
        }
    }

    private static TfliteImportException Refused(byte[] file)
        => Assert.ThrowsExactly<TfliteImportException>(() => TfliteImporter.Import(file));

    // ---- operators --------------------------------------------------------------------------------------

    [TestMethod]
    public void AddWithReluAndDifferentScales()
    {
        var b = new TfliteBuilder();
        int x = b.Int8("x", new[] { 1, 4, 4, 8 }, 0.05f, -3);
        var rng = new Random(3);
        int w = b.Int8ConstPerChannel("w", new[] { 8, 1, 1, 8 }, Enumerable.Range(0, 8).Select(i => 0.01f + 0.001f * i).ToArray(), 0, RandomInt8(rng, 64, -127));
        int c = b.Int8("c", new[] { 1, 4, 4, 8 }, 0.07f, 10);
        b.Op(Op.Conv2D, new[] { x, w }, new[] { c }, OptConv2D, TfliteBuilder.Options((Conv2DStrideW, 1), (Conv2DStrideH, 1), (Conv2DPadding, (byte)TflitePadding.Valid)));
        int y = b.Int8("y", new[] { 1, 4, 4, 8 }, 0.09f, -128);
        b.Op(Op.Add, new[] { x, c }, new[] { y }, OptAdd, TfliteBuilder.Options((AddActivation, (byte)TfliteActivation.Relu)));
        b.Inputs = new[] { x };
        b.Outputs = new[] { y };
        var (g, compare) = Import(b.Build());
        var add = (QSimpleOp)g.Ops[1];
        Assert.AreEqual(OpCodes.Add, add.OpCode);
        AddQuantParams p = TflmParams.Add(0.05f, 0.07f, 0.09f, "t");
        CollectionAssert.AreEqual(new[] { 20, p.Input1.Multiplier, p.Input1.Shift, p.Input2.Multiplier, p.Input2.Shift, p.Output.Multiplier, p.Output.Shift, -128, 127 }, add.Params);
        compare(20);
    }

    [TestMethod]
    public void PadConcatenationAndMaxPool()
    {
        var b = new TfliteBuilder();
        int x = b.Int8("x", new[] { 1, 5, 6, 3 }, 0.1f, 4);
        int pads = b.Int32Const("pads", new[] { 0, 0, 1, 2, 2, 1, 0, 0 });
        int p = b.Int8("p", new[] { 1, 8, 9, 3 }, 0.1f, 4);
        b.Op(Op.Pad, new[] { x, pads }, new[] { p }, OptPad, new FbWriter.Table());
        int m = b.Int8("m", new[] { 1, 4, 5, 3 }, 0.1f, 4);
        b.Op(Op.MaxPool2D, new[] { p }, new[] { m }, OptPool2D, TfliteBuilder.Options((PoolPadding, (byte)TflitePadding.Same),
            (PoolStrideW, 2), (PoolStrideH, 2), (PoolFilterW, 3), (PoolFilterH, 2), (PoolActivation, (byte)TfliteActivation.Relu6)));
        int a = b.Int8("a", new[] { 1, 4, 5, 3 }, 0.1f, 4);
        b.Op(Op.AveragePool2D, new[] { p }, new[] { a }, OptPool2D, TfliteBuilder.Options((PoolPadding, (byte)TflitePadding.Same),
            (PoolStrideW, 2), (PoolStrideH, 2), (PoolFilterW, 3), (PoolFilterH, 2)));
        int y = b.Int8("y", new[] { 1, 4, 5, 6 }, 0.1f, 4);
        b.Op(Op.Concatenation, new[] { m, a }, new[] { y }, OptConcatenation, TfliteBuilder.Options((ConcatAxis, -1)));
        b.Inputs = new[] { x };
        b.Outputs = new[] { y };
        var (g, compare) = Import(b.Build());
        CollectionAssert.AreEqual(new[] { 0, 0, 1, 2, 2, 1, 0, 0 }, ((QSimpleOp)g.Ops[0]).Params);
        // 9 wide, window 3, stride 2, SAME: 5 outputs, total padding 2 → 1 before; 8 high, window 2 → 4, none.
        // RELU6 at scale 0.1, zero point 4: [4 + 0, 4 + 60].
        CollectionAssert.AreEqual(new[] { 2, 3, 2, 2, 0, 1, 4, 64 }, ((QSimpleOp)g.Ops[1]).Params);
        CollectionAssert.AreEqual(new[] { 3 }, ((QSimpleOp)g.Ops[3]).Params); // axis −1 → 3
        compare(20);
    }

    [TestMethod]
    public void MeanLogisticTanhAndRequantize()
    {
        var b = new TfliteBuilder();
        int x = b.Int8("x", new[] { 1, 3, 5, 4 }, 0.2f, -5);
        int axes = b.Int32Const("axes", new[] { 2, -3 });
        int mean = b.Int8("mean", new[] { 1, 4 }, 0.15f, 2);
        b.Op(Op.Mean, new[] { x, axes }, new[] { mean }, OptReducer, TfliteBuilder.Options((ReducerKeepDims, false)));
        int q = b.Int8("q", new[] { 1, 4 }, 0.04f, -20);
        b.Op(Op.Quantize, new[] { mean }, new[] { q }, OptQuantize, new FbWriter.Table());
        int t = b.Int8("t", new[] { 1, 4 }, 1f / 128, 0);
        b.Op(Op.Tanh, new[] { q }, new[] { t });
        int s = b.Int8("s", new[] { 1, 4 }, 1f / 256, -128);
        b.Op(Op.Logistic, new[] { t }, new[] { s });
        b.Inputs = new[] { x };
        b.Outputs = new[] { s };
        var (g, compare) = Import(b.Build());
        var (m1, s1) = TflmParams.Rescale(0.2f, 0.15f, "t");
        CollectionAssert.AreEqual(new[] { m1, s1, -128, 127 }, ((QSimpleOp)g.Ops[0]).Params);
        var (m2, s2) = TflmParams.Rescale(0.15f, 0.04f, "t");
        CollectionAssert.AreEqual(new[] { m2, s2 }, ((QSimpleOp)g.Ops[1]).Params);
        var tanh = TflmParams.LogisticOrTanh(0.04f, "t");
        CollectionAssert.AreEqual(new[] { tanh.InputMultiplier, tanh.InputLeftShift, tanh.InputRangeRadius }, ((QSimpleOp)g.Ops[2]).Params);
        compare(50);
    }

    [TestMethod]
    public void MeanKeepDimsOfARank3Input()
    {
        var b = new TfliteBuilder();
        int x = b.Int8("x", new[] { 2, 7, 3 }, 0.2f, 1);
        int axes = b.Int32Const("axes", new[] { 1 });
        int y = b.Int8("y", new[] { 2, 1, 3 }, 0.2f, 1);
        b.Op(Op.Mean, new[] { x, axes }, new[] { y }, OptReducer, TfliteBuilder.Options((ReducerKeepDims, true)));
        b.Inputs = new[] { x };
        b.Outputs = new[] { y };
        var (g, compare) = Import(b.Build());
        compare(20);
    }

    [TestMethod]
    public void FloatEdgesAreStripped()
    {
        var b = new TfliteBuilder();
        int f = b.Tensor("f_in", TT.Float32, new[] { 1, 6 }, null, null, 0, null);
        int x = b.Int8("x", new[] { 1, 6 }, 0.1f, 3);
        b.Op(Op.Quantize, new[] { f }, new[] { x });
        var rng = new Random(5);
        int w = b.Int8Const("w", new[] { 4, 6 }, 0.02f, RandomInt8(rng, 24, -127));
        int bias = b.Int32Const("b", RandomInt32(rng, 4, 500), 0.002f);
        int y = b.Int8("y", new[] { 1, 4 }, 0.05f, -7);
        b.Op(Op.FullyConnected, new[] { x, w, bias }, new[] { y }, OptFullyConnected, TfliteBuilder.Options((FcActivation, (byte)TfliteActivation.None)));
        int fo = b.Tensor("f_out", TT.Float32, new[] { 1, 4 }, null, null, 0, null);
        b.Op(Op.Dequantize, new[] { y }, new[] { fo });
        b.Inputs = new[] { f };
        b.Outputs = new[] { fo };
        var (g, compare) = Import(b.Build());
        Assert.AreEqual(1, g.Ops.Count);
        Assert.AreEqual("x", g.Inputs[0].Name);
        Assert.AreEqual("y", g.Outputs[0].Name);
        Assert.AreEqual(0.1f, g.Inputs[0].Scale);
        Assert.AreEqual(3, g.Inputs[0].ZeroPoint);
        compare(20);
    }

    [TestMethod]
    public void PerChannelFullyConnectedAndNoBias()
    {
        var b = new TfliteBuilder();
        int x = b.Int8("x", new[] { 3, 10 }, 0.1f, -1);
        var rng = new Random(9);
        float[] scales = Enumerable.Range(0, 5).Select(i => 0.005f * (i + 1)).ToArray();
        int w = b.Int8ConstPerChannel("w", new[] { 5, 10 }, scales, 0, RandomInt8(rng, 50, -127));
        int y = b.Int8("y", new[] { 3, 5 }, 0.08f, 0);
        b.Op(Op.FullyConnected, new[] { x, w, -1 }, new[] { y }, OptFullyConnected, TfliteBuilder.Options((FcActivation, (byte)TfliteActivation.ReluN1To1)));
        b.Inputs = new[] { x };
        b.Outputs = new[] { y };
        var (g, compare) = Import(b.Build());
        var fc = (QFullyConnected)g.Ops[0];
        Assert.AreEqual(5, fc.Multipliers.Length);
        Assert.IsNull(fc.Bias);
        Assert.AreEqual((-13, 13), (fc.ActMin, fc.ActMax)); // ±1 / 0.08 = ±12.5 → ±13 (half away from zero)
        compare(20);
    }

    [TestMethod]
    public void DilatedStridedConvolutionAndDepthMultiplier()
    {
        var rng = new Random(11);
        var b = new TfliteBuilder();
        int x = b.Int8("x", new[] { 1, 11, 9, 2 }, 0.06f, 7);
        int dw = b.Int8ConstPerChannel("dw", new[] { 1, 3, 3, 6 }, Enumerable.Range(0, 6).Select(i => 0.01f + 0.002f * i).ToArray(), 3, RandomInt8(rng, 54, -127));
        int db = b.Int32Const("db", RandomInt32(rng, 6, 3000));
        int h = b.Int8("h", new[] { 1, 6, 5, 6 }, 0.08f, -100);
        b.Op(Op.DepthwiseConv2D, new[] { x, dw, db }, new[] { h }, OptDepthwiseConv2D, TfliteBuilder.Options((DwPadding, (byte)TflitePadding.Same),
            (DwStrideW, 2), (DwStrideH, 2), (DwDepthMultiplier, 3), (DwActivation, (byte)TfliteActivation.Relu)));
        int cw = b.Int8ConstPerChannel("cw", new[] { 4, 3, 2, 6 }, Enumerable.Range(0, 4).Select(i => 0.004f + 0.001f * i).ToArray(), 0, RandomInt8(rng, 144, -127));
        int y = b.Int8("y", new[] { 1, 6, 5, 4 }, 0.1f, 5);
        b.Op(Op.Conv2D, new[] { h, cw }, new[] { y }, OptConv2D, TfliteBuilder.Options((Conv2DPadding, (byte)TflitePadding.Same),
            (Conv2DStrideW, 1), (Conv2DStrideH, 1), (Conv2DDilationW, 2), (Conv2DDilationH, 2)));
        b.Inputs = new[] { x };
        b.Outputs = new[] { y };
        var (g, compare) = Import(b.Build());
        var d = (QConv)g.Ops[0];
        Assert.IsTrue(d.Depthwise);
        Assert.AreEqual(3, d.DepthMultiplier);
        Assert.AreEqual((1, 1), (d.PadTop, d.PadLeft));        // 11, k3 s2 SAME → 6, total 2; 9 → 5, total 2
        var c = (QConv)g.Ops[1];
        Assert.AreEqual((2, 1), (c.PadTop, c.PadLeft));        // dilation 2: effective 5×3 → total 4 and 2
        compare(20);
    }

    [TestMethod]
    public void ReshapeAndSoftmaxKeepTheirShapes()
    {
        var b = new TfliteBuilder();
        int x = b.Int8("x", new[] { 1, 2, 5 }, 0.3f, 12);
        int shape = b.Int32Const("shape", new[] { 2, 5 });
        int r = b.Int8("r", new[] { 2, 5 }, 0.3f, 12);
        b.Op(Op.Reshape, new[] { x, shape }, new[] { r });
        int y = b.Int8("y", new[] { 2, 5 }, 1f / 256, -128);
        b.Op(Op.Softmax, new[] { r }, new[] { y }, OptSoftmax, TfliteBuilder.Options((SoftmaxBeta, 0.7f)));
        b.Inputs = new[] { x };
        b.Outputs = new[] { y };
        var (g, compare) = Import(b.Build());
        var sm = TflmParams.Softmax(0.7f, 0.3f, 1f / 256, -128, "t");
        CollectionAssert.AreEqual(new[] { sm.InputMultiplier, sm.InputLeftShift, sm.DiffMin }, ((QSimpleOp)g.Ops[1]).Params);
        compare(40);
    }

    // ---- refusals ---------------------------------------------------------------------------------------

    private static byte[] FcModel(TT act, TT weights, Action<TfliteBuilder>? tweak = null)
    {
        var b = new TfliteBuilder();
        bool q = act != TT.Float32;
        int x = q ? b.Tensor("x", act, new[] { 1, 4 }, 0.1f, 0) : b.Tensor("x", act, new[] { 1, 4 }, null, null, 0, null);
        int w = weights == TT.Float32
            ? b.Tensor("w", TT.Float32, new[] { 2, 4 }, null, null, 0, new byte[32])
            : b.Tensor("w", weights, new[] { 2, 4 }, 0.1f, 0, new byte[8]);
        int y = q ? b.Tensor("y", act, new[] { 1, 2 }, 0.1f, 0) : b.Tensor("y", act, new[] { 1, 2 }, null, null, 0, null);
        b.Op(Op.FullyConnected, new[] { x, w, -1 }, new[] { y }, OptFullyConnected, TfliteBuilder.Options((FcActivation, (byte)0)));
        b.Inputs = new[] { x };
        b.Outputs = new[] { y };
        tweak?.Invoke(b);
        return b.Build();
    }

    [TestMethod]
    public void FloatHybridAndUint8ModelsAreRefusedClearly()
    {
        string floatMsg = Refused(FcModel(TT.Float32, TT.Float32)).Message;
        StringAssert.Contains(floatMsg, "float model");
        StringAssert.Contains(floatMsg, "ONNX path");
        string hybrid = Refused(FcModel(TT.Float32, TT.Int8)).Message;
        StringAssert.Contains(hybrid, "hybrid model");
        StringAssert.Contains(Refused(FcModel(TT.UInt8, TT.UInt8)).Message, "uint8");
        // 16x8 models (int16 activations) are imported: TfliteInt16Tests.
    }

    [TestMethod]
    public void UnsupportedOperatorsAreNamed()
    {
        var b = new TfliteBuilder();
        int x = b.Int8("x", new[] { 1, 4 }, 0.1f, 0);
        int y = b.Int8("y", new[] { 1, 4 }, 0.1f, 0);
        b.Op(99, new[] { x, x }, new[] { y }); // SQUARED_DIFFERENCE
        b.Inputs = new[] { x };
        b.Outputs = new[] { y };
        StringAssert.Contains(Refused(b.Build()).Message, "operator 0 (SQUARED_DIFFERENCE (99)) is not supported");

        var c = new TfliteBuilder();
        int cx = c.Int8("x", new[] { 1, 4 }, 0.1f, 0);
        int cy = c.Int8("y", new[] { 1, 4 }, 0.1f, 0);
        c.Op(Op.Custom, new[] { cx }, new[] { cy });
        c.Inputs = new[] { cx };
        c.Outputs = new[] { cy };
        StringAssert.Contains(Refused(c.Build()).Message, "custom operators are not supported");
    }

    [TestMethod]
    public void InconsistentModelsAreRefused()
    {
        // RESHAPE that changes the element count.
        var b = new TfliteBuilder();
        int x = b.Int8("x", new[] { 1, 4 }, 0.1f, 0);
        int q = b.Int8("q", new[] { 1, 1 }, 0.1f, 0);
        b.Op(Op.Reshape, new[] { x }, new[] { q });
        b.Inputs = new[] { x };
        b.Outputs = new[] { q };
        StringAssert.Contains(Refused(b.Build()).Message, "different numbers of elements");

        // ADD of shapes that do not broadcast.
        var a = new TfliteBuilder();
        int a1 = a.Int8("a", new[] { 1, 4 }, 0.1f, 0);
        int a2 = a.Int8("b", new[] { 1, 3 }, 0.1f, 0);
        int a3 = a.Int8("c", new[] { 1, 4 }, 0.1f, 0);
        a.Op(Op.Add, new[] { a1, a2 }, new[] { a3 });
        a.Inputs = new[] { a1, a2 };
        a.Outputs = new[] { a3 };
        StringAssert.Contains(Refused(a.Build()).Message, "do not broadcast");

        // A convolution without options (TFLM would run with stride 0).
        var c = new TfliteBuilder();
        int cx = c.Int8("x", new[] { 1, 4, 4, 1 }, 0.1f, 0);
        int cw = c.Int8Const("w", new[] { 1, 1, 1, 1 }, 0.1f, new sbyte[] { 1 });
        int cy = c.Int8("y", new[] { 1, 4, 4, 1 }, 0.1f, 0);
        c.Op(Op.Conv2D, new[] { cx, cw }, new[] { cy });
        c.Inputs = new[] { cx };
        c.Outputs = new[] { cy };
        StringAssert.Contains(Refused(c.Build()).Message, "has no Conv2DOptions");

        // An operator reading a tensor nothing wrote yet (ops out of order).
        var o = new TfliteBuilder();
        int ox = o.Int8("x", new[] { 1, 4 }, 0.1f, 0);
        int om = o.Int8("m", new[] { 1, 4 }, 0.1f, 0);
        int oy = o.Int8("y", new[] { 1, 4 }, 0.1f, 0);
        o.Op(Op.Reshape, new[] { om }, new[] { oy });
        o.Op(Op.Reshape, new[] { ox }, new[] { om });
        o.Inputs = new[] { ox };
        o.Outputs = new[] { oy };
        StringAssert.Contains(Refused(o.Build()).Message, "before any operator writes it");

        // SOFTMAX output not 1/256; nonzero weight zero point.
        var s = new TfliteBuilder();
        int sx = s.Int8("x", new[] { 1, 4 }, 0.1f, 0);
        int sy = s.Int8("y", new[] { 1, 4 }, 1f / 255, -128);
        s.Op(Op.Softmax, new[] { sx }, new[] { sy }, OptSoftmax, TfliteBuilder.Options((SoftmaxBeta, 1f)));
        s.Inputs = new[] { sx };
        s.Outputs = new[] { sy };
        StringAssert.Contains(Refused(s.Build()).Message, "scale 1/256");

        var wz = new TfliteBuilder();
        int wx = wz.Int8("x", new[] { 1, 4 }, 0.1f, 0);
        int ww = wz.Tensor("w", TT.Int8, new[] { 2, 4 }, 0.1f, 3, new byte[8]);
        int wy = wz.Int8("y", new[] { 1, 2 }, 0.1f, 0);
        wz.Op(Op.FullyConnected, new[] { wx, ww }, new[] { wy });
        wz.Inputs = new[] { wx };
        wz.Outputs = new[] { wy };
        StringAssert.Contains(Refused(wz.Build()).Message, "symmetric");
    }

    [TestMethod]
    public void TanhFusedActivationIsRefused()
    {
        byte[] file = FcModel(TT.Int8, TT.Int8, b => { });
        // Same model with fused TANH.
        var b2 = new TfliteBuilder();
        int x = b2.Int8("x", new[] { 1, 4 }, 0.1f, 0);
        int w = b2.Int8Const("w", new[] { 2, 4 }, 0.1f, new sbyte[8]);
        int y = b2.Int8("y", new[] { 1, 2 }, 0.1f, 0);
        b2.Op(Op.FullyConnected, new[] { x, w }, new[] { y }, OptFullyConnected, TfliteBuilder.Options((FcActivation, (byte)TfliteActivation.Tanh)));
        b2.Inputs = new[] { x };
        b2.Outputs = new[] { y };
        StringAssert.Contains(Refused(b2.Build()).Message, "fused activation Tanh");
        Assert.AreEqual(1, TfliteImporter.Import(file).Ops.Count);
    }
}
