using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Runtime.Tests.Reference;
using Micro.Tooling.Graph;
using static Micro.Runtime.Tests.Reference.ReferenceElementwise;

namespace Micro.Runtime.Tests;

[TestClass]
public class LutAndHardSwishTests
{
    [TestMethod]
    public void LutAppliesItsTableAndPacksFourBytesAWord()
    {
        var rng = new Random(2201);
        var table = new sbyte[256];
        for (int i = 0; i < 256; i++) table[i] = (sbyte)rng.Next(-128, 128);
        int[] p = Lut.Encode(table);
        Assert.AreEqual(64, p.Length);
        CollectionAssert.AreEqual(table, Lut.Decode(p));
        // Word 0 holds table bytes 0..3, little-endian.
        Assert.AreEqual((table[0] & 0xFF) | ((table[1] & 0xFF) << 8) | ((table[2] & 0xFF) << 16) | (table[3] << 24), p[0]);
        int[] x = Enumerable.Range(-128, 256).Concat(RandomValues(rng, 100)).ToArray();
        var g = OneOp(OpCodes.Lut, p, new[] { new QTensor("x", new[] { 1, x.Length }, 0.1f, 3) }, new QTensor("y", new[] { 1, x.Length }, 0.05f, -7));
        CollectionAssert.AreEqual(x.Select(v => (int)table[v + 128]).ToArray(), RunBlob(g, x)[0]);
    }

    [TestMethod]
    public void LutRefusesOtherTypesShapesAndParamCounts()
    {
        int[] p = Lut.Encode(new sbyte[256]);
        int Error(int[] prm, int[] dx, int[] dy, int tx) => Assert.ThrowsExactly<BlobFormatException>(() => Model.Load(Micro.Tooling.Blob.BlobEmitter.Emit(
            OneOp(OpCodes.Lut, prm, new[] { new QTensor("x", dx, 0.1f, 0, tx) }, new QTensor("y", dy, 0.1f, 0))))).Code;
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Error(p, new[] { 4 }, new[] { 5 }, DType.Int8));
        Assert.AreEqual(ErrorCodes.BadDType, Error(p, new[] { 4 }, new[] { 4 }, DType.Int16));
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(p[..63], new[] { 4 }, new[] { 4 }, DType.Int8));
    }

    private static readonly (float X, int Xz, float Y, int Yz)[] HardSwishQuant =
    {
        (0.05f, 0, 0.03f, -100),     // typical: x in ±6.4, y in −0.4..7.6
        (0.1f, -20, 0.05f, -120),
        (0.02f, 10, 0.02f, -110),    // small range: relu-ish exponent negative
        (0.4f, 5, 0.2f, -118),       // wide range: relu-ish exponent positive, saturating left shifts
        (1.5f, 0, 1.0f, -127),       // MobileNetV3's large early ranges
        (0.003f, -128, 0.002f, -128),
    };

    [TestMethod]
    public void HardSwishMatchesTflmForEveryInputValue()
    {
        foreach (var (sx, zx, sy, zy) in HardSwishQuant)
        {
            var (rm, re, om, oe) = ReferenceBroadcast.HardSwishParams(sx, sy);
            int[] x = Enumerable.Range(-128, 256).ToArray();
            var g = OneOp(OpCodes.HardSwish, HardSwish.Encode(rm, re, om, oe), new[] { new QTensor("x", new[] { 2, 128 }, sx, zx) }, new QTensor("y", new[] { 2, 128 }, sy, zy));
            int[] got = RunBlob(g, x)[0];
            for (int i = 0; i < 256; i++)
            {
                Assert.AreEqual(ReferenceBroadcast.HardSwish(x[i], zx, zy, rm, re, om, oe), got[i], $"x_scale {sx}, q {x[i]}: reluish exp {re}, output exp {oe}");
                // And it is hard-swish: within two output steps of x·relu6(x + 3)/6.
                double v = sx * (x[i] - zx), want = v * Math.Clamp(v + 3, 0, 6) / 6;
                double clamped = Math.Clamp(want, sy * (-128 - zy), sy * (127 - zy));
                Assert.AreEqual(clamped, sy * (got[i] - zy), 2.01 * sy, $"x = {v}");
            }
        }
    }

    [TestMethod]
    public void HardSwishRefusesBadParams()
    {
        int Error(int[] prm) => Assert.ThrowsExactly<BlobFormatException>(() => Model.Load(Micro.Tooling.Blob.BlobEmitter.Emit(
            OneOp(OpCodes.HardSwish, prm, new[] { new QTensor("x", new[] { 4 }, 0.1f, 0) }, new QTensor("y", new[] { 4 }, 0.1f, 0))))).Code;
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(HardSwish.Encode(40000, 0, 1000, -1)), "int16 multiplier out of range");
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(HardSwish.Encode(1000, 0, 1000, 1)), "output exponent > 0");
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(new[] { 1, 2, 3 }));
    }

    [TestMethod]
    public void MutatedParamsShapesAndZeroPointsAreRefusedOrRunSafely()
    {
        var (rm, re, om, oe) = ReferenceBroadcast.HardSwishParams(0.05f, 0.03f);
        var (loaded, refused) = FuzzParamsAndShapes(OneOp(OpCodes.HardSwish, HardSwish.Encode(rm, re, om, oe), new[] { new QTensor("x", new[] { 3, 4 }, 0.05f, 0) }, new QTensor("y", new[] { 3, 4 }, 0.03f, -100)), 223, 1000);
        Assert.IsTrue(loaded >= 10 && refused >= 100, $"HARD_SWISH: {loaded} loaded and ran, {refused} refused");
        (loaded, refused) = FuzzParamsAndShapes(OneOp(OpCodes.Lut, Lut.Encode(new sbyte[256]), new[] { new QTensor("x", new[] { 3, 4 }, 0.05f, 0) }, new QTensor("y", new[] { 3, 4 }, 0.03f, -100)), 224, 1000);
        Assert.IsTrue(loaded >= 10 && refused >= 50, $"LUT: {loaded} loaded and ran, {refused} refused");
    }
}
