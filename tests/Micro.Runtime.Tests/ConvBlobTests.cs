using Micro.Runtime.Format;
using Micro.Runtime.Tests.Reference;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;
using static Micro.Runtime.Tests.BlobMutation;

namespace Micro.Runtime.Tests;

/// <summary>
/// The convolutions through real blobs: QGraph → BlobEmitter (which folds the bias on the host) →
/// Model.Load (Prepare) → Interpreter.Invoke, against the slow reference; Prepare's refusals; and
/// mutated conv blobs that must either be refused or run without any exception.
/// </summary>
[TestClass]
public class ConvBlobTests
{
    public static QConv ToOp(ConvCase c, QTensor x, QTensor y)
    {
        var op = new QConv
        {
            Name = c.ToString(),
            Depthwise = c.Depthwise,
            Is1D = c.Is1D,
            KernelH = c.Kh,
            KernelW = c.Kw,
            StrideH = c.Sh,
            StrideW = c.Sw,
            DilationH = c.Dh,
            DilationW = c.Dw,
            PadTop = c.PadT,
            PadLeft = c.PadL,
            DepthMultiplier = c.Dm,
            Weights = c.Wt,
            Bias = c.Int16 ? null : c.Bias,
            Bias64 = c.Int16 ? c.Bias64 : null,
            Multipliers = c.PerChannel ? c.Mult : new[] { c.Mult[0] },
            Shifts = c.PerChannel ? c.Shift : new[] { c.Shift[0] },
            ActMin = c.ActMin,
            ActMax = c.ActMax,
            FoldInputZeroPoint = c.Folded,
        };
        op.Inputs.Add(x);
        op.Output = y;
        return op;
    }

    private static int[] InShape(ConvCase c) => c.Is1D ? new[] { c.N, c.W, c.Cin } : new[] { c.N, c.H, c.W, c.Cin };
    private static int[] OutShape(ConvCase c) => c.Is1D ? new[] { c.N, c.Wo, c.Cout } : new[] { c.N, c.Ho, c.Wo, c.Cout };

    public static QGraph SingleOp(ConvCase c)
    {
        var g = new QGraph { Name = "conv-test" };
        int dt = c.Int16 ? DType.Int16 : DType.Int8;
        var x = g.AddTensor("x", InShape(c), 0.05f, c.XZp, dt);
        var y = g.AddTensor("y", OutShape(c), 0.1f, c.YZp, dt);
        g.Inputs.Add(x);
        g.Outputs.Add(y);
        g.Add(ToOp(c, x, y));
        return g;
    }

    private static void SetInput(Interpreter it, ConvCase c)
    {
        if (!c.Int16)
        {
            it.SetInput(0, c.X, 0);
            return;
        }
        int p = it.Model.Tensors[it.Model.Inputs[0]].ArenaOffset;
        for (int i = 0; i < c.X16.Length; i++)
        {
            it.Arena[p + 2 * i] = (sbyte)c.X16[i];
            it.Arena[p + 2 * i + 1] = (sbyte)(c.X16[i] >> 8);
        }
    }

    [TestMethod]
    public void RandomCasesThroughBlobsMatchReference()
    {
        var rng = new Random(701);
        int run = 0;
        foreach (var (dw, is1D, int16) in new[] { (false, true, false), (false, false, false), (true, true, false), (true, false, false), (false, true, true), (false, false, true) })
            for (int i = 0; i < 12; i++)
            {
                ConvCase c = ConvCase.Random(rng, dw, is1D, int16);
                var m = Model.Load(BlobEmitter.Emit(SingleOp(c)));
                Op op = m.Ops[0];
                Assert.AreEqual((long)c.N * c.Ho * c.Wo * c.Cout * c.Taps, op.Macs, c.ToString());
                var it = new Interpreter(m);
                SetInput(it, c);
                it.Invoke();
                Assert.AreEqual(op.Macs, it.MacsExecuted);
                int[] expected = int16 ? Array.ConvertAll(c.Reference16(), v => (int)v) : Array.ConvertAll(c.Reference(), v => (int)v);
                for (int k = 0; k < expected.Length; k++)
                    if (expected[k] != it.OutputValue(0, k))
                        Assert.Fail($"{c}: element {k} is {it.OutputValue(0, k)}, reference {expected[k]}");
                run++;
            }
        Assert.AreEqual(72, run);
    }

    /// <summary>A model, one input for it, and the output the chained references give.</summary>
    public sealed record Network(QGraph Graph, sbyte[] Input, sbyte[] Expected, long Macs, int FewestDistinctHiddenValues);

    /// <summary>
    /// A small 1-D network as the PPG models are built: x[1,32,2] → Conv1D (k5, SAME, 8 ch) →
    /// DepthwiseConv1D (k3, dm 2, stride 2) → Conv1D (k3, dilation 2, VALID, ReLU range, 4 ch) → RESHAPE →
    /// FULLY_CONNECTED (3 classes), with the expected output from the references chained by hand. Public
    /// so that a golden set (device tests) can reuse it.
    /// </summary>
    public static Network PpgLike(int seed)
    {
        var rng = new Random(800 + seed);
        var l1 = Layer(rng, false, 32, 2, 8, k: 5, s: 1, d: 1, pad: 2, wo: 32);
        var l2 = Layer(rng, true, 32, 8, 16, k: 3, s: 2, d: 1, pad: 0, wo: 16, dm: 2);
        var l3 = Layer(rng, false, 16, 16, 4, k: 3, s: 1, d: 2, pad: 0, wo: 12);
        l2.XZp = l1.YZp;
        l3.XZp = l2.YZp;
        l3.ActMin = l3.YZp; // fused ReLU: clamp at the real zero
        l1.CalibrateShifts(100);
        l2.X = l1.Reference();
        l2.CalibrateShifts(100);
        l3.X = l2.Reference();
        l3.CalibrateShifts(100);
        sbyte[] h3 = l3.Reference();

        const int classes = 3;
        int depth = 12 * 4;
        var fw = new sbyte[classes * depth];
        for (int i = 0; i < fw.Length; i++) fw[i] = (sbyte)rng.Next(-127, 128);
        int[] fb = { rng.Next(-3000, 3000), rng.Next(-3000, 3000), rng.Next(-3000, 3000) };
        int[] fm = { rng.Next(1 << 30, int.MaxValue) }, fs = { -9 };
        int fyZp = rng.Next(-20, 20);
        sbyte[] expected = ReferenceFullyConnected.Int8(h3, 1, depth, fw, classes, fb, new[] { fm[0], fm[0], fm[0] },
            new[] { fs[0], fs[0], fs[0] }, l3.YZp, fyZp, -128, 127);

        var g = new QGraph { Name = "ppg-like", Version = "seed" + seed };
        var x = g.AddTensor("x", new[] { 1, 32, 2 }, 0.02f, l1.XZp);
        var t1 = g.AddTensor("t1", new[] { 1, 32, 8 }, 0.05f, l1.YZp);
        var t2 = g.AddTensor("t2", new[] { 1, 16, 16 }, 0.05f, l2.YZp);
        var t3 = g.AddTensor("t3", new[] { 1, 12, 4 }, 0.05f, l3.YZp);
        var flat = g.AddTensor("flat", new[] { 1, depth }, 0.05f, l3.YZp);
        var y = g.AddTensor("y", new[] { 1, classes }, 0.1f, fyZp);
        g.Inputs.Add(x);
        g.Outputs.Add(y);
        g.Add(ToOp(l1, x, t1));
        g.Add(ToOp(l2, t1, t2));
        g.Add(ToOp(l3, t2, t3));
        var reshape = new QSimpleOp(OpCodes.Reshape, Array.Empty<int>());
        reshape.Inputs.Add(t3);
        reshape.Output = flat;
        g.Add(reshape);
        var fc = new QFullyConnected { Weights = fw, Bias = fb, Multipliers = fm, Shifts = fs };
        fc.Inputs.Add(flat);
        fc.Output = y;
        g.Add(fc);
        long macs = 32L * 8 * 5 * 2 + 16L * 16 * 3 + 12L * 4 * 3 * 16 + depth * classes;
        int distinct = new[] { l2.X, l3.X, h3 }.Min(v => v.Distinct().Count());
        return new Network(g, l1.X, expected, macs, distinct);
    }

    [TestMethod]
    public void OneDimensionalNetworkMatchesChainedReference()
    {
        for (int seed = 0; seed < 5; seed++)
        {
            Network n = PpgLike(seed);
            var it = new Interpreter(Model.Load(BlobEmitter.Emit(n.Graph)));
            it.SetInput(0, n.Input, 0);
            it.Invoke();
            var actual = new sbyte[n.Expected.Length];
            it.GetOutput(0, actual, 0);
            CollectionAssert.AreEqual(n.Expected, actual, "seed " + seed);
            Assert.AreEqual(n.Macs, it.MacsExecuted);
            Assert.IsTrue(n.FewestDistinctHiddenValues >= 10, "seed " + seed + ": hidden layers saturate: " + n.FewestDistinctHiddenValues + " distinct values");
        }
    }

    /// <summary>A 2-D stack: Conv2D 3×3 SAME stride 2 → DepthwiseConv2D 3×3 SAME dm 1 → Conv2D 1×1.</summary>
    [TestMethod]
    public void TwoDimensionalStackMatchesChainedReference()
    {
        var rng = new Random(900);
        var l1 = Layer(rng, false, 9, 3, 6, k: 3, s: 2, d: 1, pad: 1, wo: 5, h: 7, ho: 4);
        var l2 = Layer(rng, true, 5, 6, 6, k: 3, s: 1, d: 1, pad: 1, wo: 5, h: 4, ho: 4);
        var l3 = Layer(rng, false, 5, 6, 5, k: 1, s: 1, d: 1, pad: 0, wo: 5, h: 4, ho: 4);
        l2.XZp = l1.YZp;
        l3.XZp = l2.YZp;
        l1.CalibrateShifts(100);
        l2.X = l1.Reference();
        l2.CalibrateShifts(100);
        l3.X = l2.Reference();
        l3.CalibrateShifts(100);
        sbyte[] expected = l3.Reference();
        Assert.IsTrue(new[] { l2.X, l3.X, expected }.All(v => v.Distinct().Count() >= 20), "layers saturate");

        var g = new QGraph { Name = "cnn2d" };
        var x = g.AddTensor("x", new[] { 1, 7, 9, 3 }, 0.02f, l1.XZp);
        var t1 = g.AddTensor("t1", new[] { 1, 4, 5, 6 }, 0.05f, l1.YZp);
        var t2 = g.AddTensor("t2", new[] { 1, 4, 5, 6 }, 0.05f, l2.YZp);
        var y = g.AddTensor("y", new[] { 1, 4, 5, 5 }, 0.05f, l3.YZp);
        g.Inputs.Add(x);
        g.Outputs.Add(y);
        g.Add(ToOp(l1, x, t1));
        g.Add(ToOp(l2, t1, t2));
        g.Add(ToOp(l3, t2, y));
        var it = new Interpreter(Model.Load(BlobEmitter.Emit(g)));
        it.SetInput(0, l1.X, 0);
        it.Invoke();
        var actual = new sbyte[expected.Length];
        it.GetOutput(0, actual, 0);
        CollectionAssert.AreEqual(expected, actual);
    }

    /// <summary>A layer with the given geometry (2-D when h is given) and random data, folded and per-channel at random.</summary>
    private static ConvCase Layer(Random rng, bool depthwise, int w, int cin, int cout, int k, int s, int d, int pad, int wo,
        int dm = 1, int h = 0, int ho = 0)
    {
        bool is1D = h == 0;
        var c = new ConvCase
        {
            Depthwise = depthwise,
            Is1D = is1D,
            N = 1,
            H = is1D ? 1 : h,
            W = w,
            Cin = cin,
            Cout = cout,
            Dm = dm,
            Kh = is1D ? 1 : k,
            Kw = k,
            Sh = is1D ? 1 : s,
            Sw = s,
            Dh = is1D ? 1 : d,
            Dw = d,
            PadT = is1D ? 0 : pad,
            PadL = pad,
            Ho = is1D ? 1 : ho,
            Wo = wo,
            Folded = rng.Next(2) == 0,
            PerChannel = rng.Next(2) == 0,
        };
        c.FillRandom(rng, randomActivation: false);
        return c;
    }

    // ---- Prepare's refusals ----

    private static ConvCase Valid2D()
    {
        var c = new ConvCase
        {
            N = 1,
            H = 6,
            W = 5,
            Cin = 3,
            Cout = 4,
            Kh = 3,
            Kw = 3,
            Sh = 1,
            Sw = 2,
            Dh = 1,
            Dw = 1,
            PadT = 1,
            PadL = 1,
            Ho = 6,
            Wo = 3,
            Folded = true,
            PerChannel = true,
        };
        c.FillRandom(new Random(5), randomActivation: false);
        c.XZp = 7;
        return c;
    }

    private static int CodeOf(byte[] blob)
    {
        try
        {
            Model.Load(blob);
        }
        catch (BlobFormatException e)
        {
            return e.Code;
        }
        Assert.Fail("the blob loaded");
        return 0;
    }

    private static int CodeOf(ConvCase c) => CodeOf(BlobEmitter.Emit(SingleOp(c)));

    [TestMethod]
    public void PrepareRefusesInconsistentShapesAndParams()
    {
        Assert.IsNotNull(Model.Load(BlobEmitter.Emit(SingleOp(Valid2D()))));

        var c = Valid2D();
        c.Ho = 8; // would need end padding 3 ≥ effective kernel 3 (7 is fine: end padding 2)
        Assert.AreEqual(ErrorCodes.ShapeMismatch, CodeOf(c));
        c = Valid2D();
        c.Wo = 4; // stride 2 over width 5 with pad 1: 3 (SAME) or 2 (last column unused), not 4
        Assert.AreEqual(ErrorCodes.ShapeMismatch, CodeOf(c));
        c = Valid2D();
        c.PadT = 3; // padding must be below the effective kernel
        c.Ho = 7;
        Assert.AreEqual(ErrorCodes.ShapeMismatch, CodeOf(c));

        byte[] valid = BlobEmitter.Emit(SingleOp(Valid2D()));
        Assert.AreEqual(ErrorCodes.BadOpParams, CodeOf(WithParam(valid, 0, 8, 0))); // kh 0
        Assert.AreEqual(ErrorCodes.BadOpParams, CodeOf(WithParam(valid, 0, 11, 0))); // stride_w 0
        Assert.AreEqual(ErrorCodes.BadOpParams, CodeOf(WithParam(valid, 0, 12, -1))); // dilation_h −1
        Assert.AreEqual(ErrorCodes.BadOpParams, CodeOf(WithParam(valid, 0, 14, -1))); // pad_top −1
        Assert.AreEqual(ErrorCodes.BadOpParams, CodeOf(WithParam(valid, 0, 7, 3))); // unknown flag bit
        Assert.AreEqual(ErrorCodes.BadOpParams, CodeOf(WithParam(valid, 0, 4, 2))); // q_count 2 of 4 channels
        Assert.AreEqual(ErrorCodes.BadOpParams, CodeOf(WithParam(valid, 0, 6, 128))); // act_max above int8
        Assert.AreEqual(ErrorCodes.BadConstant, CodeOf(WithParam(valid, 0, 0, Param(valid, 0, 0) + 10_000))); // weights outside
        Assert.AreEqual(ErrorCodes.ShapeMismatch, CodeOf(WithParam(valid, 0, 9, 1))); // kw 1: pad_left 1 is no longer below it
        Assert.AreEqual(ErrorCodes.ShapeMismatch, CodeOf(WithParam(valid, 0, 12, 40000))); // effective kernel 80001 > 65535
    }

    [TestMethod]
    public void PrepareRefusesWrongRanksChannelsAndTypes()
    {
        // Depthwise output channels must be C·dm.
        var c = ConvCase.Random(new Random(11), true, false, false);
        c.Dm += 1;
        Assert.AreEqual(ErrorCodes.ShapeMismatch, CodeOf(c));

        // Batch must match.
        var g = SingleOp(Valid2D());
        g.Outputs[0].Shape = new[] { 2, 6, 3, 4 };
        Assert.AreEqual(ErrorCodes.ShapeMismatch, CodeOf(BlobEmitter.Emit(g)));

        // CONV_2D on rank-3 tensors.
        g = SingleOp(Valid2D());
        g.Inputs[0].Shape = new[] { 6, 5, 3 };
        g.Outputs[0].Shape = new[] { 6, 3, 4 };
        Assert.AreEqual(ErrorCodes.ShapeMismatch, CodeOf(BlobEmitter.Emit(g)));

        // Depthwise has no int16 variant.
        c = ConvCase.Random(new Random(12), true, true, false);
        g = SingleOp(c);
        g.Inputs[0].DType = DType.Int16;
        g.Inputs[0].ZeroPoint = 0;
        g.Outputs[0].DType = DType.Int16;
        g.Outputs[0].ZeroPoint = 0;
        Assert.AreEqual(ErrorCodes.BadDType, CodeOf(BlobEmitter.Emit(g)));

        // Int8 in, int16 out.
        g = SingleOp(Valid2D());
        g.Outputs[0].DType = DType.Int16;
        g.Outputs[0].ZeroPoint = 0;
        Assert.AreEqual(ErrorCodes.BadDType, CodeOf(BlobEmitter.Emit(g)));

        // Int16 with the folded flag: nothing to fold.
        c = ConvCase.Random(new Random(13), false, true, true);
        byte[] b16 = BlobEmitter.Emit(SingleOp(c));
        Assert.AreEqual(ErrorCodes.BadOpParams, CodeOf(WithParam(b16, 0, 7, 1)));
        // Int16 shifts may shift left by at most 7 (TFLite's 64-bit multiplier).
        c.Shift = Enumerable.Repeat(8, c.Cout).ToArray();
        Assert.AreEqual(ErrorCodes.BadOpParams, CodeOf(c));
    }

    /// <summary>
    /// Conv blobs with op params, dims and constant offsets mutated: each must be refused with
    /// BlobFormatException or load and run without any exception (the kernels never index out of bounds).
    /// </summary>
    [TestMethod]
    public void MutatedConvBlobsAreRefusedOrRunSafely()
    {
        var rng = new Random(1000);
        var seeds = new List<byte[]>();
        foreach (var (dw, is1D, int16) in new[] { (false, true, false), (false, false, false), (true, true, false), (true, false, false), (false, true, true), (false, false, true) })
            for (int i = 0; i < 3; i++) seeds.Add(BlobEmitter.Emit(SingleOp(ConvCase.Random(rng, dw, is1D, int16))));
        int loaded = 0, refused = 0;
        for (int n = 0; n < 6000; n++)
        {
            byte[] seed = seeds[n % seeds.Count];
            byte[] b = seed;
            for (int e = rng.Next(1, 3); e > 0; e--)
            {
                var map = BlobMap.Of(b);
                if (rng.Next(3) == 0)
                {
                    // a tensor dim (0 is refused; 1..11 mostly mismatch the params)
                    int t = rng.Next(2);
                    b = WithDim(b, t, rng.Next(map.Tensors[t].Dims.Length), rng.Next(0, 12));
                }
                else
                {
                    int k = rng.Next(map.Ops[0].Params.Length);
                    int v = Param(b, 0, k);
                    b = WithParam(b, 0, k, rng.Next(4) switch { 0 => rng.Next(-2, 6), 1 => v + rng.Next(-40, 40), 2 => int.MaxValue, _ => rng.Next(0, 100) });
                }
            }
            Model m;
            try
            {
                m = Model.Load(b);
            }
            catch (BlobFormatException)
            {
                refused++;
                continue;
            }
            loaded++;
            var it = new Interpreter(m);
            for (int i = 0; i < it.Arena.Length; i++) it.Arena[i] = (sbyte)rng.Next(-128, 128);
            it.Invoke(); // any exception fails the test
        }
        Assert.IsTrue(loaded > 300 && refused > 1000, $"{loaded} loaded, {refused} refused");
    }
}
