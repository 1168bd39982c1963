#nullable enable
using System.Buffers.Binary;
using Micro.Runtime.Format;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;
using Micro.Tooling.Running;
using Micro.Tooling.Tests.TFLite.Reference;
using Micro.Tooling.TFLite;
using static Micro.Tooling.TFLite.TfliteSchema;
using TT = Micro.Tooling.TFLite.TfliteTensorType;

namespace Micro.Tooling.Tests.TFLite;

/// <summary>
/// TFLite 16x8 models (int16 activations, int8 weights, int64 biases) from synthetic flatbuffers: after every
/// operator the runtime's bytes equal those of the test-side restatement of TFLM's 16×8 reference kernels
/// (TflmReference16) on random inputs, per operator and for a whole model; the operators without a 16×8
/// lowering are refused by name.
/// </summary>
[TestClass]
public class TfliteInt16Tests
{
    private static int Int16(TfliteBuilder b, string name, int[] shape, float scale) => b.Tensor(name, TT.Int16, shape, scale, 0);

    private static int Int64Const(TfliteBuilder b, string name, long[] values, float scale)
    {
        var bytes = new byte[8 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8 * i), values[i]);
        return b.Tensor(name, TT.Int64, new[] { values.Length }, scale, 0, bytes);
    }

    private static sbyte[] RandomInt8(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (sbyte)rng.Next(-127, 128)).ToArray();

    private static long[] RandomBias(Random rng, int n, int magnitude) => Enumerable.Range(0, n).Select(_ => (long)rng.Next(-magnitude, magnitude)).ToArray();

    /// <summary>int8 x → QUANTIZE → int16 (scale s16): the usual entry of a 16x8 model with an int8 input.</summary>
    private static (int X, int X16) Int8Entry(TfliteBuilder b, int[] shape, float s16)
    {
        int x = b.Int8("x", shape, 0.05f, 3);
        int x16 = Int16(b, "x16", shape, s16);
        b.Op(Op.Quantize, new[] { x }, new[] { x16 }, OptQuantize, new FbWriter.Table());
        return (x, x16);
    }

    /// <summary>int16 t → QUANTIZE → int8 model output y.</summary>
    private static int Int8Exit(TfliteBuilder b, int t, int[] shape, float scale)
    {
        int y = b.Int8("y", shape, scale, -7);
        b.Op(Op.Quantize, new[] { t }, new[] { y }, OptQuantize, new FbWriter.Table());
        return y;
    }

    /// <summary>
    /// Imports the model, then for each op k runs the graph cut after op k on the runtime and compares op k's output
    /// bytes with the reference's, for `samples` random inputs (int8 or int16 as the blob's input is).
    /// </summary>
    private static void CompareAllTensors(byte[] file, int samples, int seed = 1)
    {
        TfliteModel m = TfliteModelReader.Read(file);
        TfliteImportResult imp = TfliteImporter.ImportDetailed(m, "synthetic16");
        var reference = new TflmReference16(m);
        int inT = imp.TfliteTensor[imp.Graph.Inputs[0]];
        bool wideInput = imp.Graph.Inputs[0].DType == DType.Int16;
        var rng = new Random(seed);
        for (int k = 0; k < imp.Graph.Ops.Count; k++)
        {
            var runner = new BlobRunner(BlobEmitter.Emit(TfliteElementwiseTests.Cut(imp.Graph, k)), earlyExit: false);
            int outT = imp.TfliteTensor[imp.Graph.Ops[k].Output];
            var seen = new HashSet<int>();
            for (int s = 0; s < samples; s++)
            {
                int n = runner.Input.ElementCount;
                // Full-range values, with a few at the type's ends.
                int[] x = Enumerable.Range(0, n).Select(i => wideInput
                    ? (i % 17 == 0 ? (i % 2 == 0 ? -32768 : 32767) : rng.Next(-32768, 32768))
                    : rng.Next(-128, 128)).ToArray();
                byte[] got = runner.RunRaw(reference.Bytes(inT, x));
                int[] values = reference.Run(inT, x)[outT];
                seen.UnionWith(values);
                byte[] want = reference.Bytes(outT, values);
                CollectionAssert.AreEqual(want, got, $"op {k} ({OpCodes.Name(imp.Graph.Ops[k].OpCode)}), sample {s}");
            }
            // The scales keep every output in range: a saturated or constant output would prove little.
            Assert.IsGreaterThan(Math.Min(20, runner.Output.ElementCount * samples / 4), seen.Count, $"op {k}: distinct output values");
        }
    }

    private static int[] Codes(byte[] file) => TfliteImporter.Import(file).Ops.Select(o => o.OpCode).ToArray();

    [TestMethod]
    public void QuantizeBetweenInt8AndInt16IsByteIdentical()
    {
        var b = new TfliteBuilder();
        var (x, x16) = Int8Entry(b, new[] { 1, 40 }, 1f / 2048);
        int r16 = Int16(b, "r16", new[] { 1, 40 }, 0.0007f); // int16 → int16 with a coarser scale
        b.Op(Op.Quantize, new[] { x16 }, new[] { r16 }, OptQuantize, new FbWriter.Table());
        int y = Int8Exit(b, r16, new[] { 1, 40 }, 0.03f);
        b.Inputs = new[] { x };
        b.Outputs = new[] { y };
        byte[] file = b.Build();
        CollectionAssert.AreEqual(new[] { OpCodes.Quantize, OpCodes.Quantize, OpCodes.Quantize }, Codes(file));
        CompareAllTensors(file, 6);
    }

    [TestMethod]
    public void FullyConnected16x8IsByteIdentical()
    {
        var rng = new Random(11);
        var b = new TfliteBuilder();
        var (x, x16) = Int8Entry(b, new[] { 3, 12 }, 1f / 4096);
        int w = b.Int8Const("w", new[] { 5, 12 }, 0.02f, RandomInt8(rng, 60));
        int bias = Int64Const(b, "b", RandomBias(rng, 5, 1 << 22), 0.02f / 4096);
        int h = Int16(b, "h", new[] { 3, 5 }, 0.002f);
        b.Op(Op.FullyConnected, new[] { x16, w, bias }, new[] { h }, OptFullyConnected, TfliteBuilder.Options((FcActivation, (byte)TfliteActivation.Relu)));
        int w2 = b.Int8Const("w2", new[] { 4, 5 }, 0.01f, RandomInt8(rng, 20));
        int h2 = Int16(b, "h2", new[] { 3, 4 }, 0.003f);
        b.Op(Op.FullyConnected, new[] { h, w2, -1 }, new[] { h2 }, OptFullyConnected, TfliteBuilder.Options((FcActivation, (byte)TfliteActivation.None)));
        int y = Int8Exit(b, h2, new[] { 3, 4 }, 0.4f);
        b.Inputs = new[] { x };
        b.Outputs = new[] { y };
        byte[] file = b.Build();
        CollectionAssert.AreEqual(new[] { OpCodes.Quantize, OpCodes.FullyConnected, OpCodes.FullyConnected, OpCodes.Quantize }, Codes(file));
        CompareAllTensors(file, 8);
    }

    [TestMethod]
    public void Conv2D16x8DenseAndGroupedAreByteIdentical()
    {
        var rng = new Random(12);
        var b = new TfliteBuilder();
        var (x, x16) = Int8Entry(b, new[] { 1, 7, 6, 4 }, 1f / 4096);
        float[] cs = Enumerable.Range(0, 6).Select(i => 0.01f + 0.003f * i).ToArray();
        int cw = b.Int8ConstPerChannel("cw", new[] { 6, 3, 3, 4 }, cs, 0, RandomInt8(rng, 6 * 9 * 4));
        int cb = Int64Const(b, "cb", RandomBias(rng, 6, 1 << 20), 0.01f / 4096);
        int c = Int16(b, "c", new[] { 1, 4, 3, 6 }, 0.004f);
        b.Op(Op.Conv2D, new[] { x16, cw, cb }, new[] { c }, OptConv2D, TfliteBuilder.Options((Conv2DPadding, (byte)TflitePadding.Same),
            (Conv2DStrideW, 2), (Conv2DStrideH, 2), (Conv2DActivation, (byte)TfliteActivation.Relu6)));
        // Grouped: filter depth 3 of 6 input channels → 2 groups; dilation 2, VALID.
        int gw = b.Int8ConstPerChannel("gw", new[] { 4, 2, 2, 3 }, Enumerable.Repeat(0.015f, 4).ToArray(), 0, RandomInt8(rng, 4 * 4 * 3));
        int g = Int16(b, "g", new[] { 1, 2, 1, 4 }, 0.003f);
        b.Op(Op.Conv2D, new[] { c, gw, -1 }, new[] { g }, OptConv2D, TfliteBuilder.Options((Conv2DPadding, (byte)TflitePadding.Valid),
            (Conv2DStrideW, 1), (Conv2DStrideH, 1), (Conv2DDilationW, 2), (Conv2DDilationH, 2)));
        b.Inputs = new[] { x };
        b.Outputs = new[] { g };
        byte[] file = b.Build();
        CollectionAssert.AreEqual(new[] { OpCodes.Quantize, OpCodes.Conv2D, OpCodes.GroupedConv }, Codes(file));
        CompareAllTensors(file, 6);
    }

    [TestMethod]
    public void DepthwiseConv16IsByteIdentical()
    {
        var rng = new Random(13);
        var b = new TfliteBuilder();
        var (x, x16) = Int8Entry(b, new[] { 2, 6, 7, 3 }, 1f / 2048);
        float[] ds = Enumerable.Range(0, 6).Select(i => 0.02f + 0.002f * i).ToArray();
        int dw = b.Int8ConstPerChannel("dw", new[] { 1, 3, 3, 6 }, ds, 3, RandomInt8(rng, 54));
        int db = Int64Const(b, "db", RandomBias(rng, 6, 1 << 18), 0.02f / 2048);
        int d = Int16(b, "d", new[] { 2, 6, 7, 6 }, 0.0015f);
        b.Op(Op.DepthwiseConv2D, new[] { x16, dw, db }, new[] { d }, OptDepthwiseConv2D, TfliteBuilder.Options((DwPadding, (byte)TflitePadding.Same),
            (DwStrideW, 1), (DwStrideH, 1), (DwDepthMultiplier, 2), (DwDilationW, 2), (DwDilationH, 1), (DwActivation, (byte)TfliteActivation.Relu)));
        int dw2 = b.Int8ConstPerChannel("dw2", new[] { 1, 2, 3, 6 }, Enumerable.Repeat(0.03f, 6).ToArray(), 3, RandomInt8(rng, 36));
        int d2 = Int16(b, "d2", new[] { 2, 3, 3, 6 }, 0.001f);
        b.Op(Op.DepthwiseConv2D, new[] { d, dw2, -1 }, new[] { d2 }, OptDepthwiseConv2D, TfliteBuilder.Options((DwPadding, (byte)TflitePadding.Valid),
            (DwStrideW, 2), (DwStrideH, 2), (DwDepthMultiplier, 1)));
        b.Inputs = new[] { x };
        b.Outputs = new[] { d2 };
        byte[] file = b.Build();
        CollectionAssert.AreEqual(new[] { OpCodes.Quantize, OpCodes.DepthwiseConv16, OpCodes.DepthwiseConv16 }, Codes(file));
        CompareAllTensors(file, 6);
    }

    [TestMethod]
    public void Add16AndReshapeAreByteIdentical()
    {
        var b = new TfliteBuilder();
        var (x, x16) = Int8Entry(b, new[] { 1, 4, 5, 6 }, 1f / 4096);
        int a = Int16(b, "a", new[] { 1, 4, 5, 6 }, 1f / 3000); // a second int16 view of x, another scale
        b.Op(Op.Quantize, new[] { x }, new[] { a }, OptQuantize, new FbWriter.Table());
        int s = Int16(b, "s", new[] { 1, 4, 5, 6 }, 1f / 1500);
        b.Op(Op.Add, new[] { x16, a }, new[] { s }, OptAdd, TfliteBuilder.Options((AddActivation, (byte)TfliteActivation.None), (AddPotScaleInt16, false)));
        int s2 = Int16(b, "s2", new[] { 1, 4, 5, 6 }, 1f / 1200);
        b.Op(Op.Add, new[] { s, s }, new[] { s2 }, OptAdd, TfliteBuilder.Options((AddActivation, (byte)TfliteActivation.Relu), (AddPotScaleInt16, false)));
        int r = Int16(b, "r", new[] { 1, 120 }, 1f / 1200);
        b.Op(Op.Reshape, new[] { s2 }, new[] { r });
        b.Inputs = new[] { x };
        b.Outputs = new[] { r };
        byte[] file = b.Build();
        CollectionAssert.AreEqual(new[] { OpCodes.Quantize, OpCodes.Quantize, OpCodes.Add16, OpCodes.Add16, OpCodes.Reshape }, Codes(file));
        CompareAllTensors(file, 8);
    }

    /// <summary>
    /// float → QUANTIZE(int16) → CONV_2D → DEPTHWISE_CONV_2D → ADD (residual) → RESHAPE → FULLY_CONNECTED →
    /// QUANTIZE(int8) → DEQUANTIZE: the float edges are stripped, the blob takes int16 and gives int8.
    /// </summary>
    public static byte[] SmallModel()
    {
        var rng = new Random(14);
        var b = new TfliteBuilder();
        int f = b.Tensor("f", TT.Float32, new[] { 1, 6, 6, 2 }, null, null, 0, null);
        int x16 = Int16(b, "x16", new[] { 1, 6, 6, 2 }, 1f / 8192);
        b.Op(Op.Quantize, new[] { f }, new[] { x16 });
        int cw = b.Int8ConstPerChannel("cw", new[] { 4, 3, 3, 2 }, new[] { 0.02f, 0.025f, 0.03f, 0.018f }, 0, RandomInt8(rng, 72));
        int cb = Int64Const(b, "cb", RandomBias(rng, 4, 1 << 19), 0.02f / 8192);
        int c = Int16(b, "c", new[] { 1, 6, 6, 4 }, 0.0008f);
        b.Op(Op.Conv2D, new[] { x16, cw, cb }, new[] { c }, OptConv2D, TfliteBuilder.Options((Conv2DPadding, (byte)TflitePadding.Same),
            (Conv2DStrideW, 1), (Conv2DStrideH, 1), (Conv2DActivation, (byte)TfliteActivation.Relu)));
        int dw = b.Int8ConstPerChannel("dw", new[] { 1, 3, 3, 4 }, new[] { 0.03f, 0.02f, 0.04f, 0.035f }, 3, RandomInt8(rng, 36));
        int db = Int64Const(b, "db", RandomBias(rng, 4, 1 << 15), 0.03f * 0.0008f);
        int d = Int16(b, "d", new[] { 1, 6, 6, 4 }, 0.0012f);
        b.Op(Op.DepthwiseConv2D, new[] { c, dw, db }, new[] { d }, OptDepthwiseConv2D, TfliteBuilder.Options((DwPadding, (byte)TflitePadding.Same),
            (DwStrideW, 1), (DwStrideH, 1), (DwDepthMultiplier, 1)));
        int s = Int16(b, "s", new[] { 1, 6, 6, 4 }, 0.0016f);
        b.Op(Op.Add, new[] { c, d }, new[] { s }, OptAdd, TfliteBuilder.Options((AddActivation, (byte)TfliteActivation.Relu), (AddPotScaleInt16, false)));
        int flat = Int16(b, "flat", new[] { 1, 144 }, 0.0016f);
        b.Op(Op.Reshape, new[] { s }, new[] { flat });
        int fw = b.Int8Const("fw", new[] { 3, 144 }, 0.01f, RandomInt8(rng, 432));
        int fb = Int64Const(b, "fb", RandomBias(rng, 3, 1 << 22), 0.01f * 0.0016f);
        int logits = Int16(b, "logits", new[] { 1, 3 }, 0.01f);
        b.Op(Op.FullyConnected, new[] { flat, fw, fb }, new[] { logits }, OptFullyConnected, TfliteBuilder.Options((FcActivation, (byte)TfliteActivation.None)));
        int y = b.Int8("y", new[] { 1, 3 }, 2f, 4);
        b.Op(Op.Quantize, new[] { logits }, new[] { y }, OptQuantize, new FbWriter.Table());
        int fo = b.Tensor("f_out", TT.Float32, new[] { 1, 3 }, null, null, 0, null);
        b.Op(Op.Dequantize, new[] { y }, new[] { fo });
        b.Inputs = new[] { f };
        b.Outputs = new[] { fo };
        return b.Build();
    }

    [TestMethod]
    public void SmallWholeModelIsByteIdenticalAfterEveryOp()
    {
        byte[] file = SmallModel();
        QGraph g = TfliteImporter.Import(file);
        Assert.AreEqual(DType.Int16, g.Inputs[0].DType, "the float input's QUANTIZE to int16 is stripped: the blob takes int16");
        Assert.AreEqual(DType.Int8, g.Outputs[0].DType);
        CollectionAssert.AreEqual(new[] { OpCodes.Conv2D, OpCodes.DepthwiseConv16, OpCodes.Add16, OpCodes.Reshape, OpCodes.FullyConnected, OpCodes.Quantize },
            g.Ops.Select(o => o.OpCode).ToArray());
        CompareAllTensors(file, 30, seed: 3);
    }

    private static TfliteImportException Refused(byte[] file) => Assert.ThrowsExactly<TfliteImportException>(() => TfliteImporter.Import(file));

    [TestMethod]
    public void OperatorsWithoutA16x8KernelAreRefusedByName()
    {
        foreach (var (code, options, optTable, name) in new (int, byte, FbWriter.Table?, string)[]
                 {
                     (Op.Softmax, OptSoftmax, TfliteBuilder.Options((SoftmaxBeta, 1f)), "SOFTMAX"),
                     (Op.Logistic, 0, null, "LOGISTIC"),
                     (Op.Tanh, 0, null, "TANH"),
                     (Op.HardSwish, 0, null, "HARD_SWISH"),
                 })
        {
            var b = new TfliteBuilder();
            var (x, x16) = Int8Entry(b, new[] { 1, 8 }, 1f / 4096);
            int y = Int16(b, "y", new[] { 1, 8 }, 1f / 32768);
            b.Op(code, new[] { x16 }, new[] { y }, options, optTable);
            b.Inputs = new[] { x };
            b.Outputs = new[] { y };
            StringAssert.Contains(Refused(b.Build()).Message, $"int16x8 {name} is not supported");
        }
    }

    [TestMethod]
    public void UnsupportedForms16x8AreRefusedWithTheReason()
    {
        // ADD with broadcasting.
        var b = new TfliteBuilder();
        var (x, x16) = Int8Entry(b, new[] { 1, 2, 4 }, 1f / 4096);
        int g = Int16(b, "g", new[] { 1, 1, 4 }, 1f / 4096);
        int axis = b.Int32Const("axis", new[] { 1 });
        b.Op(Op.Mean, new[] { x16, axis }, new[] { g }, OptReducer, TfliteBuilder.Options((ReducerKeepDims, true)));
        b.Inputs = new[] { x };
        b.Outputs = new[] { g };
        StringAssert.Contains(Refused(b.Build()).Message, "int16x8 MEAN is not supported");

        // FULLY_CONNECTED with an int32 bias (TFLM would accumulate in 32 bits).
        var rng = new Random(2);
        var c = new TfliteBuilder();
        var (cx, cx16) = Int8Entry(c, new[] { 1, 4 }, 1f / 4096);
        int w = c.Int8Const("w", new[] { 2, 4 }, 0.02f, RandomInt8(rng, 8));
        int bias = c.Int32Const("b", new[] { 5, -5 }, 0.02f / 4096);
        int y = Int16(c, "y", new[] { 1, 2 }, 0.001f);
        c.Op(Op.FullyConnected, new[] { cx16, w, bias }, new[] { y }, OptFullyConnected, TfliteBuilder.Options((FcActivation, (byte)0)));
        c.Inputs = new[] { cx };
        c.Outputs = new[] { y };
        StringAssert.Contains(Refused(c.Build()).Message, "int16x8 FULLY_CONNECTED with an INT32 bias is not supported");

        // Non-zero int16 zero point.
        var z = new TfliteBuilder();
        int zx = z.Int8("x", new[] { 1, 4 }, 0.05f, 0);
        int zy = z.Tensor("y", TT.Int16, new[] { 1, 4 }, 0.001f, 5);
        z.Op(Op.Quantize, new[] { zx }, new[] { zy }, OptQuantize, new FbWriter.Table());
        z.Inputs = new[] { zx };
        z.Outputs = new[] { zy };
        StringAssert.Contains(Refused(z.Build()).Message, "zero point 5; 16x8 models are symmetric");

        // ADD of different shapes (TFLM broadcasts; ADD_16 does not).
        var a = new TfliteBuilder();
        int a8 = a.Int8("a8", new[] { 1, 2, 4 }, 0.05f, 0);
        int g8 = a.Int8("g8", new[] { 1, 1, 4 }, 0.05f, 0);
        int a16 = Int16(a, "a16", new[] { 1, 2, 4 }, 1f / 4096);
        int g16 = Int16(a, "g16", new[] { 1, 1, 4 }, 1f / 4096);
        a.Op(Op.Quantize, new[] { a8 }, new[] { a16 }, OptQuantize, new FbWriter.Table());
        a.Op(Op.Quantize, new[] { g8 }, new[] { g16 }, OptQuantize, new FbWriter.Table());
        int sum = Int16(a, "sum", new[] { 1, 2, 4 }, 1f / 2048);
        a.Op(Op.Add, new[] { a16, g16 }, new[] { sum }, OptAdd, TfliteBuilder.Options((AddActivation, (byte)0)));
        a.Inputs = new[] { a8, g8 };
        a.Outputs = new[] { sum };
        StringAssert.Contains(Refused(a.Build()).Message, "int16x8 ADD with broadcasting is not supported");
    }

    [TestMethod]
    public void Add16WithALeftShiftAbove15IsRefusedAtLoad()
    {
        // a · 2^16 can overflow int32 for int16 a: the loader refuses what TFLite never produces.
        QGraph g = TfliteImporter.Import(SmallModel());
        var add = (QSimpleOp)g.Ops[2];
        Assert.AreEqual(15, add.Params[Micro.Runtime.Kernels.Add.PLeftShift]);
        add.Params = (int[])add.Params.Clone();
        add.Params[Micro.Runtime.Kernels.Add.PLeftShift] = 16;
        var e = Assert.ThrowsExactly<Micro.Runtime.BlobFormatException>(() => Micro.Runtime.Model.Load(BlobEmitter.Emit(g)));
        StringAssert.Contains(e.Message, "left_shift is 16");
    }
}
