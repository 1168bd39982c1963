using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Runtime.Tests.Reference;
using Micro.Tooling.Graph;
using static Micro.Runtime.Tests.Reference.ReferenceElementwise;

namespace Micro.Runtime.Tests;

[TestClass]
public class MeanTests
{
    // TFLM's int8 MEAN over axes {1, 2} with keep_dims (reference_ops::QuantizedMeanOrSum) on random data.
    // Header: N H W C x_zp y_zp mult shift (QuantizeMultiplier(x_scale / y_scale) as TFLM computed it);
    // then the NHWC input and TFLM's [N,1,1,C] output.
    private const string Golden = """
MEAN 1 4 5 6 -3 7 1342177330 2 | -106 76 1 107 82 21 26 -94 -68 44 -111 48 7 50 -67 88 -89 13 47 -98 80 -33 -68 -57 -9 15 121 -42 -49 62 -71 15 76 82 17 -10 35 110 83 79 70 -10 -107 31 -21 -114 42 -87 -122 27 -90 113 -55 -64 -34 60 -86 -31 -27 13 92 34 15 40 83 104 -16 17 67 -42 93 -116 33 -48 105 -98 32 -6 104 -118 -76 57 -18 -44 -110 -80 -48 65 -84 -61 32 -44 56 22 53 -47 -86 -114 -96 -68 -76 78 54 90 76 -70 12 -83 -91 118 117 -5 51 103 6 -56 -86 -80 -111 -42 | -25 14 35 29 -5 -9
MEAN 2 1 33 3 10 10 1073741824 1 | -1 -75 44 43 101 26 42 10 80 -60 32 -9 117 -42 -32 -73 -58 -76 -128 76 121 2 83 -4 2 -91 -19 75 19 -64 35 -5 -94 -73 8 18 -30 46 -16 -45 71 10 111 -62 -123 110 90 -92 -111 -66 -60 124 -98 -97 1 -114 32 -13 -91 94 -52 -32 -123 -80 -108 -55 -77 -119 -82 83 -123 44 -115 96 -113 29 -26 22 -93 33 -84 -40 -41 59 19 75 126 -81 -113 81 45 1 -44 16 -74 -10 -41 -21 47 -112 -53 -121 -21 21 36 -58 126 9 -105 -50 -67 46 22 2 -69 -118 -41 7 -52 96 77 -65 -124 52 45 80 -72 -53 106 29 123 39 56 -53 33 -114 11 61 62 -124 -105 -106 -89 -53 -47 61 110 105 -20 -45 -22 -95 92 62 -84 -9 -43 -96 -119 48 76 96 -106 79 -12 31 38 -104 65 -61 -50 -113 -24 111 96 -8 -37 -121 -14 -40 80 -81 -41 114 -69 -52 -93 74 -50 1 43 37 127 -78 -126 6 1 -125 | -8 -19 -12 -4 -17 -13
MEAN 1 7 7 4 -128 -100 2013265779 3 | -4 49 -56 89 45 42 -120 87 -22 -75 54 -31 70 -41 5 -101 -107 -45 105 106 107 45 23 113 -99 -86 1 20 61 77 93 -9 -94 90 -97 -1 93 85 121 79 67 3 -31 75 105 102 10 -105 34 -60 104 24 3 -95 -81 -15 -34 -65 -44 -122 -55 36 10 123 23 19 -59 -75 93 16 -70 87 109 -32 -37 -59 93 -123 94 -93 -128 69 -73 -42 106 -92 -104 -127 -16 100 -9 8 37 -117 7 15 93 92 60 123 44 91 74 111 103 77 38 79 33 53 3 -64 -82 87 85 -92 -94 55 -47 33 -46 -103 105 -102 80 -126 83 -76 114 53 2 81 -52 54 43 -105 48 74 -63 -23 -76 116 -8 -20 -85 -8 68 -126 -86 90 89 -47 -125 95 44 60 76 9 -16 104 88 -98 25 55 59 -94 92 -49 -54 -41 -85 -109 24 67 60 40 121 41 -126 112 -127 13 50 -111 5 -76 63 -18 24 32 -35 44 14 -105 -128 46 | 127 127 127 127
""";

    [TestMethod]
    public void MatchesTflmThroughBlobs()
    {
        var lines = ParseGolden(Golden);
        Assert.AreEqual(3, lines.Count);
        foreach (var g in lines)
        {
            int n = g.H(0), h = g.H(1), w = g.H(2), c = g.H(3);
            var x = new QTensor("x", new[] { n, h, w, c }, 0.05f, g.H(4));
            var y = new QTensor("y", new[] { n, 1, 1, c }, 0.02f, g.H(5));
            int[] got = RunBlob(OneOp(OpCodes.Mean, new[] { g.H(6), g.H(7), -128, 127 }, new[] { x }, y), g.Arrays[0])[0];
            CollectionAssert.AreEqual(g.Arrays[1], got);
        }
    }

    [TestMethod]
    public void FoldsTheCountAsTflite()
    {
        int shift;
        // 1/8 folded into 2^30 · 2^-3: s = 3, 2^33 / 8 = 2^30, shift −3 − 3 = −6.
        Assert.AreEqual(1 << 30, Mean.FoldCount(1 << 30, -3, 8, out shift));
        Assert.AreEqual(-6, shift);
        // 1/10: s = 3, ⌊2^33 / 10⌋ = 858993459, shift 0 − 3.
        Assert.AreEqual(858993459, Mean.FoldCount(1 << 30, 0, 10, out shift));
        Assert.AreEqual(-3, shift);
        // s is capped at 31 + shift so the result's shift stays ≥ −31: shift −30 allows only s = 1.
        Assert.AreEqual(1 << 28, Mean.FoldCount(1 << 30, -30, 8, out shift));
        Assert.AreEqual(-31, shift);
        // One value: nothing to fold.
        Assert.AreEqual(123456789, Mean.FoldCount(123456789, 4, 1, out shift));
        Assert.AreEqual(4, shift);
    }

    [TestMethod]
    public void RandomShapesThroughBlobsMatchTheReference()
    {
        var rng = new Random(103);
        for (int k = 0; k < 220; k++)
        {
            int rank = rng.Next(3, 5);
            int n = rng.Next(1, 3), c = rng.Next(1, 7), w = rng.Next(1, 20), h = rank == 4 ? rng.Next(1, 8) : 1;
            if (k % 20 == 0) w = rng.Next(100, 400); // long 1D signals: s = 6..8
            float xs = (float)(0.01 + rng.NextDouble() * 0.1), ys = k % 10 == 0 ? xs : (float)(0.002 + rng.NextDouble() * 0.1);
            var (mult, shift) = QuantizeMultiplier((double)xs / ys);
            if (k % 25 == 1) (mult, shift) = (rng.Next(1 << 30, int.MaxValue), rng.Next(-31, -26)); // the 31 + shift cap
            int xz = rng.Next(-128, 128), yz = rng.Next(-128, 128);
            int lo = k % 3 == 0 ? rng.Next(-128, 0) : -128, hi = k % 4 == 0 ? rng.Next(lo, 128) : 127;
            int[] xShape = rank == 4 ? new[] { n, h, w, c } : new[] { n, w, c };
            int[] yShape = rng.Next(2) == 0 ? new[] { n, c } : rank == 4 ? new[] { n, 1, 1, c } : new[] { n, 1, c };
            int[] x = RandomValues(rng, n * h * w * c);
            var g = OneOp(OpCodes.Mean, new[] { mult, shift, lo, hi }, new[] { new QTensor("x", xShape, xs, xz) }, new QTensor("y", yShape, ys, yz));
            int[] got = RunBlob(g, x)[0];
            sbyte[] want = MeanRef(x.Select(v => (sbyte)v).ToArray(), n, h * w, c, xz, yz, mult, shift, lo, hi);
            CollectionAssert.AreEqual(want.Select(v => (int)v).ToArray(), got, $"config {k}: [{string.Join(",", xShape)}] m={mult} s={shift}");
        }
    }

    [TestMethod]
    public void LoadRejectsBadShapesAndParams()
    {
        int Error(int[] xs, int[] ys, int[] p, int dtype = DType.Int8) => Assert.ThrowsExactly<BlobFormatException>(() => Model.Load(
            Micro.Tooling.Blob.BlobEmitter.Emit(OneOp(OpCodes.Mean, p, new[] { new QTensor("x", xs, 0.1f, 0, dtype) }, new QTensor("y", ys, 0.1f, 0, dtype))))).Code;
        int[] ok = { 1 << 30, 1, -128, 127 };
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Error(new[] { 1, 4, 4, 3 }, new[] { 1, 4, 3 }, ok));
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Error(new[] { 1, 4, 4, 3 }, new[] { 1, 1, 1, 4 }, ok));
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Error(new[] { 2, 12 }, new[] { 2, 12 }, ok));
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(new[] { 1, 4, 3 }, new[] { 1, 3 }, new[] { -1, 1, -128, 127 }));
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(new[] { 1, 4, 3 }, new[] { 1, 3 }, new[] { 1 << 30, 31, -128, 127 }));
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(new[] { 1, 4, 3 }, new[] { 1, 3 }, new[] { 1 << 30, 0, -129, 127 }));
        Assert.AreEqual(ErrorCodes.BadDType, Error(new[] { 1, 4, 3 }, new[] { 1, 3 }, ok, DType.Int16));
    }

    [TestMethod]
    public void MutatedParamsShapesAndZeroPointsAreRefusedOrRunSafely()
    {
        var (loaded, refused) = FuzzParamsAndShapes(OneOp(OpCodes.Mean, new[] { 1 << 30, -2, -128, 127 }, new[] { new QTensor("x", new[] { 1, 5, 6, 3 }, 0.1f, 3) }, new QTensor("y", new[] { 1, 3 }, 0.1f, -4)), 203, 1500);
        Assert.IsTrue(loaded >= 10 && refused >= 300, $"{loaded} loaded and ran, {refused} refused");
    }
}
