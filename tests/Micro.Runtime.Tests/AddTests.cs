using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Runtime.Tests.Reference;
using Micro.Tooling.Graph;
using static Micro.Runtime.Tests.Reference.ReferenceElementwise;

namespace Micro.Runtime.Tests;

[TestClass]
public class AddTests
{
    // TFLM's int8 ADD (reference_integer_ops::Add) on random data. Header: count a_zp b_zp y_zp left_shift
    // a_mult a_shift b_mult b_shift out_mult out_shift act_min act_max (as TFLM's Prepare computed them from
    // the scales in Scales below); then a, b and TFLM's output.
    private const string Golden = """
ADD 40 -3 10 -5 20 1533916908 -1 1073741824 0 1503238538 -19 -128 127 | 123 -99 -36 23 52 -12 -26 78 75 -94 -47 116 23 -22 17 111 41 80 90 97 86 -103 -95 -79 -77 -56 25 0 -109 33 54 52 -117 40 -83 112 109 -95 112 24 | 79 -111 -75 -48 -124 59 -16 125 -96 35 -45 66 120 14 84 -125 31 -1 -90 -28 -23 58 61 74 106 67 -51 -40 119 -34 75 -14 35 16 -22 60 -62 28 30 -101 | 106 -128 -81 -33 -71 25 -35 116 -40 -33 -66 94 85 -12 57 -42 32 29 -29 18 16 -21 -15 2 25 8 -34 -38 18 -18 69 6 -45 21 -67 88 1 -38 67 -69
ADD 40 0 0 -128 20 1073741824 0 1073741824 0 1073741824 -19 -128 127 | -24 -122 -100 50 106 19 86 101 90 -58 -126 -40 15 -29 -108 112 26 -18 62 80 80 -84 118 -36 -58 31 111 -72 -49 -115 -99 -55 0 122 -76 50 43 -88 -87 87 | 102 29 -81 -36 4 28 58 -90 -102 41 -1 -40 -6 9 -16 -42 58 -66 67 68 -83 -114 108 7 -25 -3 29 66 -67 -51 76 89 66 4 44 -16 -54 -27 49 -20 | -89 -128 -128 -121 -73 -104 -56 -122 -128 -128 -128 -128 -123 -128 -128 -93 -86 -128 -63 -54 -128 -128 -15 -128 -128 -114 -58 -128 -128 -128 -128 -111 -95 -65 -128 -111 -128 -128 -128 -94
ADD 40 100 -120 20 20 1073741824 0 1145324541 -5 1288490240 -18 20 127 | -23 -12 15 112 116 -10 -69 -32 126 -18 104 -31 91 32 -118 85 -97 16 -42 98 31 -126 62 107 -19 123 -8 21 95 62 119 66 9 79 112 24 -67 115 -42 -6 | -111 -83 -35 -115 -40 65 -7 -77 39 -77 -34 -110 80 -56 -127 -115 105 -126 21 73 -59 39 14 -88 -8 59 33 -48 -41 -128 64 36 117 -4 -95 73 38 -14 -73 33 | 20 20 20 35 42 20 20 20 58 20 28 20 20 20 20 20 20 20 20 25 20 20 20 30 20 55 20 20 20 20 50 20 20 20 35 20 20 42 20 20
""";

    private static readonly (float A, float B, float Y)[] Scales = { (0.05f, 0.07f, 0.1f), (0.02f, 0.02f, 0.04f), (0.3f, 0.01f, 0.25f) };

    /// <summary>TFLite's int8 ADD params (add_common.cc): left shift 20, inputs scaled by 1/(2·max scale).</summary>
    public static int[] Params(float sa, float sb, float sy, int actMin, int actMax)
    {
        double twiceMax = 2 * (double)Math.Max(sa, sb);
        var (am, ash) = QuantizeMultiplier(sa / twiceMax);
        var (bm, bsh) = QuantizeMultiplier(sb / twiceMax);
        var (om, osh) = QuantizeMultiplier(twiceMax / ((1 << 20) * (double)sy));
        return new[] { 20, am, ash, bm, bsh, om, osh, actMin, actMax };
    }

    [TestMethod]
    public void MatchesTflmIncludingItsPrepareIntegers()
    {
        var lines = ParseGolden(Golden);
        Assert.AreEqual(3, lines.Count);
        for (int k = 0; k < lines.Count; k++)
        {
            var g = lines[k];
            int[] p = Params(Scales[k].A, Scales[k].B, Scales[k].Y, g.H(11), g.H(12));
            CollectionAssert.AreEqual(Enumerable.Range(4, 9).Select(g.H).ToArray(), p, $"prepare integers, line {k}");
            int n = g.H(0);
            var arena = new sbyte[3 * n];
            Array.Copy(g.Bytes(0), 0, arena, 0, n);
            Array.Copy(g.Bytes(1), 0, arena, n, n);
            int[] table = Add.BuildTable(g.H(1), g.H(2), p[0], p[1], p[2], p[3], p[4]);
            Add.EvalInt8(table, arena, 0, n, 2 * n, n, p[5], p[6], g.H(3), p[7], p[8]);
            CollectionAssert.AreEqual(g.Arrays[2], arena.Skip(2 * n).Select(v => (int)v).ToArray(), $"line {k}");
        }
    }

    [TestMethod]
    public void HandComputedValue()
    {
        // Input scales 0.1, output scale 0.2, zero points 0: a' = a·2^19, b' = b·2^19 (multiplier 1/2 after the
        // left shift 20), output multiplier 2^-20, so y = (a + b) / 2 rounded half away from zero.
        int[] p = Params(0.1f, 0.1f, 0.2f, -128, 127);
        CollectionAssert.AreEqual(new[] { 20, 1 << 30, 0, 1 << 30, 0, 1 << 30, -19, -128, 127 }, p);
        int[] t = Add.BuildTable(0, 0, p[0], p[1], p[2], p[3], p[4]);
        var a = new sbyte[] { 10, 20, -20, 0, 7, -7, 0, 0, 0 };
        Add.EvalInt8(t, a, 0, 3, 6, 3, p[5], p[6], 0, -128, 127);
        CollectionAssert.AreEqual(new sbyte[] { 5, 14, -14 }, a[6..9]);
    }

    [TestMethod]
    public void RandomShapesThroughBlobsMatchTheReference()
    {
        var rng = new Random(104);
        for (int k = 0; k < 220; k++)
        {
            int rank = rng.Next(1, 5);
            int[] shape = Enumerable.Range(0, rank).Select(_ => rng.Next(1, 6)).ToArray();
            int count = shape.Aggregate(1, (p, v) => p * v);
            float sa = (float)(0.005 + rng.NextDouble() * 0.2), sb = k % 7 == 0 ? sa : (float)(0.005 + rng.NextDouble() * 0.2);
            float sy = (float)(0.01 + rng.NextDouble() * 0.3);
            int za = rng.Next(-128, 128), zb = rng.Next(-128, 128), zy = rng.Next(-128, 128);
            int lo = k % 3 == 0 ? zy : -128, hi = k % 5 == 0 ? rng.Next(lo, 128) : 127;
            int[] p = Params(sa, sb, sy, lo, hi);
            bool same = k % 11 == 0; // y = x + x
            var a = new QTensor("a", shape, sa, za);
            var b = same ? a : new QTensor("b", shape, sb, zb);
            if (same) { sb = sa; zb = za; p = Params(sa, sa, sy, lo, hi); }
            var y = new QTensor("y", shape, sy, zy);
            int[] va = RandomValues(rng, count), vb = same ? va : RandomValues(rng, count);
            var g = OneOp(OpCodes.Add, p, new[] { a, b }, y);
            int[] got = same ? RunBlob(g, va)[0] : RunBlob(g, va, vb)[0];
            sbyte[] want = AddRef(va.Select(v => (sbyte)v).ToArray(), vb.Select(v => (sbyte)v).ToArray(), za, zb, zy, p[0], p[1], p[2], p[3], p[4], p[5], p[6], lo, hi);
            CollectionAssert.AreEqual(want.Select(v => (int)v).ToArray(), got, $"config {k}");
        }
    }

    [TestMethod]
    public void LoadRejectsBroadcastingAndBadParams()
    {
        int[] ok = Params(0.1f, 0.1f, 0.2f, -128, 127);
        int Error(int[] sa, int[] sb, int[] p) => Assert.ThrowsExactly<BlobFormatException>(() => Model.Load(Micro.Tooling.Blob.BlobEmitter.Emit(
            OneOp(OpCodes.Add, p, new[] { new QTensor("a", sa, 0.1f, 0), new QTensor("b", sb, 0.1f, 0) }, new QTensor("y", sa, 0.2f, 0))))).Code;
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Error(new[] { 2, 3 }, new[] { 1, 3 }, ok));
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Error(new[] { 2, 3 }, new[] { 6 }, ok));
        int[] bad = (int[])ok.Clone();
        bad[2] = 1; // a positive input shift: TFLite's input multipliers are always < 1
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(new[] { 2, 3 }, new[] { 2, 3 }, bad));
        bad = (int[])ok.Clone();
        bad[0] = 21;
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(new[] { 2, 3 }, new[] { 2, 3 }, bad));
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(new[] { 2, 3 }, new[] { 2, 3 }, ok[..8]));
    }

    [TestMethod]
    public void MutatedParamsShapesAndZeroPointsAreRefusedOrRunSafely()
    {
        var (loaded, refused) = FuzzParamsAndShapes(OneOp(OpCodes.Add, Params(0.05f, 0.07f, 0.1f, -128, 127), new[] { new QTensor("a", new[] { 2, 3, 4 }, 0.05f, 1), new QTensor("b", new[] { 2, 3, 4 }, 0.07f, -9) }, new QTensor("y", new[] { 2, 3, 4 }, 0.1f, 2)), 204, 1500);
        Assert.IsTrue(loaded >= 10 && refused >= 300, $"{loaded} loaded and ran, {refused} refused");
    }
}
