using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Runtime.Tests.Reference;
using Micro.Tooling.Graph;
using static Micro.Runtime.Tests.Reference.ReferenceElementwise;

namespace Micro.Runtime.Tests;

[TestClass]
public class LeakyReluTests
{
    // TFLM's int8 LEAKY_RELU (reference_ops::QuantizeLeakyRelu) for every input −128..127. Header: x_zp y_zp
    // mult_identity shift_identity mult_alpha shift_alpha (as TFLM's Prepare computed them from Cases below,
    // a negative alpha giving a negative mult_alpha); then the 256 outputs.
    private const string Golden = """
LEAKY -3 10 1342177280 1 1073741952 -1 | -22 -21 -21 -21 -21 -20 -20 -20 -20 -19 -19 -19 -19 -18 -18 -18 -18 -17 -17 -17 -17 -16 -16 -16 -16 -15 -15 -15 -15 -14 -14 -14 -14 -13 -13 -13 -13 -12 -12 -12 -12 -11 -11 -11 -11 -10 -10 -10 -10 -9 -9 -9 -9 -8 -8 -8 -8 -7 -7 -7 -7 -6 -6 -6 -6 -5 -5 -5 -5 -4 -4 -4 -4 -3 -3 -3 -3 -2 -2 -2 -2 -1 -1 -1 -1 0 0 0 0 1 1 1 1 2 2 2 2 3 3 3 3 4 4 4 4 5 5 5 5 6 6 6 6 7 7 7 7 8 8 8 8 9 9 9 9 10 11 13 14 15 16 18 19 20 21 23 24 25 26 28 29 30 31 33 34 35 36 38 39 40 41 43 44 45 46 48 49 50 51 53 54 55 56 58 59 60 61 63 64 65 66 68 69 70 71 73 74 75 76 78 79 80 81 83 84 85 86 88 89 90 91 93 94 95 96 98 99 100 101 103 104 105 106 108 109 110 111 113 114 115 116 118 119 120 121 123 124 125 126 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127
LEAKY 20 20 1073741824 1 1374389632 -6 | 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 19 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 69 70 71 72 73 74 75 76 77 78 79 80 81 82 83 84 85 86 87 88 89 90 91 92 93 94 95 96 97 98 99 100 101 102 103 104 105 106 107 108 109 110 111 112 113 114 115 116 117 118 119 120 121 122 123 124 125 126 127
LEAKY 0 -20 1789569792 0 -1789569792 -1 | 34 33 33 32 32 32 31 31 30 30 29 29 29 28 28 27 27 27 26 26 25 25 24 24 24 23 23 22 22 22 21 21 20 20 19 19 19 18 18 17 17 17 16 16 15 15 14 14 14 13 13 12 12 12 11 11 10 10 9 9 9 8 8 7 7 7 6 6 5 5 4 4 4 3 3 2 2 2 1 1 0 0 -1 -1 -1 -2 -2 -3 -3 -3 -4 -4 -5 -5 -6 -6 -6 -7 -7 -8 -8 -8 -9 -9 -10 -10 -11 -11 -11 -12 -12 -13 -13 -13 -14 -14 -15 -15 -16 -16 -16 -17 -17 -18 -18 -18 -19 -19 -20 -19 -18 -17 -17 -16 -15 -14 -13 -12 -12 -11 -10 -9 -8 -7 -7 -6 -5 -4 -3 -2 -2 -1 0 1 2 3 3 4 5 6 7 8 8 9 10 11 12 13 13 14 15 16 17 18 18 19 20 21 22 23 23 24 25 26 27 28 28 29 30 31 32 33 33 34 35 36 37 38 38 39 40 41 42 43 43 44 45 46 47 48 48 49 50 51 52 53 53 54 55 56 57 58 58 59 60 61 62 63 63 64 65 66 67 68 68 69 70 71 72 73 73 74 75 76 77 78 78 79 80 81 82 83 83 84 85 86
""";

    private static readonly (float X, float Y, float Alpha)[] Cases = { (0.05f, 0.04f, 0.2f), (0.1f, 0.1f, 0.01f), (0.05f, 0.06f, -0.5f) };

    /// <summary>TFLM's LeakyRelu Prepare: both ratios computed in float, then QuantizeMultiplier.</summary>
    public static int[] Params(float xs, float ys, float alpha)
    {
        var (mi, si) = QuantizeMultiplier(xs / ys);
        var (ma, sa) = QuantizeMultiplier(xs * alpha / ys);
        return new[] { mi, si, ma, sa };
    }

    [TestMethod]
    public void MatchesTflmIncludingItsPrepareIntegers()
    {
        var lines = ParseGolden(Golden);
        Assert.AreEqual(3, lines.Count);
        for (int k = 0; k < lines.Count; k++)
        {
            var g = lines[k];
            int[] p = Params(Cases[k].X, Cases[k].Y, Cases[k].Alpha);
            CollectionAssert.AreEqual(Enumerable.Range(2, 4).Select(g.H).ToArray(), p, $"line {k}");
            sbyte[] t = LeakyRelu.BuildTable(g.H(0), p[0], p[1], p[2], p[3], g.H(1));
            CollectionAssert.AreEqual(g.Arrays[0], t.Select(v => (int)v).ToArray(), $"line {k}");
        }
    }

    [TestMethod]
    public void RandomTypesAndScalesThroughBlobsMatchTheReference()
    {
        var rng = new Random(109);
        for (int k = 0; k < 220; k++)
        {
            int dtype = k % 4 == 0 ? DType.Int16 : DType.Int8;
            float xs = (float)(0.005 + rng.NextDouble() * 0.2), ys = (float)(0.005 + rng.NextDouble() * 0.2);
            float alpha = k % 7 == 0 ? -(float)rng.NextDouble() : (float)(rng.NextDouble() * 0.5);
            if (alpha == 0) continue;
            int xz = dtype == DType.Int8 ? rng.Next(-128, 128) : 0, yz = dtype == DType.Int8 ? rng.Next(-128, 128) : 0;
            int[] p = Params(xs, ys, alpha);
            int[] shape = Enumerable.Range(0, rng.Next(1, 5)).Select(_ => rng.Next(1, 6)).ToArray();
            int[] x = RandomValues(rng, shape.Aggregate(1, (q, v) => q * v), dtype);
            var g = OneOp(OpCodes.LeakyRelu, p, new[] { new QTensor("x", shape, xs, xz, dtype) }, new QTensor("y", shape, ys, yz, dtype));
            int[] got = RunBlob(g, x)[0];
            int lo = dtype == DType.Int16 ? -32768 : -128, hi = dtype == DType.Int16 ? 32767 : 127;
            CollectionAssert.AreEqual(x.Select(v => LeakyReluRef(v, xz, yz, p[0], p[1], p[2], p[3], lo, hi)).ToArray(), got, $"config {k}");
        }
    }

    [TestMethod]
    public void LoadRejectsBadParams()
    {
        int Error(int[] p) => Assert.ThrowsExactly<BlobFormatException>(() => Model.Load(Micro.Tooling.Blob.BlobEmitter.Emit(
            OneOp(OpCodes.LeakyRelu, p, new[] { new QTensor("x", new[] { 4 }, 0.1f, 0) }, new QTensor("y", new[] { 4 }, 0.1f, 0))))).Code;
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(new[] { -1, 0, 1 << 30, 0 }));
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(new[] { 1 << 30, 0, int.MinValue, 0 }));
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(new[] { 1 << 30, 0, 1 << 30, 31 }));
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(new[] { 1 << 30, 0, 1 << 30 }));
    }

    [TestMethod]
    public void MutatedParamsShapesAndZeroPointsAreRefusedOrRunSafely()
    {
        var (loaded, refused) = FuzzParamsAndShapes(OneOp(OpCodes.LeakyRelu, Params(0.05f, 0.04f, 0.2f), new[] { new QTensor("x", new[] { 3, 4 }, 0.05f, 0, DType.Int16) }, new QTensor("y", new[] { 3, 4 }, 0.04f, 0, DType.Int16)), 212, 1500);
        Assert.IsTrue(loaded >= 10 && refused >= 300, $"{loaded} loaded and ran, {refused} refused");
    }
}
