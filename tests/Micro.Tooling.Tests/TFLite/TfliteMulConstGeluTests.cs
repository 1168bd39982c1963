#nullable enable
using Micro.Runtime.Format;
using Micro.Tooling.Blob;
using Micro.Tooling.Running;
using Micro.Tooling.Tests.TFLite.Reference;
using Micro.Tooling.TFLite;
using static Micro.Tooling.TFLite.TfliteSchema;

namespace Micro.Tooling.Tests.TFLite;

/// <summary>
/// MUL by a constant (scalar → LUT, per-channel → 1×1 depthwise) and GELU (exact and tanh forms → LUT) from
/// synthetic TFLite models: the runtime's output bytes equal a test-side restatement of TFLM's int8 kernels
/// (reference_integer_ops::Mul with broadcasting; GELU's LUTPopulate over GeluTransform/GeluTransformApproximate,
/// in float32) on every int8 input value; refusals name the operator.
/// </summary>
[TestClass]
public class TfliteMulConstGeluTests
{
    private static int Const8(TfliteBuilder b, string name, int[] shape, float scale, int zp, sbyte[] values) =>
        b.Tensor(name, TfliteTensorType.Int8, shape, scale, zp, values.Select(v => unchecked((byte)v)).ToArray());

    /// <summary>Runs the imported model on every int8 value in every position (inputs are 256-periodic ramps).</summary>
    private static (sbyte[] X, sbyte[] Y, Micro.Tooling.Graph.QGraph G) RunAll(byte[] file, int elements, int sample)
    {
        TfliteImportResult imp = TfliteImporter.ImportDetailed(TfliteModelReader.Read(file), "synthetic");
        var runner = new BlobRunner(BlobEmitter.Emit(imp.Graph), earlyExit: false);
        var x = Enumerable.Range(0, elements).Select(i => (sbyte)((i * 37 + sample * 101) % 256 - 128)).ToArray();
        byte[] got = runner.RunRaw(x.Select(v => (byte)v).ToArray());
        return (x, got.Select(v => (sbyte)v).ToArray(), imp.Graph);
    }

    /// <summary>TFLM MUL int8, one product: clamp(y_zp + MBQM((a − a_zp)·(c − c_zp), m, s), lo, hi).</summary>
    private static sbyte TflmMul(int a, int aZp, int c, int cZp, int yZp, int m, int s, int lo, int hi) =>
        (sbyte)Math.Clamp(yZp + Gemmlowp.Mbqm((a - aZp) * (c - cZp), m, s), lo, hi);

    [TestMethod]
    [DataRow(0, 0, false, 0.02f)]
    [DataRow(1, 0, false, 0.02f)]
    [DataRow(0, -7, true, 0.02f)]
    [DataRow(1, 12, false, 0.0005f)]
    public void PerChannelConstantMulMatchesTflm(int constSlot, int cZp, bool relu, float yScale)
    {
        int[] shape = { 1, 3, 4, 8 };
        var rng = new Random(cZp + 40 * constSlot);
        sbyte[] c = Enumerable.Range(0, 8).Select(_ => (sbyte)Math.Clamp(cZp + rng.Next(-100, 100), -128, 127)).ToArray();
        float aS = 0.05f, cS = 0.013f;
        int aZp = 3, yZp = -4;
        var b = new TfliteBuilder();
        int x = b.Int8("x", shape, aS, aZp);
        int k = Const8(b, "gate", new[] { 1, 1, 1, 8 }, cS, cZp, c);
        int y = b.Int8("y", shape, yScale, yZp);
        var act = relu ? TfliteActivation.Relu : TfliteActivation.None;
        b.Op(Op.Mul, constSlot == 0 ? new[] { k, x } : new[] { x, k }, new[] { y }, OptMul, TfliteBuilder.Options((MulActivation, (byte)act)));
        b.Inputs = new[] { x };
        b.Outputs = new[] { y };
        for (int sample = 0; sample < 3; sample++)
        {
            var (xs, got, g) = RunAll(b.Build(), 96, sample);
            Assert.AreEqual(OpCodes.DepthwiseConv2D, g.Ops.Single().OpCode);
            var (m, s) = TflmParams.Mul(aS, cS, yScale, "ref");
            int lo = relu ? Math.Max(-128, yZp) : -128;
            for (int i = 0; i < xs.Length; i++)
                Assert.AreEqual(TflmMul(xs[i], aZp, c[i % 8], cZp, yZp, m, s, lo, 127), got[i], $"element {i}");
        }
    }

    [TestMethod]
    [DataRow(new int[0], 0, 5, 0.02f)]
    [DataRow(new[] { 1 }, 1, -3, 0.004f)]
    [DataRow(new[] { 1, 1, 1, 1 }, 0, 0, 0.1f)]
    public void ScalarConstantMulIsATableByteExactWithTflm(int[] cShape, int constSlot, int cZp, float yScale)
    {
        int[] shape = { 1, 2, 5, 6 };
        float aS = 0.03f, cS = 0.011f;
        int aZp = -9, yZp = 7;
        sbyte cv = (sbyte)(cZp - 77);
        var b = new TfliteBuilder();
        int x = b.Int8("x", shape, aS, aZp);
        int k = Const8(b, "scale", cShape, cS, cZp, new[] { cv });
        int y = b.Int8("y", shape, yScale, yZp);
        b.Op(Op.Mul, constSlot == 0 ? new[] { k, x } : new[] { x, k }, new[] { y }, OptMul, TfliteBuilder.Options((MulActivation, (byte)TfliteActivation.Relu6)));
        b.Inputs = new[] { x };
        b.Outputs = new[] { y };
        var (m, s) = TflmParams.Mul(aS, cS, yScale, "ref");
        int lo = Math.Max(-128, yZp), hi = Math.Min(127, yZp + (int)Math.Round(6 / yScale));
        for (int sample = 0; sample < 5; sample++)
        {
            var (xs, got, g) = RunAll(b.Build(), 60, sample);
            Assert.AreEqual(OpCodes.Lut, g.Ops.Single().OpCode);
            for (int i = 0; i < xs.Length; i++)
                Assert.AreEqual(TflmMul(xs[i], aZp, cv, cZp, yZp, m, s, lo, hi), got[i], $"element {i}");
        }
    }

    [TestMethod]
    public void ConstantMulRefusalsNameTheOperator()
    {
        void Refused(int[] xShape, int[] cShape, int cZp, string expect)
        {
            var b = new TfliteBuilder();
            int x = b.Int8("x", xShape, 0.05f, 0);
            int n = cShape.Aggregate(1, (p, d) => p * d);
            int k = Const8(b, "c", cShape, 0.01f, cZp, Enumerable.Range(0, n).Select(i => (sbyte)(i % 2 == 0 ? 127 : -128)).ToArray());
            int y = b.Int8("y", xShape, 0.05f, 0);
            b.Op(Op.Mul, new[] { x, k }, new[] { y }, OptMul, TfliteBuilder.Options((MulActivation, (byte)TfliteActivation.None)));
            b.Inputs = new[] { x };
            b.Outputs = new[] { y };
            var e = Assert.ThrowsExactly<TfliteImportException>(() => TfliteImporter.ImportDetailed(TfliteModelReader.Read(b.Build()), "synthetic"));
            StringAssert.Contains(e.Message, "(MUL (18))");
            StringAssert.Contains(e.Message, expect);
        }
        Refused(new[] { 1, 2, 2, 4 }, new[] { 1, 2, 1, 4 }, 0, "a scalar or one value per channel");
        Refused(new[] { 2, 4 }, new[] { 4 }, 0, "rank-4");
        Refused(new[] { 1, 1, 2, 4 }, new[] { 4 }, 20, "outside int8");
    }

    // ---- GELU --------------------------------------------------------------------------------------------

    /// <summary>erf by composite Simpson integration of 2/√π·e^(−t²) over [0, x] (double, ~1e-13).</summary>
    private static double ErfBySimpson(double x)
    {
        if (x == 0) return 0;
        int n = 4000;
        double h = x / n, sum = 1 + Math.Exp(-x * x);
        for (int i = 1; i < n; i++) sum += (i % 2 == 1 ? 4 : 2) * Math.Exp(-(i * h) * (i * h));
        return 2 / Math.Sqrt(Math.PI) * sum * h / 3;
    }

    /// <summary>TFLM's GELU table: LUTPopulate&lt;int8_t&gt; over GeluTransform or GeluTransformApproximate in float.</summary>
    private static sbyte[] TflmGeluTable(float sx, int xZp, float sy, int yZp, bool approximate)
    {
        var lut = new sbyte[256];
        float invScale = 1 / sy;
        for (int q = -128; q <= 127; q++)
        {
            float v = sx * (q - xZp);
            float t = approximate
                ? 0.5f * v * (1.0f + MathF.Tanh((float)(1.12837916709551257390 * 0.70710678118654752440) * (v + 0.044715f * v * v * v)))
                : 0.5f * v * (1.0f + (float)ErfBySimpson(v * (float)0.70710678118654752440));
            float rescaled = MathF.Round(t * invScale, MidpointRounding.AwayFromZero);
            lut[q + 128] = (sbyte)Math.Max(Math.Min(127, (int)(rescaled + yZp)), -128);
        }
        return lut;
    }

    [TestMethod]
    [DataRow(false, 0.05f, 3, 0.03f, -100)]
    [DataRow(true, 0.05f, 3, 0.03f, -100)]
    [DataRow(false, 0.11f, -20, 0.07f, -120)]
    [DataRow(true, 0.011f, 40, 0.004f, -30)]
    [DataRow(true, 0.2f, 0, 0.1f, 0)]
    public void GeluIsATableByteExactWithTflm(bool approximate, float sx, int xZp, float sy, int yZp)
    {
        int[] shape = { 1, 16, 16 };
        var b = new TfliteBuilder();
        int x = b.Int8("x", shape, sx, xZp);
        int y = b.Int8("y", shape, sy, yZp);
        b.Op(Op.Gelu, new[] { x }, new[] { y }, OptGelu, TfliteBuilder.Options((GeluApproximate, approximate)));
        b.Inputs = new[] { x };
        b.Outputs = new[] { y };
        var (xs, got, g) = RunAll(b.Build(), 256, 0);
        Assert.AreEqual(OpCodes.Lut, g.Ops.Single().OpCode);
        sbyte[] want = TflmGeluTable(sx, xZp, sy, yZp, approximate);
        Assert.AreEqual(256, xs.Distinct().Count());
        for (int i = 0; i < xs.Length; i++)
            Assert.AreEqual(want[xs[i] + 128], got[i], $"x = {xs[i]}");
        // The restated table is GELU itself: within one output step of the double-precision function where not clamped.
        for (int q = -128; q < 128; q++)
        {
            double v = sx * (q - xZp), f = approximate ? 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)))
                : 0.5 * v * (1 + ErfBySimpson(v / Math.Sqrt(2)));
            double exact = f / sy + yZp;
            if (exact > -128 && exact < 127) Assert.IsLessThanOrEqualTo(1.0, Math.Abs(want[q + 128] - exact), $"q = {q}");
        }
    }

    [TestMethod]
    public void ErfMatchesSimpsonIntegration()
    {
        foreach (float v in new[] { -6f, -3.2f, -3f, -2.999f, -1f, -0.3f, 0f, 1e-4f, 0.5f, 1.7f, 2.9f, 3.01f, 4.5f, 9f })
            Assert.AreEqual((float)ErfBySimpson(v), TfliteImporter.ErfF(v), $"erf({v})");
    }
}
