using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Runtime.Tests.Reference;
using Micro.Tooling.Graph;
using static Micro.Runtime.Tests.Reference.ReferenceElementwise;

namespace Micro.Runtime.Tests;

[TestClass]
public class SoftmaxTests
{
    // TFLM's int8 → int8 SOFTMAX. Header: input_scale beta input_multiplier input_left_shift diff_min rows
    // depth (the integers as TFLM's Prepare computed them); then the inputs and TFLM's outputs, row-major.
    private const string Golden = """
SOFTMAX 0.100000001 1 1717986944 23 -248 1 10 | 28 58 66 18 113 9 27 87 -60 -12 | -128 -127 -126 -128 107 -128 -128 -111 -128 -128
SOFTMAX 0.0625 1 1073741824 23 -248 3 12 | -28 65 72 96 48 22 -79 111 19 90 -76 7 34 79 3 -117 48 -69 -108 -96 81 97 -38 40 89 -59 74 73 -99 108 -41 102 -80 88 -75 36 | -128 -120 -116 -73 -125 -127 -128 12 -128 -90 -128 -128 -125 -82 -128 -128 -121 -128 -128 -128 -75 15 -128 -124 -97 -128 -116 -117 -128 -26 -128 -58 -128 -99 -128 -127
SOFTMAX 0.200000003 1 1717986944 24 -124 2 5 | -3 6 71 -39 86 -60 -9 -46 71 71 | -128 -128 -116 -128 116 -128 -128 -128 0 0
SOFTMAX 0.0500000007 0.5 1717986944 21 -992 4 7 | 70 -125 126 52 80 108 5 -85 -110 -85 123 -9 -127 -54 121 108 34 -14 -15 -59 53 30 122 99 -31 116 -120 21 | -102 -128 -22 -111 -94 -60 -123 -127 -127 -127 112 -119 -128 -125 -6 -40 -114 -124 -124 -127 -106 -118 -31 -73 -126 -44 -128 -120
SOFTMAX 0.800000012 1 1717986944 26 -31 2 6 | 22 19 54 -10 33 59 10 58 54 59 83 10 | -128 -128 -123 -128 -128 123 -128 -128 -128 -128 127 -128
SOFTMAX 0.00999999978 1 1374389504 20 -1984 2 30 | -56 53 -72 -37 -21 122 16 6 -84 -69 -9 -73 -66 -100 -127 50 -43 2 -126 -69 -91 -48 15 86 -93 42 -5 72 2 116 90 -44 -74 83 -128 62 116 106 66 -117 46 29 -78 62 90 80 103 91 108 -88 50 38 -106 -56 40 100 -50 84 94 87 | -123 -114 -124 -122 -121 -100 -118 -119 -124 -124 -120 -124 -124 -125 -126 -114 -123 -120 -126 -124 -125 -123 -118 -109 -125 -115 -120 -111 -120 -102 -116 -125 -126 -116 -127 -119 -112 -114 -118 -126 -120 -121 -126 -119 -116 -117 -114 -116 -113 -126 -120 -121 -126 -125 -121 -114 -125 -116 -115 -116
SOFTMAX 0.125 2 1073741824 25 -62 1 600 | -14 27 50 -16 64 12 35 61 55 53 46 -21 -20 -6 9 64 -14 -1 39 -1 29 41 61 12 34 27 61 -20 -13 -7 29 65 70 39 48 17 -17 74 42 64 0 37 64 -16 47 -4 69 7 47 51 13 8 -12 -17 -20 23 18 -13 55 -7 -2 35 65 -15 -21 68 30 3 -19 24 66 51 25 37 66 69 1 46 -16 -2 -5 24 2 33 58 69 44 -14 -13 -5 0 54 57 61 20 16 64 -16 -5 4 -4 -10 10 22 33 -11 -13 11 68 48 44 37 -8 -20 40 42 49 43 -5 -2 68 51 58 67 3 7 24 -1 4 12 41 -11 58 36 33 9 58 21 53 64 55 66 56 60 69 16 62 3 56 66 -5 25 68 -5 68 64 -2 66 43 30 25 -8 39 22 9 3 73 44 66 37 70 69 25 69 51 4 65 36 67 45 46 40 11 4 21 52 29 13 8 44 47 -19 61 52 20 7 72 -15 32 63 59 70 72 -6 12 55 31 59 46 72 -7 38 53 62 42 -1 21 60 71 10 3 70 35 -20 18 32 18 40 -10 15 40 34 36 -10 26 31 46 25 58 2 42 -4 31 -17 -20 4 26 74 38 52 0 24 -18 16 6 59 55 -4 -1 57 53 61 0 -10 60 54 27 20 33 -21 38 25 -9 0 20 8 18 26 -6 5 39 60 10 21 8 10 26 26 -21 8 -3 -6 68 27 7 25 5 70 45 -7 68 45 2 0 -12 52 26 -15 41 64 41 16 55 52 68 34 -13 20 -2 42 -16 37 11 -20 66 73 31 12 62 6 15 46 22 -1 -19 -9 32 57 15 42 47 54 9 43 56 28 -19 31 14 -18 49 41 37 17 8 45 -15 7 7 15 6 54 64 -12 57 1 41 -2 -3 13 53 51 38 -4 24 23 9 52 39 -20 56 -8 53 -8 9 45 -10 30 -17 53 -2 2 63 54 2 9 12 51 21 -11 42 17 -21 44 13 -13 24 -14 9 60 17 73 -13 51 72 -9 30 25 20 -1 62 20 6 37 7 6 51 -18 -18 22 48 29 70 5 -16 -10 67 -7 8 61 26 53 74 -10 61 29 12 38 34 21 33 16 -3 66 29 -8 64 7 21 67 1 72 60 -12 19 41 38 -17 42 15 71 -8 -6 29 20 51 56 -9 32 5 -9 33 31 17 43 32 5 59 9 23 39 40 35 10 55 -5 15 -3 12 -8 1 53 55 35 -21 21 45 1 35 1 35 -12 60 61 44 34 42 -18 29 -17 33 -9 72 29 -10 28 35 -14 60 33 33 49 39 43 55 30 44 -3 55 -2 29 -5 55 51 16 41 10 67 -7 12 4 18 42 39 58 2 -7 62 31 25 -7 53 71 58 30 17 38 73 -4 53 49 -21 72 69 27 3 53 70 56 21 55 58 -4 37 67 39 60 55 43 16 42 -16 69 58 60 19 36 7 70 68 | -128 -128 -128 -128 -127 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -127 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -127 -124 -128 -128 -128 -128 -117 -128 -127 -128 -128 -127 -128 -128 -128 -125 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -127 -128 -128 -126 -128 -128 -128 -128 -127 -128 -128 -128 -127 -125 -128 -128 -128 -128 -128 -128 -128 -128 -128 -125 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -127 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -126 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -126 -128 -128 -126 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -127 -128 -127 -128 -128 -125 -128 -127 -128 -128 -127 -128 -128 -126 -128 -126 -127 -128 -127 -128 -128 -128 -128 -128 -128 -128 -128 -120 -128 -127 -128 -124 -125 -128 -125 -128 -128 -127 -128 -126 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -122 -128 -128 -127 -128 -124 -122 -128 -128 -128 -128 -128 -128 -122 -128 -128 -128 -127 -128 -128 -128 -128 -123 -128 -128 -124 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -117 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -126 -128 -128 -128 -128 -124 -128 -128 -126 -128 -128 -128 -128 -128 -128 -128 -128 -127 -128 -128 -128 -128 -126 -128 -128 -128 -128 -128 -128 -128 -128 -128 -127 -120 -128 -128 -127 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -127 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -127 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -120 -128 -128 -122 -128 -128 -128 -128 -128 -127 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -124 -128 -128 -128 -126 -128 -128 -128 -128 -128 -117 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -127 -128 -128 -127 -128 -128 -126 -128 -122 -128 -128 -128 -128 -128 -128 -128 -128 -123 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -122 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -128 -126 -128 -128 -128 -128 -128 -128 -128 -128 -128 -127 -128 -128 -128 -128 -123 -128 -128 -128 -128 -120 -128 -128 -128 -128 -122 -125 -128 -128 -128 -124 -128 -128 -128 -128 -128 -128 -126 -128 -128 -128 -128 -128 -128 -128 -125 -128 -128 -128 -128 -128 -124 -126
""";

    // gemmlowp's own fixedpoint.h and TFLite's GetReciprocal (compiled from their sources) on raw values:
    // "EXP4/EXP5 | inputs (Q4.27 / Q5.26) | exp_on_negative_values (Q0.31)", "RECIP | sums (Q12.19) |
    // GetReciprocal(sum, 12) | num_bits_over_unit", "LOG4 | inputs (Q4.27) | logistic | tanh".
    private const string FixedPointGolden = """
EXP4 | -589346099 -277282723 -325157329 -89251332 -48887047 -43297520 -550028 -5690476 -1869548391 -289049589 -384165862 -143336588 -43364607 -7721591 -20504794 -11042393 -1868310555 -876716679 -506728603 -117029925 -126495710 -17566434 -25278195 -5811687 | 26604528 272090507 190459802 1104422439 1491914026 1555356990 2138700791 2058339069 1917 249252087 122706254 738123558 1554579759 2027424794 1843238614 1977877936 1934 3126780 49236227 897947094 836800399 1884036648 1778836574 2056481042
EXP5 | -1363204943 -5081945 -170151920 -148358861 -84361893 -16609457 -17309717 -6362934 -1586492675 -439914091 -177830373 -262383238 -55079508 -36941924 -30965121 -1176166 -1595295031 -170259389 -533783162 -245890382 -116971500 -5113467 -13326456 -14842775 | 3 1990866313 170134756 235410966 610917363 1676648431 1659243394 1953224614 0 3055127 151740676 43044614 945111972 1238398706 1353752742 2110174008 0 169862519 754321 55036677 375793982 1989931394 1760709955 1721373041
RECIP | 1681562603 615121743 96099759 76262695 120533099 56311671 17457720 5862121 8142281 2081285 598079 897496 463310121 171670882 56573994 223987658 81766861 30163987 8156607 8986112 7220450 2799041 1734897 910343 | 1371250176 1874298086 1499641516 1889720634 1195648242 1279620956 2063774482 1536508586 1106225546 1081927658 1882527070 1254490164 1244222234 1678970670 1273687588 1286813650 1762513402 1194430864 1104282606 2004693294 1247456774 1608979518 1297944380 1236786474 | 11 10 7 7 7 6 5 3 3 1 0 0 9 8 6 8 7 5 3 4 3 2 1 0
LOG4 | 860605966 358612746 -304214500 -18952671 2579122 -5811840 -21513878 -3713589 5381359 2681616 -565664232 -665683637 -410149950 -106081700 127234284 -63086627 15657207 -16223977 1969864 2160082 -1724403726 830449492 -355495427 -121439656 | 2143963868 2008641100 201711671 998056857 1084058050 1050498081 987870095 1058888377 1095264398 1084467980 31276091 14959283 96562367 670206381 1547705636 825940867 1136299722 1008924817 1081621206 1082382026 5651 2143078964 141889465 618616867 | 2147472072 2127060140 -2101817368 -301243204 41260908 -92931364 -341303976 -59402272 86055632 42900184 -2146545708 -2147272320 -2137983820 -1414372964 1586694752 -941081380 249384940 -258326468 31515636 34558384 -2147483647 2147465508 -2126093888 -1543235628
""";

    private static int[] Run(sbyte[] input, int rows, int depth, int mult, int shift, int diffMin)
    {
        var a = new sbyte[input.Length * 2 + 3];
        Array.Copy(input, 0, a, 3, input.Length);
        Softmax.EvalInt8(Softmax.BuildTable(mult, shift, diffMin), a, 3, 3 + input.Length, rows, depth);
        return a.Skip(3 + input.Length).Select(v => (int)v).ToArray();
    }

    [TestMethod]
    public void MatchesTflmIncludingItsPrepareIntegers()
    {
        var lines = ParseGolden(Golden);
        Assert.AreEqual(7, lines.Count);
        foreach (var g in lines)
        {
            var (mult, shift, diffMin) = SoftmaxParams(g.F(0), g.F(1));
            Assert.AreEqual((g.H(2), g.H(3), g.H(4)), (mult, shift, diffMin), $"prepare integers for scale {g.F(0)} beta {g.F(1)}");
            CollectionAssert.AreEqual(g.Arrays[1], Run(g.Bytes(0), g.H(5), g.H(6), mult, shift, diffMin), $"scale {g.F(0)} depth {g.H(6)}");
        }
    }

    [TestMethod]
    public void HandComputedValues()
    {
        var (m, s, d) = SoftmaxParams(0.1f, 1f);
        // One class: probability 1 = 256 steps, clamped to 127. Two equal: 1/2 → 0. Four equal: 1/4 → −64.
        CollectionAssert.AreEqual(new[] { 127 }, Run(new sbyte[] { 17 }, 1, 1, m, s, d));
        CollectionAssert.AreEqual(new[] { 0, 0 }, Run(new sbyte[] { -5, -5 }, 1, 2, m, s, d));
        CollectionAssert.AreEqual(new[] { -64, -64, -64, -64 }, Run(new sbyte[] { 9, 9, 9, 9 }, 1, 4, m, s, d));
        // A difference beyond diff_min contributes nothing: 127 vs −128 with scale 0.1 is e^-25.5 ≈ 0.
        CollectionAssert.AreEqual(new[] { 127, -128 }, Run(new sbyte[] { 127, -128 }, 1, 2, m, s, d));
        // exp_on_negative_values(0) is "one"; exp(−1) (Q5.26 input) is 790015308 in Q0.31, the value gemmlowp's
        // own fixedpoint.h computes, 1.0e-7 from e^-1.
        Assert.AreEqual(int.MaxValue, GemmlowpFixedPoint.ExpOnNegativeValues(0, 5));
        Assert.AreEqual(790015308, GemmlowpFixedPoint.ExpOnNegativeValues(-(1 << 26), 5));
        Assert.IsTrue(Math.Abs(Math.Exp(-1) - 790015308 / 2147483648.0) < 2e-7);
        // 1024 equal values: the sum of exps is 2^29, where TFLM's kernel aborts (shift 33 > 31). The exact
        // probability 1/1024 is a quarter of an output step, so −128 is the right answer, and ours.
        var row = Enumerable.Repeat((sbyte)3, 1024).ToArray();
        Assert.IsTrue(Run(row, 1, 1024, m, s, d).All(v => v == -128));
    }

    [TestMethod]
    public void WithinOneStepOfTheFloatSoftmax()
    {
        // TFLM's int8 softmax tests accept 1 output step against the float softmax.
        var rng = new Random(73);
        int worst = 0;
        for (int k = 0; k < 250; k++)
        {
            float scale = (float)Math.Exp(rng.NextDouble() * Math.Log(500)) / 1000f; // 0.002 .. 0.5
            float beta = rng.Next(4) == 0 ? (float)(0.25 + rng.NextDouble() * 2) : 1f;
            int depth = rng.Next(1, 40), rows = rng.Next(1, 4);
            var (m, s, d) = SoftmaxParams(scale, beta);
            sbyte[] x = RandomValues(rng, rows * depth).Select(v => (sbyte)v).ToArray();
            int[] y = Run(x, rows, depth, m, s, d);
            for (int r = 0; r < rows; r++)
            {
                int[] f = SoftmaxFloat(x.Skip(r * depth).Take(depth).ToArray(), scale, beta);
                for (int c = 0; c < depth; c++) worst = Math.Max(worst, Math.Abs(f[c] - y[r * depth + c]));
            }
        }
        Assert.IsTrue(worst <= 1, $"worst deviation from the float softmax: {worst} steps");
    }

    [TestMethod]
    public void RunsThroughABlobOverTheLastDimension()
    {
        var rng = new Random(7);
        var (m, s, d) = SoftmaxParams(0.0625f, 1f);
        var x = new QTensor("x", new[] { 2, 3, 7 }, 0.0625f, 4);
        var y = new QTensor("y", new[] { 2, 3, 7 }, 1f / 256, -128);
        int[] input = RandomValues(rng, 42);
        var g = OneOp(OpCodes.Softmax, new[] { m, s, d }, new[] { x }, y);
        Assert.AreEqual(42L, Model.Load(Micro.Tooling.Blob.BlobEmitter.Emit(g)).MainMacs);
        int[] got = RunBlob(g, input)[0];
        CollectionAssert.AreEqual(Run(input.Select(v => (sbyte)v).ToArray(), 6, 7, m, s, d), got);
    }

    [TestMethod]
    public void LoadRejectsWhatTflmRejects()
    {
        var (m, s, d) = SoftmaxParams(0.1f, 1f);
        BlobFormatException Load(int[] shape, QTensor y, int[] p) => Assert.ThrowsExactly<BlobFormatException>(() =>
            Model.Load(Micro.Tooling.Blob.BlobEmitter.Emit(OneOp(OpCodes.Softmax, p, new[] { new QTensor("x", shape, 0.1f, 0) }, y))));
        Assert.AreEqual(ErrorCodes.BadOpParams, Load(new[] { 1, 5 }, new QTensor("y", new[] { 1, 5 }, 1f / 256, 0), new[] { m, s, d }).Code);
        Assert.AreEqual(ErrorCodes.BadOpParams, Load(new[] { 1, 5 }, new QTensor("y", new[] { 1, 5 }, 1f / 255, -128), new[] { m, s, d }).Code);
        Assert.AreEqual(ErrorCodes.BadOpParams, Load(new[] { 1, 5 }, new QTensor("y", new[] { 1, 5 }, 1f / 256, -128), new[] { m, s, 3 }).Code);
        Assert.AreEqual(ErrorCodes.BadOpParams, Load(new[] { 1, 5 }, new QTensor("y", new[] { 1, 5 }, 1f / 256, -128), new[] { m, -1, d }).Code);
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Load(new[] { 1, 5 }, new QTensor("y", new[] { 5, 1 }, 1f / 256, -128), new[] { m, s, d }).Code);
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Load(new[] { 1, 4096 }, new QTensor("y", new[] { 1, 4096 }, 1f / 256, -128), new[] { m, s, d }).Code);
    }

    [TestMethod]
    public void MutatedParamsShapesAndZeroPointsAreRefusedOrRunSafely()
    {
        var (loaded, refused) = FuzzParamsAndShapes(OneOp(OpCodes.Softmax, new[] { 1717986944, 23, -248 }, new[] { new QTensor("x", new[] { 2, 5 }, 0.1f, 0) }, new QTensor("y", new[] { 2, 5 }, 1f / 256, -128)), 209, 1500);
        Assert.IsTrue(loaded >= 10 && refused >= 300, $"{loaded} loaded and ran, {refused} refused");
    }


    [TestMethod]
    public void ClassifierTailOfEveryNonConvolutionOpRunsThroughOneBlob()
    {
        // x → PAD → MAX_POOL → AVERAGE_POOL → {RELU, LEAKY_RELU} → ADD, RELU → QUANTIZE → CONCATENATION
        // → QUANTIZE int16 → QUANTIZE int8 → TANH → LOGISTIC → MEAN → SOFTMAX, planned by the host's arena
        // planner (in-place aliases included) and run by the Interpreter; compared with the per-op references.
        var rng = new Random(8);
        var g = ClassifierTailOfEveryOp();
        int[] P(int op) => ((QSimpleOp)g.Ops[op]).Params;
        int[] reluP = P(3), leakyP = P(4), addP = P(5), rqP = P(6), wP = P(8), nP = P(9), tP = P(10), lP = P(11), mP = P(12), sP = P(13);
        int[] input = RandomValues(rng, 192);
        int[] got = RunBlob(g, input)[0];

        sbyte[] S(int[] v) => v.Select(e => (sbyte)e).ToArray();
        int[] I(sbyte[] v) => v.Select(e => (int)e).ToArray();
        int[] vPad = PadRef(input, new[] { 1, 8, 6, 4 }, new[] { 0, 1, 1, 0 }, new[] { 0, 1, 0, 0 }, 3);
        sbyte[] vMp = PoolRef(false, S(vPad), 1, 10, 7, 4, 9, 6, 2, 2, 1, 1, 0, 0, -128, 127);
        sbyte[] vAp = PoolRef(true, vMp, 1, 9, 6, 4, 5, 3, 3, 3, 2, 2, 1, 0, -128, 127);
        int[] vRl = vAp.Select(v => RequantizeRef(v, 3, reluP[0], reluP[1], -128, -128, 127)).ToArray();
        int[] vLk = vAp.Select(v => LeakyReluRef(v, 3, 10, leakyP[0], leakyP[1], leakyP[2], leakyP[3], -128, 127)).ToArray();
        sbyte[] vAd = AddRef(S(vRl), S(vLk), -128, 10, -5, addP[0], addP[1], addP[2], addP[3], addP[4], addP[5], addP[6], -128, 127);
        int[] vRq = vRl.Select(v => RequantizeRef(v, -128, rqP[0], rqP[1], -5, -128, 127)).ToArray();
        int[] vCc = ConcatRef(new[] { I(vAd), vRq }, new[] { new[] { 1, 5, 3, 4 }, new[] { 1, 5, 3, 4 } }, 3);
        int[] vW = vCc.Select(v => RequantizeRef(v, -5, wP[0], wP[1], 0, -32768, 32767)).ToArray();
        int[] vN = vW.Select(v => RequantizeRef(v, 0, nP[0], nP[1], 0, -128, 127)).ToArray();
        int[] vTh = vN.Select(v => Tanh.Compute(v, tP[0], tP[1], tP[2])).ToArray();
        int[] vLg = vTh.Select(v => Logistic.Compute(v, lP[0], lP[1], lP[2])).ToArray();
        sbyte[] vMn = MeanRef(S(vLg), 1, 15, 8, -128, 0, mP[0], mP[1], -128, 127);
        int[] want = Run(vMn, 1, 8, sP[0], sP[1], sP[2]);
        CollectionAssert.AreEqual(want, got);
        Assert.IsTrue(want.Distinct().Count() > 1, "the test data should not collapse to one value");

        // Per inference nothing is allocated, whichever kernels run.
        var it = new Interpreter(Model.Load(Micro.Tooling.Blob.BlobEmitter.Emit(g)));
        it.Invoke();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) it.Invoke();
        Assert.AreEqual(0L, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [TestMethod]
    public void MutatedClassifierTailIsRefusedOrRunsSafely()
    {
        var (loaded, refused) = FuzzParamsAndShapes(ClassifierTailOfEveryOp(), 213, 3000);
        Assert.IsTrue(loaded >= 10 && refused >= 1000, $"{loaded} loaded and ran, {refused} refused");
    }

    [TestMethod]
    public void GemmlowpRoutinesMatchGemmlowpOnRawValues()
    {
        var lines = ParseGolden(FixedPointGolden);
        Assert.AreEqual(4, lines.Count);
        CollectionAssert.AreEqual(lines[0].Arrays[1], lines[0].Arrays[0].Select(a => GemmlowpFixedPoint.ExpOnNegativeValues(a, 4)).ToArray());
        CollectionAssert.AreEqual(lines[1].Arrays[1], lines[1].Arrays[0].Select(a => GemmlowpFixedPoint.ExpOnNegativeValues(a, 5)).ToArray());
        CollectionAssert.AreEqual(lines[2].Arrays[1], lines[2].Arrays[0].Select(x => GemmlowpFixedPoint.GetReciprocal(x, 12, out _)).ToArray());
        CollectionAssert.AreEqual(lines[2].Arrays[2], lines[2].Arrays[0].Select(x => { GemmlowpFixedPoint.GetReciprocal(x, 12, out int b); return b; }).ToArray());
        CollectionAssert.AreEqual(lines[3].Arrays[1], lines[3].Arrays[0].Select(a => GemmlowpFixedPoint.Logistic(a, 4)).ToArray());
        CollectionAssert.AreEqual(lines[3].Arrays[2], lines[3].Arrays[0].Select(a => GemmlowpFixedPoint.Tanh(a, 4)).ToArray());
        Assert.AreEqual(0, GemmlowpFixedPoint.CountLeadingZeros(0x80000000u) + GemmlowpFixedPoint.CountLeadingZeros(0xFFFFFFFFu));
        Assert.AreEqual(32, GemmlowpFixedPoint.CountLeadingZeros(0));
        Assert.AreEqual(12, GemmlowpFixedPoint.CountLeadingZeros(1u << 19));
    }
}
