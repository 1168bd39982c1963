#nullable enable
using Micro.Runtime.Format;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;
using Micro.Tooling.Running;
using Micro.Tooling.Tests.TFLite.Reference;
using Micro.Tooling.TFLite;
using static Micro.Tooling.TFLite.TfliteSchema;

namespace Micro.Tooling.Tests.TFLite;

/// <summary>
/// The structural operators on synthetic models: grouped CONV_2D, RESIZE_NEAREST_NEIGHBOR (every
/// align_corners / half_pixel_centers combination, up and down, non-integer ratios), TRANSPOSE,
/// STRIDED_SLICE (masks, negative indices, strides, shrunk axes) and SLICE. Micro.Runtime's output bytes on
/// random inputs must equal the test-side re-statement of TFLM's kernels (Reference/TflmReference*.cs).
/// </summary>
[TestClass]
public class TfliteStructuralTests
{
    private static sbyte[] RandomInt8(Random rng, int n, int lo = -128, int hi = 127)
    {
        var a = new sbyte[n];
        for (int i = 0; i < n; i++) a[i] = (sbyte)rng.Next(lo, hi + 1);
        return a;
    }

    /// <summary>Imports, emits and runs <paramref name="samples"/> random inputs; every output byte must equal the reference's. Returns the graph.</summary>
    private static QGraph RunAgainstReference(byte[] file, int samples)
    {
        TfliteModel m = TfliteModelReader.Read(file);
        TfliteImportResult imp = TfliteImporter.ImportDetailed(m, "synthetic");
        var runner = new BlobRunner(BlobEmitter.Emit(imp.Graph), earlyExit: false);
        int inT = imp.TfliteTensor[imp.Graph.Inputs[0]], outT = imp.TfliteTensor[imp.Graph.Outputs[0]];
        var reference = new TflmReference(m);
        var rng = new Random(samples + file.Length);
        for (int s = 0; s < samples; s++)
        {
            sbyte[] x = RandomInt8(rng, runner.Input.ElementCount);
            byte[] got = runner.RunRaw(x.Select(v => (byte)v).ToArray());
            sbyte[] want = reference.Run(inT, x)[outT];
            Assert.AreEqual(want.Length, got.Length, "output length");
            for (int i = 0; i < want.Length; i++) Assert.AreEqual(want[i], (sbyte)got[i], $"sample {s}, output element {i}");
        }
        return imp.Graph;
    }

    private static byte[] OneOp(int code, int[] xShape, int[] yShape, Func<TfliteBuilder, int[]> constInputs, byte optionsType, FbWriter.Table? options)
    {
        var b = new TfliteBuilder();
        int x = b.Int8("x", xShape, 0.05f, 3);
        int[] extra = constInputs(b);
        int y = b.Int8("y", yShape, 0.05f, 3);
        b.Op(code, new[] { x }.Concat(extra).ToArray(), new[] { y }, optionsType, options);
        b.Inputs = new[] { x };
        b.Outputs = new[] { y };
        return b.Build();
    }

    [TestMethod]
    public void ResizeNearestNeighborMatchesTflmForEveryModeAndRatio()
    {
        var cases = new (int[] X, int H, int W)[]
        {
            (new[] { 1, 4, 4, 2 }, 8, 8),     // ×2 (nn.Upsample)
            (new[] { 1, 5, 7, 3 }, 12, 9),    // non-integer up
            (new[] { 1, 6, 9, 1 }, 4, 5),     // down
            (new[] { 2, 3, 1, 4 }, 7, 3),     // batch 2, width 1
        };
        int ran = 0;
        foreach (var (xs, h, w) in cases)
            foreach (var (align, half) in new[] { (false, false), (true, false), (false, true) })
            {
                var opts = TfliteBuilder.Options((ResizeNnAlignCorners, align), (ResizeNnHalfPixelCenters, half));
                byte[] file = OneOp(Op.ResizeNearestNeighbor, xs, new[] { xs[0], h, w, xs[3] }, b => new[] { b.Int32Const("size", new[] { h, w }) },
                    OptResizeNearestNeighbor, opts);
                var g = RunAgainstReference(file, 4);
                Assert.AreEqual(OpCodes.ResizeNearest, g.Ops.Single().OpCode);
                ran++;
            }
        Assert.AreEqual(12, ran);
        // Hand-checked tables: 4 → 8 is 0,0,1,1,…; align_corners 3 → 7 rounds 0, 0.33, 0.67, 1, … to 0,0,1,1,1,2,2;
        // half_pixel_centers 7 → 12 floors 0.29, 0.875, 1.46, ….
        CollectionAssert.AreEqual(new[] { 0, 0, 1, 1, 2, 2, 3, 3 }, TfliteImporterNearest(4, 8, false, false));
        CollectionAssert.AreEqual(new[] { 0, 0, 1, 1, 1, 2, 2 }, TfliteImporterNearest(3, 7, true, false));
        CollectionAssert.AreEqual(new[] { 0, 0, 1, 2, 2, 3, 3, 4, 4, 5, 6, 6 }, TfliteImporterNearest(7, 12, false, true)); // (i + ½)·7/12, floored
    }

    private static int[] TfliteImporterNearest(int inSize, int outSize, bool align, bool half)
        => (int[])typeof(TfliteImporter).GetMethod("NearestTable", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .Invoke(null, new object[] { inSize, outSize, align, half })!;

    [TestMethod]
    public void GroupedConv2DRunsNativelyAndMatchesTflm()
    {
        foreach (var (groups, stride, dilation, padding) in new[] { (2, 1, 1, TflitePadding.Same), (4, 2, 1, TflitePadding.Same), (2, 1, 2, TflitePadding.Valid) })
        {
            var b = new TfliteBuilder();
            var rng = new Random(groups * 10 + stride);
            int cin = 8, cout = 12, fd = cin / groups;
            int x = b.Int8("x", new[] { 1, 7, 6, cin }, 0.04f, -5);
            int w = b.Int8ConstPerChannel("w", new[] { cout, 3, 3, fd }, Enumerable.Range(0, cout).Select(i => 0.005f + 0.0007f * i).ToArray(), 0,
                RandomInt8(rng, cout * 9 * fd, -127));
            int bias = b.Int32Const("b", Enumerable.Range(0, cout).Select(_ => rng.Next(-3000, 3000)).ToArray());
            int ho = padding == TflitePadding.Same ? (7 + stride - 1) / stride : (7 - 2 * dilation) / stride;
            int wo = padding == TflitePadding.Same ? (6 + stride - 1) / stride : (6 - 2 * dilation) / stride;
            int y = b.Int8("y", new[] { 1, ho, wo, cout }, 0.06f, 4);
            b.Op(Op.Conv2D, new[] { x, w, bias }, new[] { y }, OptConv2D, TfliteBuilder.Options((Conv2DPadding, (byte)padding), (Conv2DStrideW, stride),
                (Conv2DStrideH, stride), (Conv2DActivation, (byte)TfliteActivation.Relu), (Conv2DDilationW, dilation), (Conv2DDilationH, dilation)));
            b.Inputs = new[] { x };
            b.Outputs = new[] { y };
            var g = RunAgainstReference(b.Build(), 6);
            var conv = (QConv)g.Ops.Single();
            Assert.AreEqual(OpCodes.GroupedConv, conv.OpCode);
            Assert.AreEqual(groups, conv.Groups);
            Assert.AreEqual(cout * 9 * fd, conv.Weights.Length, "the group's weights only, no block-diagonal zeros");
        }
    }

    [TestMethod]
    public void TransposeMatchesTflm()
    {
        foreach (var (xs, perm) in new[] { (new[] { 1, 3, 4, 5 }, new[] { 0, 3, 1, 2 }), (new[] { 2, 3, 4 }, new[] { 2, 0, 1 }), (new[] { 6, 5 }, new[] { 1, 0 }),
                     (new[] { 2, 3, 2, 4 }, new[] { 3, 2, 1, 0 }) })
        {
            byte[] file = OneOp(Op.Transpose, xs, perm.Select(p => xs[p]).ToArray(), b => new[] { b.Int32Const("perm", perm) }, OptTranspose, new FbWriter.Table());
            Assert.AreEqual(OpCodes.Transpose, RunAgainstReference(file, 3).Ops.Single().OpCode);
        }
    }

    [TestMethod]
    public void StridedSliceWithMasksNegativeIndicesAndShrinkMatchesTflm()
    {
        // Axis 0 shrunk; axis 1 from 1 to −1 by 2 (1, 3); axis 2 from −7 to 8 by 3 (1, 4, 7); axis 3 0..3.
        byte[] shrink = OneOp(Op.StridedSlice, new[] { 1, 6, 8, 4 }, new[] { 2, 3, 3 }, b => new[]
            {
                b.Int32Const("begin", new[] { 0, 1, -7, 0 }), b.Int32Const("end", new[] { 1, -1, 8, 3 }), b.Int32Const("strides", new[] { 1, 2, 3, 1 }),
            }, OptStridedSlice, TfliteBuilder.Options((StridedSliceShrinkAxisMask, 1)));
        var g = RunAgainstReference(shrink, 4);
        CollectionAssert.AreEqual(new[] { OpCodes.StridedSlice, OpCodes.Reshape }, g.Ops.Select(o => o.OpCode).ToArray());
        // begin_mask on axis 2 (from 0), end_mask on axis 1 (to the end), a stride larger than the axis on axis 3.
        byte[] masks = OneOp(Op.StridedSlice, new[] { 1, 6, 8, 4 }, new[] { 1, 4, 4, 1 }, b => new[]
            {
                b.Int32Const("begin", new[] { 0, 2, 5, 1 }), b.Int32Const("end", new[] { 1, 3, 7, 4 }), b.Int32Const("strides", new[] { 1, 1, 2, 9 }),
            }, OptStridedSlice, TfliteBuilder.Options((StridedSliceBeginMask, 4), (StridedSliceEndMask, 2)));
        RunAgainstReference(masks, 4);
    }

    [TestMethod]
    public void SliceMatchesTflm()
    {
        byte[] file = OneOp(Op.Slice, new[] { 1, 5, 6, 3 }, new[] { 1, 4, 3, 2 }, b => new[]
            { b.Int32Const("begin", new[] { 0, 1, 2, 0 }), b.Int32Const("size", new[] { 1, -1, 3, 2 }) }, OptSlice, new FbWriter.Table());
        Assert.AreEqual(OpCodes.StridedSlice, RunAgainstReference(file, 4).Ops.Single().OpCode);
    }

    [TestMethod]
    public void UnsupportedVariantsAreRefusedNamingTheOperator()
    {
        byte[] negative = OneOp(Op.StridedSlice, new[] { 1, 6 }, new[] { 1, 3 }, b => new[]
            { b.Int32Const("begin", new[] { 0, 5 }), b.Int32Const("end", new[] { 1, 0 }), b.Int32Const("strides", new[] { 1, -2 }) }, OptStridedSlice, new FbWriter.Table());
        var e = Assert.ThrowsExactly<TfliteImportException>(() => TfliteImporter.Import(negative));
        StringAssert.Contains(e.Message, "STRIDED_SLICE");
        StringAssert.Contains(e.Message, "positive strides");
        byte[] ellipsis = OneOp(Op.StridedSlice, new[] { 1, 6 }, new[] { 1, 3 }, b => new[]
            { b.Int32Const("begin", new[] { 0, 0 }), b.Int32Const("end", new[] { 1, 3 }), b.Int32Const("strides", new[] { 1, 1 }) }, OptStridedSlice,
            TfliteBuilder.Options((StridedSliceEllipsisMask, 1)));
        StringAssert.Contains(Assert.ThrowsExactly<TfliteImportException>(() => TfliteImporter.Import(ellipsis)).Message, "ellipsis_mask");
        byte[] wrongSize = OneOp(Op.ResizeNearestNeighbor, new[] { 1, 2, 2, 1 }, new[] { 1, 4, 4, 1 }, b => new[] { b.Int32Const("size", new[] { 4, 5 }) },
            OptResizeNearestNeighbor, new FbWriter.Table());
        StringAssert.Contains(Assert.ThrowsExactly<TfliteImportException>(() => TfliteImporter.Import(wrongSize)).Message, "RESIZE_NEAREST_NEIGHBOR");
    }
}
