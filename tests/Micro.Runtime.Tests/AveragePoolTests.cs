using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Runtime.Tests.Reference;
using Micro.Tooling.Graph;
using static Micro.Runtime.Tests.Reference.ReferenceElementwise;

namespace Micro.Runtime.Tests;

[TestClass]
public class AveragePoolTests
{
    // TFLM's int8 AVERAGE_POOL_2D (reference_integer_ops::AveragePool) on random data. Header: N H W C kh kw
    // stride_h stride_w pad_top pad_left act_min act_max Ho Wo (SAME/VALID padding as TFLM computed it);
    // then the NHWC input and TFLM's output.
    private const string Golden = """
AVGPOOL 1 5 7 3 3 3 2 2 1 1 -128 127 3 4 | -46 18 111 125 88 -108 99 87 127 -57 -54 -117 -69 -115 57 -99 -64 12 -126 82 -125 -89 -69 -84 55 3 55 -15 80 2 -118 -91 -125 -54 -119 -118 -62 -66 71 -90 67 -125 24 60 121 -5 -112 -48 25 76 -124 39 22 -39 7 67 -92 71 109 106 55 121 74 32 -125 -110 115 39 125 -7 -6 -123 88 79 54 125 -120 122 -72 -109 -63 -100 85 -116 -8 28 34 107 96 -101 114 116 109 -1 -38 43 -44 107 44 84 -121 67 126 -12 -68 | 11 10 -7 15 19 -28 -77 -85 -37 -94 5 -42 22 -34 10 20 10 -25 3 -25 -9 -33 35 -9 62 10 -13 69 48 18 30 -34 45 10 -39 -45
AVGPOOL 2 6 6 4 2 3 2 1 0 0 -128 127 3 4 | 43 35 78 -25 8 -81 -26 -70 -3 -9 -127 43 110 14 34 109 -1 72 13 -12 -107 57 -58 116 83 -74 17 -30 -99 -46 -13 113 23 -31 -81 -107 -90 119 -55 3 109 105 6 -83 -48 -55 105 -55 115 -18 54 -53 59 105 -15 101 75 15 95 -115 7 -11 -126 118 19 110 -96 -108 84 15 61 -101 -19 -86 27 -128 66 85 64 118 -9 99 -17 -15 -15 105 -84 -90 83 57 60 -121 -127 -23 -95 -54 31 -52 33 -29 18 118 64 -124 125 -68 -64 -93 -60 -79 -89 115 -117 -87 56 104 -73 56 -9 54 107 51 -87 -46 11 -83 81 111 60 -6 51 -127 -32 -82 -45 -67 29 -98 -11 21 86 -36 -98 -65 48 -66 17 46 -115 -40 -46 23 -109 -4 -90 109 -91 64 -112 100 104 -9 -44 112 -66 -74 -10 69 -51 79 -69 -40 -8 -40 37 92 -28 -92 122 69 115 71 62 72 -53 -106 51 87 79 -92 95 -88 -92 -59 5 -82 -84 -115 -87 30 -115 -47 16 -21 -86 -92 60 73 -88 90 115 -84 106 -121 57 -56 19 0 80 -110 10 -41 -66 61 -16 99 -58 61 -85 53 -20 70 93 34 -11 77 109 63 -28 -123 124 -33 -3 98 112 -105 -60 -103 108 57 -3 28 -44 -37 -83 33 76 -48 23 28 -71 -84 -65 -65 62 68 106 0 63 -85 27 18 96 53 22 105 -122 118 -33 -71 -44 67 58 -9 -82 -81 44 86 | 9 -34 -25 -13 -9 -6 -45 15 25 45 -35 -8 -5 52 8 13 48 33 35 -15 31 66 -14 20 27 63 -28 -55 9 42 -47 -59 59 -7 13 -51 20 -33 0 -31 1 -70 -17 -8 -28 -54 -33 27 -44 -27 -5 50 -39 -7 -5 78 -10 -13 -2 92 15 -24 7 59 -46 -27 -18 -10 -63 -24 -26 46 -50 23 17 29 8 5 29 -7 94 -8 15 24 36 0 -22 2 12 35 -3 19 -48 -11 -9 0
AVGPOOL 1 1 20 5 1 4 1 3 0 1 -20 90 1 7 | -72 14 -8 74 -41 -12 34 -120 46 54 111 2 33 -26 -30 -18 84 91 -65 -64 -84 38 -118 42 76 28 8 34 -104 82 59 -37 52 27 105 -55 5 12 22 -96 46 -9 4 85 19 -14 57 27 88 80 -8 102 -30 -90 -59 -21 -44 -58 101 -100 -110 -58 -38 -81 -64 -7 106 -104 67 -13 -103 9 62 -119 41 -8 21 -50 32 -104 108 22 -63 93 40 -11 -112 -5 108 64 82 103 -100 10 10 -44 93 -89 -4 -74 | 9 17 -20 31 -6 9 33 10 -20 16 20 -8 26 8 28 1 27 -14 46 -15 -20 3 -20 -8 -20 -4 -15 -14 29 10 9 28 -20 38 0
AVGPOOL 1 4 4 8 4 4 1 1 0 0 -128 127 1 1 | -111 -85 -84 -62 94 -21 -34 -22 39 121 -105 100 -111 -85 26 -93 126 21 -21 92 20 -119 -49 -126 -74 29 -55 73 9 36 29 37 -17 51 79 -54 -114 28 36 45 73 -11 -98 -127 -59 17 3 58 -28 4 -41 13 -52 -93 -36 -20 -32 1 24 13 -59 114 -50 -29 93 -118 -126 35 -50 30 -7 -64 123 65 53 -18 9 71 124 33 91 -60 82 13 -108 -115 121 -89 27 -76 -9 34 -111 -112 15 -14 -36 -78 69 -53 30 -17 94 -94 -66 92 93 -86 93 76 -122 87 -31 84 93 94 109 70 -90 -79 101 56 102 -122 109 125 -32 81 | 17 6 4 -3 -12 0 2 -18
""";

    [TestMethod]
    public void MatchesTflm()
    {
        var lines = ParseGolden(Golden);
        Assert.AreEqual(4, lines.Count);
        foreach (var g in lines)
        {
            int[] h = Enumerable.Range(0, 14).Select(g.H).ToArray();
            Assert.IsTrue(PoolGeometry.AxisValid(h[1], h[4], h[6], h[8], h[12]) && PoolGeometry.AxisValid(h[2], h[5], h[7], h[9], h[13]));
            sbyte[] x = g.Bytes(0);
            var a = new sbyte[x.Length + g.Arrays[1].Length];
            Array.Copy(x, a, x.Length);
            AveragePool.EvalInt8(PoolKernels.Data(0, x.Length, h[0], h[1], h[2], h[3], h[12], h[13], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11]), a);
            CollectionAssert.AreEqual(g.Arrays[1], a.Skip(x.Length).Select(v => (int)v).ToArray());
        }
    }

    [TestMethod]
    public void HandComputedRounding()
    {
        // Two pixels of two channels, (2, −2) and (3, −3): sums 5/2 → 3 and −5/2 → −3 (half away from zero).
        var a = new sbyte[] { 2, -2, 3, -3, 0, 0 };
        AveragePool.EvalInt8(PoolKernels.Data(0, 4, 1, 1, 2, 2, 1, 1, 1, 2, 1, 1, 0, 0, -128, 127), a);
        CollectionAssert.AreEqual(new sbyte[] { 3, -3 }, a[4..6]);
        // x = [4, 5, 6] (W = 3, C = 1), window 2, stride 1, pad_left 1: windows {4}, {4,5}, {5,6} → 4, 5 (4.5), 6 (5.5).
        a = new sbyte[] { 4, 5, 6, 0, 0, 0 };
        AveragePool.EvalInt8(PoolKernels.Data(0, 3, 1, 1, 3, 1, 1, 3, 1, 2, 1, 1, 0, 1, -128, 127), a);
        CollectionAssert.AreEqual(new sbyte[] { 4, 5, 6 }, a[3..6]);
    }

    [TestMethod]
    public void RandomShapesThroughBlobsMatchTheReference()
    {
        var rng = new Random(101);
        int configs = 0;
        while (configs < 250)
        {
            var c = PoolConfig.Random(rng);
            if (c == null) continue;
            configs++;
            int[] x = RandomValues(rng, c.InputElements);
            int[] got = RunBlob(c.Graph(OpCodes.AveragePool), x)[0];
            sbyte[] want = PoolRef(true, x.Select(v => (sbyte)v).ToArray(), c.N, c.H, c.W, c.C, c.Oh, c.Ow, c.Kh, c.Kw, c.Sh, c.Sw, c.Pt, c.Pl, c.ActMin, c.ActMax);
            CollectionAssert.AreEqual(want.Select(v => (int)v).ToArray(), got, c.ToString());
        }
    }

    [TestMethod]
    public void LoadRejectsInconsistentGeometry()
    {
        // 5 → 3 with window 2, stride 2 is TFLite's SAME; 4 outputs would need a window entirely in padding.
        Assert.AreEqual(ErrorCodes.ShapeMismatch, PoolConfig.LoadError(OpCodes.AveragePool, new[] { 1, 5, 5, 2 }, new[] { 1, 4, 3, 2 }, new[] { 2, 2, 2, 2, 0, 0, -128, 127 }));
        Assert.AreEqual(ErrorCodes.ShapeMismatch, PoolConfig.LoadError(OpCodes.AveragePool, new[] { 1, 5, 5, 2 }, new[] { 1, 1, 2, 2 }, new[] { 2, 2, 2, 2, 0, 0, -128, 127 }));
        Assert.AreEqual(ErrorCodes.BadOpParams, PoolConfig.LoadError(OpCodes.AveragePool, new[] { 1, 5, 5, 2 }, new[] { 1, 3, 3, 2 }, new[] { 2, 2, 2, 2, 2, 0, -128, 127 }));
        Assert.AreEqual(ErrorCodes.BadOpParams, PoolConfig.LoadError(OpCodes.AveragePool, new[] { 1, 9, 2 }, new[] { 1, 4, 2 }, new[] { 2, 2, 1, 2, 0, 0, -128, 127 }));
        Assert.AreEqual(ErrorCodes.BadOpParams, PoolConfig.LoadError(OpCodes.AveragePool, new[] { 1, 4, 4, 2 }, new[] { 1, 2, 2, 2 }, new[] { 2, 2, 2, 2, 0, 0, 10, 5 }));
        Assert.AreEqual(ErrorCodes.BadOpParams, PoolConfig.LoadError(OpCodes.AveragePool, new[] { 1, 4, 4, 2 }, new[] { 1, 2, 2, 2 }, new[] { 2, 2, 0, 2, 0, 0, -128, 127 }));
        Assert.AreEqual(ErrorCodes.ShapeMismatch, PoolConfig.LoadError(OpCodes.AveragePool, new[] { 1, 4, 4, 2 }, new[] { 1, 2, 2, 3 }, new[] { 2, 2, 2, 2, 0, 0, -128, 127 }));
        Assert.AreEqual(ErrorCodes.BadOpParams, PoolConfig.LoadError(OpCodes.AveragePool, new[] { 1, 4, 4, 2 }, new[] { 1, 2, 2, 2 }, new[] { 2, 2, 2, 2, 0, 0, -128, 127 }, yZero: 1));
    }

    [TestMethod]
    public void MutatedParamsShapesAndZeroPointsAreRefusedOrRunSafely()
    {
        var (loaded, refused) = FuzzParamsAndShapes(new PoolConfig(4, 1, 6, 7, 3, 3, 3, 2, 2, 1, 1, 3, 4, -128, 127, 5).Graph(OpCodes.AveragePool), 201, 1500);
        Assert.IsTrue(loaded >= 10 && refused >= 300, $"{loaded} loaded and ran, {refused} refused");
    }
}

/// <summary>A random valid pool geometry (TFLite SAME/VALID or PyTorch-style symmetric padding) and its one-op graph.</summary>
public sealed record PoolConfig(int Rank, int N, int H, int W, int C, int Kh, int Kw, int Sh, int Sw, int Pt, int Pl, int Oh, int Ow, int ActMin, int ActMax, int Zero)
{
    public int InputElements => N * H * W * C;

    public static PoolConfig Random(Random r)
    {
        int rank = r.Next(3, 5);
        int n = r.Next(1, 3), c = r.Next(1, 6), w = r.Next(1, 13), h = rank == 4 ? r.Next(1, 9) : 1;
        int kw = r.Next(1, 5), sw = r.Next(1, 4), kh = rank == 4 ? r.Next(1, 5) : 1, sh = rank == 4 ? r.Next(1, 4) : 1;
        int style = r.Next(3);
        (int, int) Axis(int size, int k, int s)
        {
            if (style < 2) return PoolOutput(size, k, s, style == 1);
            int p = r.Next(0, k / 2 + 1);
            return ((size + 2 * p - k) / s + 1, p);
        }
        var (ow, pl) = Axis(w, kw, sw);
        var (oh, pt) = rank == 4 ? Axis(h, kh, sh) : (1, 0);
        if (ow < 1 || oh < 1) return null;
        int lo = r.Next(2) == 0 ? -128 : r.Next(-128, 0), hi = r.Next(2) == 0 ? 127 : r.Next(lo, 128);
        return new PoolConfig(rank, n, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow, lo, hi, r.Next(-128, 128));
    }

    public int[] Params => new[] { Kh, Kw, Sh, Sw, Pt, Pl, ActMin, ActMax };

    public QGraph Graph(int opCode)
    {
        int[] xs = Rank == 4 ? new[] { N, H, W, C } : new[] { N, W, C };
        int[] ys = Rank == 4 ? new[] { N, Oh, Ow, C } : new[] { N, Ow, C };
        return OneOp(opCode, Params, new[] { new QTensor("x", xs, 0.05f, Zero) }, new QTensor("y", ys, 0.05f, Zero));
    }

    public static int LoadError(int opCode, int[] xShape, int[] yShape, int[] prms, int yZero = 0)
    {
        var g = OneOp(opCode, prms, new[] { new QTensor("x", xShape, 0.05f, 0) }, new QTensor("y", yShape, 0.05f, yZero));
        return Assert.ThrowsExactly<BlobFormatException>(() => Model.Load(Micro.Tooling.Blob.BlobEmitter.Emit(g))).Code;
    }
}
