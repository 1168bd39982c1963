using Micro.Runtime.Format;
using Micro.Runtime.Tests.Reference;
using Micro.Tooling.Graph;
using static Micro.Runtime.Tests.Reference.ReferenceElementwise;

namespace Micro.Runtime.Tests;

[TestClass]
public class ConcatenationTests
{
    [TestMethod]
    public void HandComputedChannelConcat()
    {
        // [1,2,2] ++ [1,2,1] along the channels: rows (1,2 | 5), (3,4 | 6).
        var a = new QTensor("a", new[] { 1, 2, 2 }, 0.1f, 0);
        var b = new QTensor("b", new[] { 1, 2, 1 }, 0.1f, 0);
        var y = new QTensor("y", new[] { 1, 2, 3 }, 0.1f, 0);
        int[] got = RunBlob(OneOp(OpCodes.Concatenation, new[] { 2 }, new[] { a, b }, y), new[] { 1, 2, 3, 4 }, new[] { 5, 6 })[0];
        CollectionAssert.AreEqual(new[] { 1, 2, 5, 3, 4, 6 }, got);
    }

    [TestMethod]
    public void RandomShapesAxesAndTypesThroughBlobsMatchTheReference()
    {
        var rng = new Random(105);
        for (int k = 0; k < 220; k++)
        {
            int rank = rng.Next(1, 5), axis = rng.Next(rank), n = rng.Next(1, 5);
            int dtype = k % 4 == 0 ? DType.Int16 : DType.Int8;
            int zp = dtype == DType.Int16 ? 0 : rng.Next(-128, 128);
            int[] baseShape = Enumerable.Range(0, rank).Select(_ => rng.Next(1, 5)).ToArray();
            var dims = new int[n][];
            var inputs = new QTensor[n];
            var values = new int[n][];
            for (int i = 0; i < n; i++)
            {
                dims[i] = (int[])baseShape.Clone();
                dims[i][axis] = rng.Next(1, 5);
                inputs[i] = new QTensor("x" + i, dims[i], 0.07f, zp, dtype);
                values[i] = RandomValues(rng, dims[i].Aggregate(1, (p, v) => p * v), dtype);
            }
            int[] yShape = (int[])baseShape.Clone();
            yShape[axis] = dims.Sum(d => d[axis]);
            var g = OneOp(OpCodes.Concatenation, new[] { axis }, inputs, new QTensor("y", yShape, 0.07f, zp, dtype));
            int[] got = RunBlob(g, values)[0];
            CollectionAssert.AreEqual(ConcatRef(values, dims, axis), got, $"config {k}: axis {axis} of [{string.Join(",", yShape)}]");
        }
    }

    [TestMethod]
    public void LoadRejectsMismatches()
    {
        int Error(QTensor[] xs, QTensor y, int axis) => Assert.ThrowsExactly<BlobFormatException>(() =>
            Model.Load(Micro.Tooling.Blob.BlobEmitter.Emit(OneOp(OpCodes.Concatenation, new[] { axis }, xs, y)))).Code;
        QTensor T(string name, int[] s, float scale = 0.1f, int zp = 0, int dtype = DType.Int8) => new(name, s, scale, zp, dtype);
        var a = T("a", new[] { 1, 2, 2 });
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Error(new[] { a, T("b", new[] { 1, 2, 2 }) }, T("y", new[] { 1, 2, 5 }), 2));
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Error(new[] { a, T("b", new[] { 1, 3, 2 }) }, T("y", new[] { 1, 2, 4 }), 2));
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Error(new[] { a, T("b", new[] { 2, 2 }) }, T("y", new[] { 1, 2, 4 }), 2));
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(new[] { a, T("b", new[] { 1, 2, 2 }, zp: 3) }, T("y", new[] { 1, 2, 4 }), 2));
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(new[] { a, T("b", new[] { 1, 2, 2 }, scale: 0.2f) }, T("y", new[] { 1, 2, 4 }), 2));
        Assert.AreEqual(ErrorCodes.BadDType, Error(new[] { a, T("b", new[] { 1, 2, 2 }, dtype: DType.Int16) }, T("y", new[] { 1, 2, 4 }), 2));
        Assert.AreEqual(ErrorCodes.BadOpParams, Error(new[] { a, T("b", new[] { 1, 2, 2 }) }, T("y", new[] { 1, 2, 4 }), 3));
    }

    [TestMethod]
    public void MutatedParamsShapesAndZeroPointsAreRefusedOrRunSafely()
    {
        var (loaded, refused) = FuzzParamsAndShapes(OneOp(OpCodes.Concatenation, new[] { 1 }, new[] { new QTensor("a", new[] { 1, 2, 3 }, 0.1f, 1), new QTensor("b", new[] { 1, 4, 3 }, 0.1f, 1), new QTensor("c", new[] { 1, 1, 3 }, 0.1f, 1) }, new QTensor("y", new[] { 1, 7, 3 }, 0.1f, 1)), 205, 1500);
        Assert.IsTrue(loaded >= 10 && refused >= 300, $"{loaded} loaded and ran, {refused} refused");
    }
}
