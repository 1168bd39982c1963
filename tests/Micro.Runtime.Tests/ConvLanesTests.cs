using Micro.Runtime.Kernels;
using Micro.Runtime.Tests.Reference;
using Micro.Tooling.Blob;

namespace Micro.Runtime.Tests;

/// <summary>
/// The packed CONV_1D/CONV_2D interior (ConvLanes: three positions per 64-bit multiply): the load-time
/// exactness proof, its fallback to the plain loop on adversarial weights (and that the fallback is
/// needed: the packed loop is wrong on them), edge shapes against the reference, and the scratch that
/// Prepare shares among the ops of a model.
/// </summary>
[TestClass]
public class ConvLanesTests
{
    private static byte[] Row(params int[] w) => Array.ConvertAll(w, v => (byte)(sbyte)v);

    private static byte[] Fill(int count, int value) => Enumerable.Repeat((byte)(sbyte)value, count).ToArray();

    [TestMethod]
    public void ChunkIsTheLongestWhoseAbsoluteSumsFitTheLane()
    {
        // 300 weights of 27: a 256-chunk sums 6912 ≤ 8191.
        Assert.AreEqual(256, ConvLanes.ChooseChunk(Fill(300, 27), 0, 1, 300, 300, 1));
        // 33: 256·33 = 8448 > 8191, 128·33 = 4224 fits.
        Assert.AreEqual(128, ConvLanes.ChooseChunk(Fill(300, -33), 0, 1, 300, 300, 1));
        // 127 (the largest TFLite weight): only 64·127 = 8128 fits.
        Assert.AreEqual(64, ConvLanes.ChooseChunk(Fill(200, 127), 0, 1, 200, 200, 1));
        // 64 × −128 = 8192: no chunk is provably exact, the plain loop must run.
        Assert.AreEqual(0, ConvLanes.ChooseChunk(Fill(64, -128), 0, 1, 64, 64, 1));
        // 63 × −128 + one 127 fits (8191 exactly); the 64-weight row is one chunk of any length.
        byte[] edge = Fill(64, -128);
        edge[10] = 127;
        Assert.AreEqual(256, ConvLanes.ChooseChunk(edge, 0, 1, 64, 64, 1));
        // Chunks count from each row's start: the second row (offset 5 in the blob) decides.
        byte[] two = new byte[5 + 2 * 70];
        for (int i = 0; i < 70; i++) two[5 + i] = 1;
        for (int i = 70; i < 140; i++) two[5 + i] = 0x80; // −128
        Assert.AreEqual(0, ConvLanes.ChooseChunk(two, 5, 2, 70, 70, 1));
        Assert.IsTrue(ConvLanes.ChunksFit(two, 5, 1, 70, 70, 1, 256));
        // Short rows: a chunk longer than the row is one chunk per row.
        Assert.AreEqual(256, ConvLanes.ChooseChunk(Row(-128, -128, -128), 0, 1, 3, 3, 1));
    }

    /// <summary>
    /// Weights of −128 and inputs of −128 make every product +16384; 64 of them sum to 2^20, one past what
    /// a 21-bit lane holds. Prepare must refuse the packed path (and the kernel then matches the reference),
    /// and forcing it anyway must give wrong outputs, so the proof is what keeps the kernel exact.
    /// </summary>
    [TestMethod]
    public void AdversarialWeightsFallBackToThePlainLoop()
    {
        var c = new ConvCase
        {
            Is1D = true,
            N = 1,
            H = 1,
            W = 8,
            Cin = 64,
            Cout = 2,
            Kh = 1,
            Kw = 1,
            Sh = 1,
            Sw = 1,
            Dh = 1,
            Dw = 1,
            Ho = 1,
            Wo = 8,
            XZp = 0,
            YZp = 0,
            ActMin = -128,
            ActMax = 127,
            PerChannel = true,
            X = Enumerable.Repeat((sbyte)-128, 8 * 64).ToArray(),
            Wt = Enumerable.Repeat((sbyte)-128, 128).ToArray(),
            Bias = new[] { 0, 5 },
            Mult = new[] { 1 << 30, 1 << 30 },
            Shift = new[] { -14, -14 },
        };
        sbyte[] expected = c.Reference();
        // 2^20 · 0.5 · 2^-14 = 32 (and 32 for the other channel: the bias 5 is rounded away).
        Assert.AreEqual(32, (int)expected[0]);

        // Through a blob: Prepare leaves the packed path off and the op has no window.
        var m = Model.Load(BlobEmitter.Emit(ConvBlobTests.SingleOp(c)));
        Assert.AreEqual(0, ((ConvData)m.Ops[0].Data).LaneChunk);
        Assert.IsNull(((ConvData)m.Ops[0].Data).Lanes);
        var it = new Interpreter(m);
        it.SetInput(0, c.X, 0);
        it.Invoke();
        var y = new sbyte[expected.Length];
        it.GetOutput(0, y, 0);
        CollectionAssert.AreEqual(expected, y);

        // Forced on with chunk 64, the lanes overflow into each other.
        Assert.IsFalse(ConvLanes.ChunksFit(Row(c.Wt.Select(v => (int)v).ToArray()), 0, 2, 64, 64, 1, 64));
        ConvData g = ConvKernels.Geometry(c);
        g.LaneChunk = 64;
        g.Lanes = new LaneWindow { Values = new long[64] };
        byte[] w = Row(c.Wt.Select(v => (int)v).ToArray());
        g.BiasInterior = new int[2];
        g.BiasBorder = new int[2];
        ConvGeometry.SplitBias(c.Bias, false, 0, w, 0, 2, 64, 64, 1, g.BiasInterior, g.BiasBorder);
        g.Multiplier = c.Mult;
        g.Shift = c.Shift;
        g.ActMin = -128;
        g.ActMax = 127;
        g.YOffset = c.X.Length;
        var arena = new sbyte[c.X.Length + expected.Length];
        Array.Copy(c.X, arena, c.X.Length);
        Conv1D.EvalInt8(g, w, arena);
        var forced = new sbyte[expected.Length];
        Array.Copy(arena, c.X.Length, forced, 0, forced.Length);
        CollectionAssert.AreNotEqual(expected, forced, "the packed loop should overflow on these weights");
    }

    /// <summary>
    /// The largest products the proof allows: weights all 127 (chunk 64) or all −127, inputs all −128 or
    /// 127, long rows (several chunks), an unclamped output range, seven output channels (Dot3's four-row,
    /// two-row and single-row passes). Both paths match the reference.
    /// </summary>
    [TestMethod]
    public void ExtremeAllowedWeightsAndInputsStayExact()
    {
        foreach (int wv in new[] { 127, -127 })
            foreach (int xv in new[] { -128, 127 })
            {
                var c = new ConvCase
                {
                    Is1D = true,
                    N = 1,
                    H = 1,
                    W = 7,
                    Cin = 100,
                    Cout = 7,
                    Kh = 1,
                    Kw = 2,
                    Sh = 1,
                    Sw = 1,
                    Dh = 1,
                    Dw = 1,
                    Ho = 1,
                    Wo = 6,
                    XZp = 0,
                    YZp = 0,
                    ActMin = -128,
                    ActMax = 127,
                    PerChannel = true,
                    X = Enumerable.Repeat((sbyte)xv, 7 * 100).ToArray(),
                    Wt = Enumerable.Repeat((sbyte)wv, 1400).ToArray(),
                    Bias = new[] { 0, 1000, -1000, 77, -3, 1 << 20, -(1 << 20) },
                    Mult = Enumerable.Repeat(1 << 30, 7).ToArray(),
                    Shift = Enumerable.Repeat(-16, 7).ToArray(),
                };
                for (int i = 0; i < c.X.Length; i += 7) c.X[i] = (sbyte)(i % 256 - 128);
                sbyte[] expected = c.Reference();
                Assert.IsTrue(expected.Any(v => v > -128 && v < 127), "all outputs clamped");
                var rng = new Random(wv + xv);
                CollectionAssert.AreEqual(expected, ConvKernels.RunInt8(c, rng, true, out bool used));
                Assert.IsTrue(used);
                CollectionAssert.AreEqual(expected, ConvKernels.RunInt8(c, rng));
            }
    }

    /// <summary>
    /// Shapes at the packed path's edges: interior runs of 1..7 positions (odd counts, a remainder of 1 or 2
    /// after the triples), one output, padding on either side, stride 2 and 3, dilation 2, batches, 1-D and
    /// 2-D, Cout 1..9 (Dot3's four-, two- and one-row passes). Both paths against the reference; the packed one must run where a row has 3 interior positions.
    /// </summary>
    [TestMethod]
    public void EdgeShapesMatchReferenceOnBothPaths()
    {
        var rng = new Random(9001);
        int packedRuns = 0, cases = 0;
        foreach (bool is1D in new[] { true, false })
            foreach (int w in new[] { 1, 3, 4, 5, 6, 7, 9 })
                foreach (var (k, s, d, pad) in new[] { (1, 1, 1, 0), (3, 1, 1, 1), (3, 1, 1, 0), (2, 2, 1, 0), (3, 2, 2, 2), (3, 3, 1, 1), (5, 1, 2, 4) })
                {
                    int ek = d * (k - 1) + 1;
                    int span = w + 2 * pad - ek;
                    if (span < 0 || pad >= ek && pad > 0) continue;
                    int wo = span / s + 1;
                    var c = new ConvCase
                    {
                        Is1D = is1D,
                        N = rng.Next(1, 3),
                        H = is1D ? 1 : 4,
                        W = w,
                        Cin = rng.Next(1, 6),
                        Cout = rng.Next(1, 10),
                        Kh = is1D ? 1 : 2,
                        Kw = k,
                        Sh = 1,
                        Sw = s,
                        Dh = 1,
                        Dw = d,
                        PadT = 0,
                        PadL = pad,
                        Ho = is1D ? 1 : 3,
                        Wo = wo,
                        Folded = rng.Next(2) == 0,
                        PerChannel = true,
                    };
                    if (ConvGeometry.AxisError("width", c.W, c.Kw, c.Sw, c.Dw, c.PadL, c.Wo) != null) continue;
                    c.FillRandom(rng, randomActivation: false);
                    sbyte[] expected = c.Reference();
                    ConvKernels.AssertSame(expected, ConvKernels.RunInt8(c, rng), c);
                    ConvKernels.AssertSame(expected, ConvKernels.RunInt8(c, rng, true, out bool used), c);
                    Assert.AreEqual(c.Wo >= 3, used, c.ToString());
                    if (used) packedRuns++;
                    cases++;
                }
        Assert.IsTrue(cases > 60, "cases " + cases);
        Assert.IsTrue(packedRuns > 20 && packedRuns < cases, "packed in " + packedRuns + " of " + cases);
    }

    /// <summary>
    /// Through blobs: the two Conv1D layers of the PPG-like network (windows of 10 and 48) and its packed
    /// depthwise layers share one scratch of the largest size, the other ops have none, and the network
    /// still matches the chained reference.
    /// </summary>
    [TestMethod]
    public void OpsOfAModelShareOneScratch()
    {
        ConvBlobTests.Network n = ConvBlobTests.PpgLike(3);
        var m = Model.Load(BlobEmitter.Emit(n.Graph));
        Op[] convs = m.Ops.Where(o => o.Code == Micro.Runtime.Format.OpCodes.Conv1D).ToArray();
        Assert.AreEqual(2, convs.Length);
        LaneWindow lanes = ((ConvData)convs[0].Data).Lanes;
        Assert.IsNotNull(lanes);
        Assert.AreSame(lanes, ((ConvData)convs[1].Data).Lanes);
        Assert.AreEqual(48, lanes.Values.Length);
        Op[] depthwise = m.Ops.Where(o => o.Code == Micro.Runtime.Format.OpCodes.DepthwiseConv1D).ToArray();
        Assert.IsTrue(depthwise.Length > 0 && depthwise.All(o => ReferenceEquals(lanes, ((ConvData)o.Data).Lanes)));
        Assert.IsTrue(m.Ops.Where(o => o.Code != Micro.Runtime.Format.OpCodes.Conv1D && o.Code != Micro.Runtime.Format.OpCodes.DepthwiseConv1D)
            .All(o => (o.Data as ConvData)?.Lanes == null));
        Assert.IsTrue(convs.All(o => ((ConvData)o.Data).LaneChunk > 0));
        var it = new Interpreter(m);
        it.SetInput(0, n.Input, 0);
        it.Invoke();
        var y = new sbyte[n.Expected.Length];
        it.GetOutput(0, y, 0);
        CollectionAssert.AreEqual(n.Expected, y);
    }
}
