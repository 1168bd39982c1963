using Micro.Runtime.Format;
using Micro.Runtime.Tests.Reference;
using Micro.Tooling.Graph;
using static Micro.Runtime.Tests.Reference.ReferenceElementwise;

namespace Micro.Runtime.Tests;

[TestClass]
public class PadTests
{
    [TestMethod]
    public void HandComputedPaddingUsesTheOutputZeroPoint()
    {
        // [2,2] padded by one row above and one column right with zero point −5.
        var x = new QTensor("x", new[] { 2, 2 }, 0.1f, -5);
        var y = new QTensor("y", new[] { 3, 3 }, 0.1f, -5);
        int[] got = RunBlob(OneOp(OpCodes.Pad, new[] { 1, 0, 0, 1 }, new[] { x }, y), new[] { 1, 2, 3, 4 })[0];
        CollectionAssert.AreEqual(new[] { -5, -5, -5, 1, 2, -5, 3, 4, -5 }, got);
    }

    [TestMethod]
    public void RandomShapesAndTypesThroughBlobsMatchTheReference()
    {
        var rng = new Random(106);
        for (int k = 0; k < 220; k++)
        {
            int rank = rng.Next(1, 5);
            int dtype = k % 4 == 0 ? DType.Int16 : DType.Int8;
            int zp = dtype == DType.Int16 ? 0 : (k % 5 == 0 ? 0 : rng.Next(-128, 128));
            int[] xd = Enumerable.Range(0, rank).Select(_ => rng.Next(1, 6)).ToArray();
            int[] before = Enumerable.Range(0, rank).Select(_ => rng.Next(0, 4)).ToArray();
            int[] after = Enumerable.Range(0, rank).Select(_ => rng.Next(0, 4)).ToArray();
            int[] yd = xd.Select((d, i) => d + before[i] + after[i]).ToArray();
            int[] prms = Enumerable.Range(0, rank).SelectMany(i => new[] { before[i], after[i] }).ToArray();
            int[] x = RandomValues(rng, xd.Aggregate(1, (p, v) => p * v), dtype);
            var g = OneOp(OpCodes.Pad, prms, new[] { new QTensor("x", xd, 0.03f, zp, dtype) }, new QTensor("y", yd, 0.03f, zp, dtype));
            int[] got = RunBlob(g, x)[0];
            CollectionAssert.AreEqual(PadRef(x, xd, before, after, zp), got, $"config {k}: [{string.Join(",", xd)}] → [{string.Join(",", yd)}]");
        }
    }

    [TestMethod]
    public void LoadRejectsMismatches()
    {
        int Error(int[] xs, int[] ys, int[] p, int yZero = 0) => Assert.ThrowsExactly<BlobFormatException>(() => Model.Load(Micro.Tooling.Blob.BlobEmitter.Emit(
            OneOp(OpCodes.Pad, p, new[] { new QTensor("x", xs, 0.1f, 0) }, new QTensor("y", ys, 0.1f, yZero))))).Code;
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Error(new[] { 2, 2 }, new[] { 3, 3 }, new[] { 1, 0, 0, 0 }));
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(new[] { 2, 2 }, new[] { 3, 3 }, new[] { 2, -1, 0, 1 }));
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(new[] { 2, 2 }, new[] { 3, 3 }, new[] { 1, 0, 0, 1, 0 }));
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(new[] { 2, 2 }, new[] { 3, 3 }, new[] { 1, 0, 0, 1 }, yZero: 1));
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Error(new[] { 2, 2 }, new[] { 3, 3, 1 }, new[] { 1, 0, 0, 1, 0, 0 }));
    }

    [TestMethod]
    public void MutatedParamsShapesAndZeroPointsAreRefusedOrRunSafely()
    {
        var (loaded, refused) = FuzzParamsAndShapes(OneOp(OpCodes.Pad, new[] { 0, 0, 1, 0, 2, 1, 0, 1 }, new[] { new QTensor("x", new[] { 1, 4, 5, 2 }, 0.1f, 7) }, new QTensor("y", new[] { 1, 5, 8, 3 }, 0.1f, 7)), 206, 1500);
        Assert.IsTrue(loaded >= 10 && refused >= 300, $"{loaded} loaded and ran, {refused} refused");
    }
}
