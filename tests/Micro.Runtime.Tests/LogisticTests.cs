using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Runtime.Tests.Reference;
using Micro.Tooling.Graph;
using static Micro.Runtime.Tests.Reference.ReferenceElementwise;

namespace Micro.Runtime.Tests;

[TestClass]
public class LogisticTests
{
    // TFLM's int8 LOGISTIC for every input −128..127. Header: input_scale input_zp input_multiplier
    // input_left_shift input_range_radius (as TFLM's Prepare computed them); then the 256 outputs.
    private const string Golden = """
LOGISTIC 0.100000001 0 1717986944 24 120 | -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -126 -126 -126 -126 -126 -125 -125 -125 -125 -124 -124 -123 -123 -122 -122 -121 -120 -120 -119 -118 -117 -116 -115 -113 -112 -110 -109 -107 -105 -102 -100 -97 -95 -92 -88 -85 -81 -77 -73 -69 -64 -59 -54 -49 -43 -37 -31 -25 -19 -13 -6 0 6 13 19 25 31 37 43 49 54 59 64 69 73 77 81 85 88 92 95 97 100 102 105 107 109 110 112 113 115 116 117 118 119 120 120 121 122 122 123 123 124 124 125 125 125 125 126 126 126 126 126 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127
LOGISTIC 1 0 1073741824 28 7 | -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -127 -126 -123 -116 -97 -59 0 59 97 116 123 126 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127
LOGISTIC 0.0627451017 -3 1077952640 24 120 | -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -126 -126 -126 -126 -126 -126 -126 -126 -125 -125 -125 -125 -125 -124 -124 -124 -124 -123 -123 -123 -123 -122 -122 -121 -121 -121 -120 -120 -119 -119 -118 -117 -117 -116 -115 -114 -114 -113 -112 -111 -110 -109 -108 -106 -105 -104 -102 -101 -99 -98 -96 -94 -92 -90 -88 -86 -84 -82 -79 -77 -74 -71 -68 -65 -62 -59 -56 -53 -49 -46 -42 -39 -35 -31 -28 -24 -20 -16 -12 -8 -4 0 4 8 12 16 20 24 28 31 35 39 42 46 49 53 56 59 62 65 68 71 74 77 79 82 84 86 88 90 92 94 96 98 99 101 102 104 105 106 108 109 110 111 112 113 114 114 115 116 117 117 118 119 119 120 120 121 121 121 122 122 123 123 123 123 124 124 124 124 125 125 125 125 125 126 126 126 126 126 126 126 126 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127
LOGISTIC 0.0199999996 27 1374389504 22 480 | -117 -117 -117 -116 -116 -116 -116 -115 -115 -115 -115 -114 -114 -114 -114 -113 -113 -113 -112 -112 -112 -112 -111 -111 -111 -110 -110 -110 -109 -109 -109 -108 -108 -107 -107 -107 -106 -106 -106 -105 -105 -104 -104 -103 -103 -102 -102 -102 -101 -101 -100 -100 -99 -99 -98 -97 -97 -96 -96 -95 -95 -94 -94 -93 -92 -92 -91 -90 -90 -89 -88 -88 -87 -86 -86 -85 -84 -84 -83 -82 -81 -81 -80 -79 -78 -77 -77 -76 -75 -74 -73 -72 -71 -71 -70 -69 -68 -67 -66 -65 -64 -63 -62 -61 -60 -59 -58 -57 -56 -55 -54 -53 -52 -51 -50 -49 -48 -46 -45 -44 -43 -42 -41 -40 -38 -37 -36 -35 -34 -33 -31 -30 -29 -28 -26 -25 -24 -23 -22 -20 -19 -18 -17 -15 -14 -13 -11 -10 -9 -8 -6 -5 -4 -3 -1 0 1 3 4 5 6 8 9 10 11 13 14 15 17 18 19 20 22 23 24 25 26 28 29 30 31 33 34 35 36 37 38 40 41 42 43 44 45 46 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 69 70 71 71 72 73 74 75 76 77 77 78 79 80 81 81 82 83 84 84 85 86 86 87 88 88 89 90 90 91 92 92 93 94 94 95 95 96 96 97 97
LOGISTIC 0.5 -128 1073741824 27 15 | 0 31 59 81 97 109 116 120 123 125 126 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127 127
LOGISTIC 0.00390625 5 1073741824 20 1920 | -33 -32 -32 -32 -32 -31 -31 -31 -31 -30 -30 -30 -30 -29 -29 -29 -29 -29 -28 -28 -28 -28 -27 -27 -27 -27 -26 -26 -26 -26 -25 -25 -25 -25 -24 -24 -24 -24 -23 -23 -23 -23 -23 -22 -22 -22 -22 -21 -21 -21 -21 -20 -20 -20 -20 -19 -19 -19 -19 -18 -18 -18 -18 -17 -17 -17 -17 -16 -16 -16 -16 -15 -15 -15 -15 -14 -14 -14 -14 -13 -13 -13 -13 -12 -12 -12 -12 -11 -11 -11 -11 -10 -10 -10 -10 -9 -9 -9 -9 -8 -8 -8 -8 -7 -7 -7 -7 -6 -6 -6 -6 -5 -5 -5 -5 -4 -4 -4 -4 -3 -3 -3 -3 -2 -2 -2 -2 -1 -1 -1 -1 -1 0 0 0 1 1 1 1 1 2 2 2 2 3 3 3 3 4 4 4 4 5 5 5 5 6 6 6 6 7 7 7 7 8 8 8 8 9 9 9 9 10 10 10 10 11 11 11 11 12 12 12 12 13 13 13 13 14 14 14 14 15 15 15 15 16 16 16 16 17 17 17 17 18 18 18 18 19 19 19 19 20 20 20 20 21 21 21 21 22 22 22 22 23 23 23 23 23 24 24 24 24 25 25 25 25 26 26 26 26 27 27 27 27 28 28 28 28 29 29 29 29 29 30 30
LOGISTIC 0.0313724987 100 1077950848 23 240 | -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -127 -126 -126 -126 -126 -126 -126 -126 -126 -126 -126 -126 -126 -126 -126 -126 -126 -125 -125 -125 -125 -125 -125 -125 -125 -125 -125 -125 -124 -124 -124 -124 -124 -124 -124 -124 -123 -123 -123 -123 -123 -123 -123 -122 -122 -122 -122 -122 -121 -121 -121 -121 -121 -120 -120 -120 -120 -119 -119 -119 -119 -118 -118 -118 -117 -117 -117 -116 -116 -116 -115 -115 -114 -114 -114 -113 -113 -112 -112 -111 -111 -110 -110 -109 -109 -108 -108 -107 -106 -106 -105 -104 -104 -103 -102 -102 -101 -100 -99 -99 -98 -97 -96 -95 -94 -93 -92 -91 -90 -89 -88 -87 -86 -85 -84 -83 -82 -80 -79 -78 -77 -75 -74 -73 -71 -70 -68 -67 -65 -64 -62 -61 -59 -58 -56 -55 -53 -51 -49 -48 -46 -44 -42 -41 -39 -37 -35 -33 -31 -30 -28 -26 -24 -22 -20 -18 -16 -14 -12 -10 -8 -6 -4 -2 0 2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 31 33 35 37 39 41 42 44 46 48 49 51
""";

    [TestMethod]
    public void MatchesTflmForEveryInt8InputAndItsPrepareIntegers()
    {
        var lines = ParseGolden(Golden);
        Assert.AreEqual(7, lines.Count);
        foreach (var g in lines)
        {
            var (mult, shift, radius) = SigmoidTanhParams(g.F(0));
            Assert.AreEqual((g.H(2), g.H(3), g.H(4)), (mult, shift, radius), $"prepare integers for scale {g.F(0)}");
            sbyte[] table = Logistic.BuildTable(g.H(1), mult, shift, radius);
            CollectionAssert.AreEqual(g.Arrays[0], table.Select(v => (int)v).ToArray(), $"scale {g.F(0)} zp {g.H(1)}");
        }
    }

    [TestMethod]
    public void HandComputedValues()
    {
        // logistic(0) = 1/2 exactly: 2^30 in Q0.31, which is 128 output steps above −128, i.e. 0.
        Assert.AreEqual(1 << 30, GemmlowpFixedPoint.Logistic(0, 4));
        var (m, s, r) = SigmoidTanhParams(0.1f);
        Assert.AreEqual(0, Logistic.Compute(0, m, s, r));
        // At and beyond the radius the output saturates without computing: −128 and 127.
        Assert.AreEqual(-128, Logistic.Compute(-r, m, s, r));
        Assert.AreEqual(127, Logistic.Compute(r, m, s, r));
        // logistic(1) (Q4.27 input 1 << 27) is 1569936226 in Q0.31 with gemmlowp's fixedpoint.h, within 1e-6 of 0.73106.
        Assert.AreEqual(1569936226, GemmlowpFixedPoint.Logistic(1 << 27, 4));
        Assert.IsTrue(Math.Abs(1 / (1 + Math.Exp(-1)) - 1569936226 / 2147483648.0) < 1e-6);
        // The fixed-point logistic is symmetric by construction: logistic(−a) = one − logistic(a).
        for (int a = 1; a < 1 << 30; a += 7919 * 13)
            Assert.AreEqual(int.MaxValue - GemmlowpFixedPoint.Logistic(a, 4), GemmlowpFixedPoint.Logistic(-a, 4));
    }

    [TestMethod]
    public void WithinOneStepOfTheFloatSigmoidOverManyScales()
    {
        // TFLM's own int8 logistic test accepts 1 output step against the float sigmoid.
        var rng = new Random(71);
        int worst = 0;
        for (int k = 0; k < 300; k++)
        {
            float scale = (float)Math.Exp(rng.NextDouble() * Math.Log(2000)) / 1000f; // 0.001 .. 2
            int zp = rng.Next(-128, 128);
            var (m, s, r) = SigmoidTanhParams(scale);
            sbyte[] t = Logistic.BuildTable(zp, m, s, r);
            for (int q = -128; q < 128; q++)
                worst = Math.Max(worst, Math.Abs(t[q + 128] - LogisticFloat(q, scale, zp)));
        }
        Assert.IsTrue(worst <= 1, $"worst deviation from the float sigmoid: {worst} steps");
    }

    [TestMethod]
    public void RunsInPlaceThroughABlob()
    {
        // x → RELU (×1, no clamp) → h → LOGISTIC → y: the planner gives y h's bytes, so LOGISTIC runs in place.
        var rng = new Random(5);
        var x = new QTensor("x", new[] { 1, 6, 5 }, 0.05f, 3);
        var h = new QTensor("h", new[] { 1, 6, 5 }, 0.05f, 3);
        var y = new QTensor("y", new[] { 1, 6, 5 }, 1f / 256, -128);
        var (m, s, r) = SigmoidTanhParams(0.05f);
        var g = new QGraph { Name = "relu-logistic" };
        g.Tensors.AddRange(new[] { x, h, y });
        g.Inputs.Add(x);
        g.Outputs.Add(y);
        var relu = new QSimpleOp(OpCodes.Relu, new[] { 1 << 30, 1, -128, 127 });
        relu.Inputs.Add(x);
        relu.Output = h;
        var logistic = new QSimpleOp(OpCodes.Logistic, new[] { m, s, r });
        logistic.Inputs.Add(h);
        logistic.Output = y;
        g.Add(relu);
        g.Add(logistic);
        var blob = Micro.Tooling.Blob.BlobEmitter.Emit(g);
        var model = Model.Load(blob);
        Assert.AreEqual(model.Tensors[1].ArenaOffset, model.Tensors[2].ArenaOffset, "LOGISTIC should run in place");
        Assert.AreEqual(30L + 30L, model.MainMacs);
        int[] input = RandomValues(rng, 30);
        int[] got = RunBlob(g, input)[0];
        for (int i = 0; i < 30; i++)
            Assert.AreEqual(Logistic.Compute(input[i] - 3, m, s, r), got[i]);
    }

    [TestMethod]
    public void LoadRejectsWhatTflmRejects()
    {
        var (m, s, r) = SigmoidTanhParams(0.1f);
        BlobFormatException Load(QTensor x, QTensor y, int[] p) =>
            Assert.ThrowsExactly<BlobFormatException>(() => Model.Load(Micro.Tooling.Blob.BlobEmitter.Emit(OneOp(OpCodes.Logistic, p, new[] { x }, y))));
        var x8 = new QTensor("x", new[] { 1, 4 }, 0.1f, 0);
        Assert.AreEqual(ErrorCodes.BadOpParams, Load(x8, new QTensor("y", new[] { 1, 4 }, 1f / 256, 0), new[] { m, s, r }).Code);
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Load(x8, new QTensor("y", new[] { 4, 1 }, 1f / 256, -128), new[] { m, s, r }).Code);
        Assert.AreEqual(ErrorCodes.BadDType, Load(new QTensor("x", new[] { 1, 4 }, 0.1f, 0, DType.Int16), new QTensor("y", new[] { 1, 4 }, 1f / 256, -128), new[] { m, s, r }).Code);
        Assert.AreEqual(ErrorCodes.BadOpParams, Load(x8, new QTensor("y", new[] { 1, 4 }, 1f / 256, -128), new[] { m, s, -1 }).Code);
        Assert.AreEqual(ErrorCodes.BadOpParams, Load(x8, new QTensor("y", new[] { 1, 4 }, 1f / 256, -128), new[] { m, 31, r }).Code);
        Assert.AreEqual(ErrorCodes.BadOpParams, Load(x8, new QTensor("y", new[] { 1, 4 }, 1f / 256, -128), new[] { m, s }).Code);
    }

    [TestMethod]
    public void MutatedParamsShapesAndZeroPointsAreRefusedOrRunSafely()
    {
        var (loaded, refused) = FuzzParamsAndShapes(OneOp(OpCodes.Logistic, new[] { 1717986944, 24, 120 }, new[] { new QTensor("x", new[] { 2, 5 }, 0.1f, 0) }, new QTensor("y", new[] { 2, 5 }, 1f / 256, -128)), 207, 1500);
        Assert.IsTrue(loaded >= 10 && refused >= 300, $"{loaded} loaded and ran, {refused} refused");
    }
}
