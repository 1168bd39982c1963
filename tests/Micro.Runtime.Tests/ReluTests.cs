using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Runtime.Tests.Reference;
using Micro.Tooling.Graph;
using static Micro.Runtime.Tests.Reference.ReferenceElementwise;

namespace Micro.Runtime.Tests;

[TestClass]
public class ReluTests
{
    // TFLM's int8 RELU / RELU6 with requantization for every input −128..127, computed with TFLM's
    // QuantizeMultiplier and MultiplyByQuantizedMultiplier following CalculateReluOpData and ReluQuantized.
    // Header: x_zp y_zp mult shift act_min act_max (from the scales in Scales below); then the 256 outputs.
    private const string Golden = """
RELU -3 -128 1342177280 1 -128 127 | -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -127 -125 -124 -123 -122 -120 -119 -118 -117 -115 -114 -113 -112 -110 -109 -108 -107 -105 -104 -103 -102 -100 -99 -98 -97 -95 -94 -93 -92 -90 -89 -88 -87 -85 -84 -83 -82 -80 -79 -78 -77 -75 -74 -73 -72 -70 -69 -68 -67 -65 -64 -63 -62 -60 -59 -58 -57 -55 -54 -53 -52 -50 -49 -48 -47 -45 -44 -43 -42 -40 -39 -38 -37 -35 -34 -33 -32 -30 -29 -28 -27 -25 -24 -23 -22 -20 -19 -18 -17 -15 -14 -13 -12 -10 -9 -8 -7 -5 -4 -3 -2 0 1 2 3 5 6 7 8 10 11 12 13 15 16 17 18 20 21 22 23 25 26 27 28 30 31 32 33 35
RELU 10 10 1073741824 1 10 127 | 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 69 70 71 72 73 74 75 76 77 78 79 80 81 82 83 84 85 86 87 88 89 90 91 92 93 94 95 96 97 98 99 100 101 102 103 104 105 106 107 108 109 110 111 112 113 114 115 116 117 118 119 120 121 122 123 124 125 126 127
RELU -20 -128 1789569792 2 -128 72 | -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -125 -121 -118 -115 -111 -108 -105 -101 -98 -95 -91 -88 -85 -81 -78 -75 -71 -68 -65 -61 -58 -55 -51 -48 -45 -41 -38 -35 -31 -28 -25 -21 -18 -15 -11 -8 -5 -1 2 5 9 12 15 19 22 25 29 32 35 39 42 45 49 52 55 59 62 65 69 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72
""";

    private static readonly (float X, float Y)[] Scales = { (0.05f, 0.04f), (0.05f, 0.05f), (0.1f, 0.03f) };

    [TestMethod]
    public void MatchesTflmIncludingItsPrepareIntegers()
    {
        var lines = ParseGolden(Golden);
        Assert.AreEqual(3, lines.Count);
        for (int k = 0; k < lines.Count; k++)
        {
            var g = lines[k];
            var (mult, shift) = QuantizeMultiplier(Scales[k].X / Scales[k].Y); // float division, as TFLM
            Assert.AreEqual((g.H(2), g.H(3)), (mult, shift), $"line {k}");
            sbyte[] t = Relu.BuildTable(g.H(0), mult, shift, g.H(1), g.H(4), g.H(5));
            CollectionAssert.AreEqual(g.Arrays[0], t.Select(v => (int)v).ToArray(), $"line {k}");
        }
    }

    [TestMethod]
    public void RandomTypesAndScalesThroughBlobsMatchTheReference()
    {
        var rng = new Random(108);
        for (int k = 0; k < 220; k++)
        {
            int dtype = k % 4 == 0 ? DType.Int16 : DType.Int8;
            float xs = (float)(0.005 + rng.NextDouble() * 0.2), ys = k % 6 == 0 ? xs : (float)(0.005 + rng.NextDouble() * 0.2);
            int xz = dtype == DType.Int8 ? rng.Next(-128, 128) : 0, yz = dtype == DType.Int8 ? rng.Next(-128, 0) : 0;
            int hiType = dtype == DType.Int16 ? 32767 : 127;
            int lo = Math.Max(yz, dtype == DType.Int16 ? -32768 : -128);
            int hi = k % 2 == 0 ? hiType : Math.Min(hiType, yz + (int)Math.Round(6 / ys)); // RELU or RELU6
            var (mult, shift) = QuantizeMultiplier(xs / ys);
            int[] shape = Enumerable.Range(0, rng.Next(1, 5)).Select(_ => rng.Next(1, 6)).ToArray();
            int[] x = RandomValues(rng, shape.Aggregate(1, (p, v) => p * v), dtype);
            var g = OneOp(OpCodes.Relu, new[] { mult, shift, lo, hi }, new[] { new QTensor("x", shape, xs, xz, dtype) }, new QTensor("y", shape, ys, yz, dtype));
            int[] got = RunBlob(g, x)[0];
            CollectionAssert.AreEqual(x.Select(v => RequantizeRef(v, xz, mult, shift, yz, lo, hi)).ToArray(), got, $"config {k}");
        }
    }

    [TestMethod]
    public void LoadRejectsBadParams()
    {
        int Error(int dx, int dy, int[] p) => Assert.ThrowsExactly<BlobFormatException>(() => Model.Load(Micro.Tooling.Blob.BlobEmitter.Emit(
            OneOp(OpCodes.Relu, p, new[] { new QTensor("x", new[] { 4 }, 0.1f, 0, dx) }, new QTensor("y", new[] { 4 }, 0.1f, 0, dy))))).Code;
        Assert.AreEqual(ErrorCodes.BadDType, Error(DType.Int8, DType.Int16, new[] { 1 << 30, 1, 0, 127 }));
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(DType.Int8, DType.Int8, new[] { 1 << 30, 1, 0, 128 }));
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(DType.Int8, DType.Int8, new[] { 1 << 30, -32, 0, 127 }));
        Assert.AreEqual(0, Model.Load(Micro.Tooling.Blob.BlobEmitter.Emit(OneOp(OpCodes.Relu, new[] { 1 << 30, 1, 0, 32767 },
            new[] { new QTensor("x", new[] { 4 }, 0.1f, 0, DType.Int16) }, new QTensor("y", new[] { 4 }, 0.1f, 0, DType.Int16)))).Exits.Length);
    }

    [TestMethod]
    public void MutatedParamsShapesAndZeroPointsAreRefusedOrRunSafely()
    {
        var (loaded, refused) = FuzzParamsAndShapes(OneOp(OpCodes.Relu, new[] { 1342177280, 1, -128, 127 }, new[] { new QTensor("x", new[] { 3, 4 }, 0.05f, -3) }, new QTensor("y", new[] { 3, 4 }, 0.04f, -128)), 211, 1500);
        Assert.IsTrue(loaded >= 10 && refused >= 300, $"{loaded} loaded and ran, {refused} refused");
    }
}
