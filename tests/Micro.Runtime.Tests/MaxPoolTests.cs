using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Runtime.Tests.Reference;
using static Micro.Runtime.Tests.Reference.ReferenceElementwise;

namespace Micro.Runtime.Tests;

[TestClass]
public class MaxPoolTests
{
    // TFLM's int8 MAX_POOL_2D (reference_integer_ops::MaxPool) on random data. Header as in AveragePoolTests.
    private const string Golden = """
MAXPOOL 1 5 7 3 3 3 2 2 1 1 -128 127 3 4 | 106 -87 -104 -60 127 -111 83 -43 16 72 20 -73 -63 34 31 -34 119 -77 -8 -2 85 -48 99 12 -65 -116 101 59 89 59 65 -1 8 113 123 13 -17 3 -40 87 114 3 91 19 53 -56 72 -75 29 -29 35 -17 77 41 -79 -73 41 -81 -12 64 85 -56 50 -2 -74 9 -17 -91 111 68 -19 42 -28 -113 50 -64 -71 61 1 -37 -45 -29 -34 48 85 83 -114 -79 -93 -93 19 -108 97 38 -77 77 116 112 -14 -114 -1 86 -110 77 102 | 106 127 101 83 127 101 113 123 31 87 119 85 91 99 111 68 89 111 113 123 64 87 114 64 85 83 111 68 -19 111 116 112 86 1 77 102
MAXPOOL 1 1 17 6 1 3 1 2 0 1 -5 127 1 9 | -21 -103 -67 77 -125 74 82 -103 -78 41 -64 109 77 -5 -4 45 103 -61 57 126 84 -59 -21 66 -88 -123 -57 -97 56 -57 -65 -8 22 -112 9 -14 -104 35 24 111 82 4 -95 -107 22 -8 -105 -57 -6 2 46 -86 81 102 -38 32 -80 -88 79 79 -23 -115 -126 -102 18 23 -90 -90 126 -116 47 85 -63 112 -46 -51 -80 -123 -127 113 94 -47 114 -26 31 -105 24 14 -121 91 40 15 107 -30 -107 76 -34 46 -109 106 52 -123 | 82 -5 -5 77 -5 109 82 126 84 45 103 109 57 126 84 -5 56 66 -5 35 24 111 82 4 -5 32 46 -5 81 102 -5 32 126 -5 79 85 -5 113 126 -5 114 85 40 113 107 14 114 91 40 46 107 106 52 76
""";

    [TestMethod]
    public void MatchesTflm()
    {
        var lines = ParseGolden(Golden);
        Assert.AreEqual(2, lines.Count);
        foreach (var g in lines)
        {
            int[] h = Enumerable.Range(0, 14).Select(g.H).ToArray();
            sbyte[] x = g.Bytes(0);
            var a = new sbyte[x.Length + g.Arrays[1].Length];
            Array.Copy(x, a, x.Length);
            MaxPool.EvalInt8(PoolKernels.Data(0, x.Length, h[0], h[1], h[2], h[3], h[12], h[13], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11]), a);
            CollectionAssert.AreEqual(g.Arrays[1], a.Skip(x.Length).Select(v => (int)v).ToArray());
        }
    }

    [TestMethod]
    public void PaddingNeverWinsAndTheClampApplies()
    {
        // All inputs −100: padded taps must not contribute a 0 (or a zero point); act_min −90 lifts the result.
        var a = Enumerable.Repeat((sbyte)-100, 9).Concat(new sbyte[9]).ToArray();
        MaxPool.EvalInt8(PoolKernels.Data(0, 9, 1, 3, 3, 1, 3, 3, 3, 3, 1, 1, 1, 1, -128, 127), a);
        Assert.IsTrue(a[9..].All(v => v == -100));
        MaxPool.EvalInt8(PoolKernels.Data(0, 9, 1, 3, 3, 1, 3, 3, 3, 3, 1, 1, 1, 1, -90, 127), a);
        Assert.IsTrue(a[9..].All(v => v == -90));
    }

    [TestMethod]
    public void RandomShapesThroughBlobsMatchTheReference()
    {
        var rng = new Random(102);
        int configs = 0;
        while (configs < 250)
        {
            var c = PoolConfig.Random(rng);
            if (c == null) continue;
            configs++;
            int[] x = RandomValues(rng, c.InputElements);
            var g = c.Graph(OpCodes.MaxPool);
            Assert.AreEqual((long)c.N * c.Oh * c.Ow * c.C * c.Kh * c.Kw, Model.Load(Micro.Tooling.Blob.BlobEmitter.Emit(g)).MainMacs);
            int[] got = RunBlob(g, x)[0];
            sbyte[] want = PoolRef(false, x.Select(v => (sbyte)v).ToArray(), c.N, c.H, c.W, c.C, c.Oh, c.Ow, c.Kh, c.Kw, c.Sh, c.Sw, c.Pt, c.Pl, c.ActMin, c.ActMax);
            CollectionAssert.AreEqual(want.Select(v => (int)v).ToArray(), got, c.ToString());
        }
    }

    [TestMethod]
    public void LoadRejectsInconsistentGeometryAndTypes()
    {
        // 10 → 6 with window 3, stride 2, pad_left 1 leaves one valid tap in the last window (PyTorch's ceil
        // mode) and loads; 7 outputs would put a window entirely in padding.
        Assert.AreEqual(6 * 3L * 3, Model.Load(Micro.Tooling.Blob.BlobEmitter.Emit(OneOp(OpCodes.MaxPool, new[] { 1, 3, 1, 2, 0, 1, -128, 127 },
            new[] { new Micro.Tooling.Graph.QTensor("x", new[] { 1, 10, 3 }, 0.05f, 0) }, new Micro.Tooling.Graph.QTensor("y", new[] { 1, 6, 3 }, 0.05f, 0)))).MainMacs);
        Assert.AreEqual(ErrorCodes.ShapeMismatch, PoolConfig.LoadError(OpCodes.MaxPool, new[] { 1, 10, 3 }, new[] { 1, 7, 3 }, new[] { 1, 3, 1, 2, 0, 1, -128, 127 }));
        Assert.AreEqual(ErrorCodes.ShapeMismatch, PoolConfig.LoadError(OpCodes.MaxPool, new[] { 1, 10, 3 }, new[] { 2, 5, 3 }, new[] { 1, 3, 1, 2, 0, 1, -128, 127 }));
        Assert.AreEqual(ErrorCodes.ShapeMismatch, PoolConfig.LoadError(OpCodes.MaxPool, new[] { 1, 10, 3 }, new[] { 1, 1, 5, 3 }, new[] { 1, 3, 1, 2, 0, 1, -128, 127 }));
        Assert.AreEqual(ErrorCodes.BadOpParams, PoolConfig.LoadError(OpCodes.MaxPool, new[] { 1, 10, 3 }, new[] { 1, 5, 3 }, new[] { 1, 3, 1, 2, 0, 1, -128 }));
        var g = OneOp(OpCodes.MaxPool, new[] { 1, 3, 1, 2, 0, 1, -128, 127 },
            new[] { new Micro.Tooling.Graph.QTensor("x", new[] { 1, 10, 3 }, 0.05f, 0, DType.Int16) }, new Micro.Tooling.Graph.QTensor("y", new[] { 1, 5, 3 }, 0.05f, 0, DType.Int16));
        Assert.AreEqual(ErrorCodes.BadDType, Assert.ThrowsExactly<BlobFormatException>(() => Model.Load(Micro.Tooling.Blob.BlobEmitter.Emit(g))).Code);
    }

    [TestMethod]
    public void MutatedParamsShapesAndZeroPointsAreRefusedOrRunSafely()
    {
        var (loaded, refused) = FuzzParamsAndShapes(new PoolConfig(3, 2, 1, 9, 3, 1, 3, 1, 2, 0, 1, 1, 5, -100, 127, -5).Graph(OpCodes.MaxPool), 202, 1500);
        Assert.IsTrue(loaded >= 10 && refused >= 300, $"{loaded} loaded and ran, {refused} refused");
    }
}
