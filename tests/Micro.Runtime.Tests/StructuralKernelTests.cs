using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Runtime.Tests.Reference;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;
using static Micro.Runtime.Tests.Reference.ReferenceElementwise;

namespace Micro.Runtime.Tests;

/// <summary>
/// RESIZE_NEAREST, GROUPED_CONV, STRIDED_SLICE, TRANSPOSE and LAYER_NORM through real blobs: hand-computed
/// cases, random shapes against references written here from each op's definition (multi-index loops,
/// exact rounding from ReferenceRounding), load refusals, and mutated blobs that must be refused or run safely.
/// </summary>
[TestClass]
public class StructuralKernelTests
{
    private static QGraph TableOp(int code, int[] prms, (int, int[])[] tables, QTensor x, QTensor y)
    {
        var g = new QGraph { Name = "one-op", Version = "test" };
        g.Tensors.Add(x);
        g.Tensors.Add(y);
        g.Inputs.Add(x);
        g.Outputs.Add(y);
        var op = new QTableOp(code, prms) { Name = OpCodes.Name(code), Output = y };
        op.Tables.AddRange(tables);
        op.Inputs.Add(x);
        g.Add(op);
        return g;
    }

    private static QGraph Resize(int[] xs, int[] ys, int[] rows, int[] cols, int dtype = DType.Int8, int yZero = 2) =>
        TableOp(OpCodes.ResizeNearest, ResizeNearest.Encode(0, 0), new[] { (ResizeNearest.PRows, rows), (ResizeNearest.PCols, cols) },
            new QTensor("x", xs, 0.1f, dtype == DType.Int16 ? 0 : 2, dtype), new QTensor("y", ys, 0.1f, dtype == DType.Int16 ? 0 : yZero, dtype));

    [TestMethod]
    public void ResizeNearestCopiesByTheTables()
    {
        // [1,2,2,2] ×2 with floor tables (nn.Upsample): each pixel becomes a 2×2 block.
        int[] x = { 1, -1, 2, -2, 3, -3, 4, -4 };
        int[] got = RunBlob(Resize(new[] { 1, 2, 2, 2 }, new[] { 1, 4, 4, 2 }, new[] { 0, 0, 1, 1 }, new[] { 0, 0, 1, 1 }), x)[0];
        CollectionAssert.AreEqual(new[]
        {
            1, -1, 1, -1, 2, -2, 2, -2,   1, -1, 1, -1, 2, -2, 2, -2,
            3, -3, 3, -3, 4, -4, 4, -4,   3, -3, 3, -3, 4, -4, 4, -4,
        }, got);
        // Rank 3 NWC, int16, a downsampling table with repeats and one channel: y[ox] = x[cols[ox]].
        int[] x16 = { 1000, -2000, 3000, -32768, 32767 };
        int[] got16 = RunBlob(Resize(new[] { 1, 5, 1 }, new[] { 1, 3, 1 }, new[] { 0 }, new[] { 4, 0, 3 }, DType.Int16), x16)[0];
        CollectionAssert.AreEqual(new[] { 32767, 1000, -32768 }, got16);
    }

    [TestMethod]
    public void ResizeNearestRandomTablesMatchTheDefinition()
    {
        var rng = new Random(25);
        for (int k = 0; k < 60; k++)
        {
            int n = rng.Next(1, 3), h = rng.Next(1, 6), w = rng.Next(1, 6), c = rng.Next(1, 5), ho = rng.Next(1, 9), wo = rng.Next(1, 9);
            int dtype = k % 3 == 0 ? DType.Int16 : DType.Int8;
            int[] rows = Enumerable.Range(0, ho).Select(_ => rng.Next(h)).ToArray(), cols = Enumerable.Range(0, wo).Select(_ => rng.Next(w)).ToArray();
            int[] x = RandomValues(rng, n * h * w * c, dtype);
            int[] got = RunBlob(Resize(new[] { n, h, w, c }, new[] { n, ho, wo, c }, rows, cols, dtype), x)[0];
            var want = new List<int>();
            for (int b = 0; b < n; b++) foreach (int r in rows) foreach (int cc in cols) for (int ch = 0; ch < c; ch++) want.Add(x[((b * h + r) * w + cc) * c + ch]);
            CollectionAssert.AreEqual(want, got, $"case {k}");
        }
    }

    [TestMethod]
    public void ResizeNearestLoadRefusals()
    {
        int Code(QGraph g) => Assert.ThrowsExactly<BlobFormatException>(() => Model.Load(BlobEmitter.Emit(g))).Code;
        Assert.AreEqual(ErrorCodes.BadConstant, Code(Resize(new[] { 1, 2, 2, 1 }, new[] { 1, 2, 2, 1 }, new[] { 0, 2 }, new[] { 0, 1 })));
        Assert.AreEqual(ErrorCodes.BadConstant, Code(Resize(new[] { 1, 2, 2, 1 }, new[] { 1, 2, 2, 1 }, new[] { 0, 1 }, new[] { -1, 1 })));
        Assert.AreEqual(ErrorCodes.BadOpParams, Code(Resize(new[] { 1, 2, 2, 1 }, new[] { 1, 2, 2, 1 }, new[] { 0, 1 }, new[] { 0, 1 }, yZero: 3)));
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Code(Resize(new[] { 1, 2, 2, 1 }, new[] { 1, 2, 2, 2 }, new[] { 0, 1 }, new[] { 0, 1 })));
        var (loaded, refused) = FuzzParamsAndShapes(Resize(new[] { 1, 3, 4, 2 }, new[] { 1, 6, 8, 2 }, new[] { 0, 0, 1, 1, 2, 2 }, new[] { 0, 0, 1, 1, 2, 2, 3, 3 }), 225, 800);
        Assert.IsTrue(loaded >= 10 && refused >= 100, $"{loaded} loaded and ran, {refused} refused");
    }

    [TestMethod]
    public void StridedSliceAndTransposeMatchTheDefinitions()
    {
        var rng = new Random(27);
        for (int k = 0; k < 150; k++)
        {
            int rank = rng.Next(1, 5);
            int dtype = k % 4 == 0 ? DType.Int16 : DType.Int8;
            int zp = dtype == DType.Int16 ? 0 : rng.Next(-128, 128);
            int[] xd = Enumerable.Range(0, rank).Select(_ => rng.Next(1, 7)).ToArray();
            int[] x = RandomValues(rng, xd.Aggregate(1, (p, v) => p * v), dtype);
            int[] xstr = new int[rank];
            for (int d = rank - 1, s = 1; d >= 0; d--) { xstr[d] = s; s *= xd[d]; }
            // Slice: begin, stride, count per dim.
            int[] begin = xd.Select(v => rng.Next(v)).ToArray();
            int[] stride = xd.Select(_ => rng.Next(1, 4)).ToArray();
            int[] yd = xd.Select((v, d) => 1 + rng.Next((v - 1 - begin[d]) / stride[d] + 1)).ToArray();
            int[] got = RunBlob(OneOp(OpCodes.StridedSlice, StridedSlice.Encode(begin, stride), new[] { new QTensor("x", xd, 0.1f, zp, dtype) },
                new QTensor("y", yd, 0.1f, zp, dtype)), x)[0];
            CollectionAssert.AreEqual(Gather(yd, idx => Enumerable.Range(0, rank).Sum(d => (begin[d] + stride[d] * idx[d]) * xstr[d]), x), got, $"slice {k}");
            // Transpose by a random permutation.
            int[] perm = Enumerable.Range(0, rank).OrderBy(_ => rng.Next()).ToArray();
            int[] td = perm.Select(p => xd[p]).ToArray();
            int[] gotT = RunBlob(OneOp(OpCodes.Transpose, Transpose.Encode(perm), new[] { new QTensor("x", xd, 0.1f, zp, dtype) },
                new QTensor("y", td, 0.1f, zp, dtype)), x)[0];
            CollectionAssert.AreEqual(Gather(td, idx => Enumerable.Range(0, rank).Sum(d => idx[d] * xstr[perm[d]]), x), gotT, $"transpose {k} [{string.Join(",", perm)}]");
        }
    }

    /// <summary>y in row-major order over <paramref name="dims"/>, element = x[source(multi-index)].</summary>
    private static int[] Gather(int[] dims, Func<int[], int> source, int[] x)
    {
        var y = new int[dims.Aggregate(1, (p, v) => p * v)];
        var idx = new int[dims.Length];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = x[source(idx)];
            for (int d = dims.Length - 1; d >= 0; d--) { if (++idx[d] < dims[d]) break; idx[d] = 0; }
        }
        return y;
    }

    [TestMethod]
    public void StridedSliceAndTransposeLoadRefusals()
    {
        int Code(int code, int[] p, int[] xs, int[] ys) => Assert.ThrowsExactly<BlobFormatException>(() => Model.Load(BlobEmitter.Emit(
            OneOp(code, p, new[] { new QTensor("x", xs, 0.1f, 0) }, new QTensor("y", ys, 0.1f, 0))))).Code;
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Code(OpCodes.StridedSlice, new[] { 1, 2, 0, 1 }, new[] { 4, 3 }, new[] { 3, 3 }));
        Assert.AreEqual(ErrorCodes.BadOpParams, Code(OpCodes.StridedSlice, new[] { 0, 0, 0, 1 }, new[] { 4, 3 }, new[] { 2, 3 }));
        Assert.AreEqual(ErrorCodes.BadOpParams, Code(OpCodes.Transpose, new[] { 0, 0 }, new[] { 4, 4 }, new[] { 4, 4 }));
        Assert.AreEqual(ErrorCodes.ShapeMismatch, Code(OpCodes.Transpose, new[] { 1, 0 }, new[] { 4, 3 }, new[] { 4, 3 }));
        var (l1, r1) = FuzzParamsAndShapes(OneOp(OpCodes.StridedSlice, StridedSlice.Encode(new[] { 0, 1, 0, 2 }, new[] { 1, 2, 3, 1 }),
            new[] { new QTensor("x", new[] { 1, 6, 7, 5 }, 0.1f, 4) }, new QTensor("y", new[] { 1, 3, 3, 3 }, 0.1f, 4)), 227, 800);
        var (l2, r2) = FuzzParamsAndShapes(OneOp(OpCodes.Transpose, Transpose.Encode(new[] { 0, 3, 1, 2 }),
            new[] { new QTensor("x", new[] { 1, 4, 5, 3 }, 0.1f, 4) }, new QTensor("y", new[] { 1, 3, 4, 5 }, 0.1f, 4)), 228, 800);
        Assert.IsTrue(l1 >= 10 && r1 >= 100 && l2 >= 10 && r2 >= 100, $"slice {l1}/{r1}, transpose {l2}/{r2} loaded/refused");
    }

    internal static QGraph GroupedConvGraph(Random rng, int[] xs, int cout, int kh, int kw, int s, int dil, int pad, int groups, int dtype)
    {
        bool is1D = xs.Length == 3;
        int h = is1D ? 1 : xs[1], w = xs[^2], cin = xs[^1];
        int ho = (h + 2 * (is1D ? 0 : pad) - (dil * (kh - 1) + 1)) / (is1D ? 1 : s) + 1, wo = (w + 2 * pad - (dil * (kw - 1) + 1)) / s + 1;
        bool int16 = dtype == DType.Int16;
        var x = new QTensor("x", xs, 0.05f, int16 ? 0 : rng.Next(-20, 20), dtype);
        var y = new QTensor("y", is1D ? new[] { xs[0], wo, cout } : new[] { xs[0], ho, wo, cout }, 0.07f, int16 ? 0 : rng.Next(-20, 20), dtype);
        int per = kh * kw * (cin / groups);
        var op = new QConv
        {
            Is1D = is1D,
            KernelH = kh,
            KernelW = kw,
            StrideH = is1D ? 1 : s,
            StrideW = s,
            DilationH = is1D ? 1 : dil,
            DilationW = dil,
            PadTop = is1D ? 0 : pad,
            PadLeft = pad,
            Groups = groups,
            Name = "gconv",
            Weights = Enumerable.Range(0, cout * per).Select(_ => (sbyte)rng.Next(-127, 128)).ToArray(),
            Multipliers = Enumerable.Range(0, cout).Select(_ => rng.Next(1 << 30, int.MaxValue)).ToArray(),
            Shifts = Enumerable.Range(0, cout).Select(_ => -rng.Next(6, 10)).ToArray(),
            FoldInputZeroPoint = rng.Next(2) == 0,
        };
        if (int16) op.Bias64 = Enumerable.Range(0, cout).Select(_ => (long)rng.Next(-50000, 50000)).ToArray();
        else op.Bias = Enumerable.Range(0, cout).Select(_ => rng.Next(-5000, 5000)).ToArray();
        (op.ActMin, op.ActMax) = int16 ? (-32768, 32767) : (-128, 127);
        var g = new QGraph { Name = "gconv", Version = "test" };
        g.Tensors.Add(x);
        g.Tensors.Add(y);
        g.Inputs.Add(x);
        g.Outputs.Add(y);
        op.Inputs.Add(x);
        op.Output = y;
        g.Add(op);
        return g;
    }

    /// <summary>A random grouped convolution of case k: 1-D every fourth case, 16×8 every third, input width in [wLo, wHi).</summary>
    internal static GroupedConvCase RandomGroupedConv(Random rng, int k, int wLo, int wHi)
    {
        int groups = rng.Next(2, 4), cg = rng.Next(1, 4), og = rng.Next(1, 4);
        bool is1D = k % 4 == 3;
        int dtype = k % 3 == 2 ? DType.Int16 : DType.Int8;
        int kh = is1D ? 1 : rng.Next(1, 4), kw = rng.Next(1, 4), s = rng.Next(1, 3), dil = rng.Next(1, 3);
        int pad = rng.Next(0, Math.Min(kh, kw));
        int h = rng.Next(5, 8), w = rng.Next(wLo, wHi);
        int[] xs = is1D ? new[] { 1, w, groups * cg } : new[] { 1, h, w, groups * cg };
        var g = GroupedConvGraph(rng, xs, groups * og, kh, kw, s, dil, pad, groups, dtype);
        return new GroupedConvCase(groups, cg, og, is1D, dtype, kh, kw, s, dil, pad, h, w, g);
    }

    internal sealed record GroupedConvCase(int Groups, int Cg, int Og, bool Is1D, int ElementType, int Kh, int Kw, int S, int Dil, int Pad, int H, int W, QGraph Graph);

    [TestMethod]
    public void GroupedConvMatchesTheDefinitionInInt8AndInt16()
    {
        var rng = new Random(26);
        for (int k = 0; k < 50; k++)
        {
            // w ≥ the largest effective kernel, 2·(3 − 1) + 1
            var (groups, cg, og, is1D, dtype, kh, kw, s, dil, pad, h, w, g) = RandomGroupedConv(rng, k, 5, 9);
            var op = (QConv)g.Ops[0];
            QTensor xt = g.Inputs[0], yt = g.Outputs[0];
            int[] x = RandomValues(rng, xt.ElementCount, dtype);
            int[] got = RunBlob(g, x)[0];
            // The definition: every tap inside the input, (x − x_zp)·w over the group's channels, true bias.
            int cin = groups * cg, cout = groups * og, ho = is1D ? 1 : yt.Shape[1], wo = yt.Shape[^2], hh = is1D ? 1 : h;
            int sh = is1D ? 1 : s, dh = is1D ? 1 : dil, pt = is1D ? 0 : pad;
            var want = new int[got.Length];
            for (int oy = 0; oy < ho; oy++)
                for (int ox = 0; ox < wo; ox++)
                    for (int oc = 0; oc < cout; oc++)
                    {
                        long acc = dtype == DType.Int16 ? op.Bias64![oc] : op.Bias![oc];
                        int grp = oc / og;
                        for (int ky = 0; ky < kh; ky++)
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int iy = oy * sh - pt + dh * ky, ix = ox * s - pad + dil * kx;
                                if (iy < 0 || iy >= hh || ix < 0 || ix >= w) continue;
                                for (int i = 0; i < cg; i++)
                                    acc += (long)(x[(iy * w + ix) * cin + grp * cg + i] - xt.ZeroPoint) * op.Weights[((oc * kh + ky) * kw + kx) * cg + i];
                            }
                        int v = dtype == DType.Int16 ? ReferenceRounding.Mbqm64(acc, op.Multipliers[oc], op.Shifts[oc])
                            : yt.ZeroPoint + ReferenceRounding.Mbqm((int)acc, op.Multipliers[oc], op.Shifts[oc]);
                        want[(oy * wo + ox) * cout + oc] = ReferenceRounding.Clamp(v, op.ActMin, op.ActMax);
                    }
            CollectionAssert.AreEqual(want, got, $"case {k}: groups {groups}, {(is1D ? "1D" : "2D")}, {DType.Name(dtype)}, k {kh}x{kw} s {s} d {dil} p {pad}");
        }
    }

    [TestMethod]
    public void GroupedConvRefusesMismatchedGroupsAndSurvivesMutations()
    {
        var g = GroupedConvGraph(new Random(3), new[] { 1, 5, 6, 6 }, 9, 3, 3, 1, 1, 1, 3, DType.Int8);
        var model = Model.Load(BlobEmitter.Emit(g));
        Assert.AreEqual(5L * 6 * 9 * 3 * 3 * 2, model.MainMacs, "MACs count the group's channels only");
        ((QConv)g.Ops[0]).Groups = 4; // 4 does not divide 6 channels (the weights no longer fit either)
        Assert.ThrowsExactly<BlobFormatException>(() => Model.Load(BlobEmitter.Emit(g)));
        var (loaded, refused) = FuzzParamsAndShapes(GroupedConvGraph(new Random(4), new[] { 1, 5, 6, 6 }, 9, 3, 3, 1, 1, 1, 3, DType.Int8), 226, 800);
        Assert.IsTrue(loaded >= 10 && refused >= 100, $"{loaded} loaded and ran, {refused} refused");
    }

    private static QGraph LayerNormGraph(int[] shape, float xScale, int xZero, float yScale, int yZero, float[] gamma, float[] beta, float eps)
    {
        var x = new QTensor("x", shape, xScale, xZero);
        var y = new QTensor("y", shape, yScale, yZero);
        int c = gamma.Length;
        double sg = gamma.Max(v => Math.Abs((double)v)) / 32767;
        int[] g = gamma.Select(v => (int)Math.Round(v / sg)).ToArray();
        int[] b = beta.Select(v => (int)Math.Round(v / (sg / 4096))).ToArray();
        var (m, s) = Micro.Tooling.Onnx.QuantMath.QuantizeMultiplier(sg / 4096 / yScale);
        int epsTerm = (int)Math.Round((double)c * c * eps / ((double)xScale * xScale));
        return TableOp(OpCodes.LayerNorm, LayerNorm.Encode(0, 0, epsTerm, m, s, -128, 127), new[] { (LayerNorm.PGamma, g), (LayerNorm.PBeta, b) }, x, y);
    }

    [TestMethod]
    public void LayerNormIsWithinOneStepOfTheExactResultOnItsInput()
    {
        // The kernel against float LayerNorm of the dequantized int8 input, rounded into the output's int8:
        // integer-only arithmetic (Q12 normalized values, int16 gamma) may differ by one step, never more.
        var rng = new Random(29);
        int off = 0, total = 0;
        for (int k = 0; k < 40; k++)
        {
            int c = new[] { 2, 8, 24, 64, 300 }[k % 5], rows = rng.Next(1, 5);
            float xs = 0.01f + (float)rng.NextDouble() * 0.1f, ys = 4f / 128 * (0.5f + (float)rng.NextDouble());
            int xz = rng.Next(-30, 30), yz = rng.Next(-10, 10);
            float[] gamma = Enumerable.Range(0, c).Select(_ => (float)(rng.NextDouble() * 1.5 - 0.3)).ToArray();
            float[] beta = Enumerable.Range(0, c).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
            float eps = k % 2 == 0 ? 1e-5f : 1e-3f;
            int spread = rng.Next(1, 128);
            int[] x = Enumerable.Range(0, rows * c).Select(_ => Math.Clamp(xz + rng.Next(-spread, spread + 1), -128, 127)).ToArray();
            int[] got = RunBlob(LayerNormGraph(new[] { rows, c }, xs, xz, ys, yz, gamma, beta, eps), x)[0];
            for (int r = 0; r < rows; r++)
            {
                double mean = 0, var = 0;
                for (int i = 0; i < c; i++) mean += xs * (x[r * c + i] - xz);
                mean /= c;
                for (int i = 0; i < c; i++) var += Math.Pow(xs * (x[r * c + i] - xz) - mean, 2);
                double inv = 1 / Math.Sqrt(var / c + eps);
                for (int i = 0; i < c; i++)
                {
                    double yv = (xs * (x[r * c + i] - xz) - mean) * inv * gamma[i] + beta[i];
                    int want = (int)Math.Clamp(Math.Round(yv / ys) + yz, -128, 127);
                    int d = Math.Abs(want - got[r * c + i]);
                    Assert.IsLessThanOrEqualTo(1, d, $"case {k}, row {r}, element {i}: {got[r * c + i]} vs exact {want} ({yv / ys + yz:F3})");
                    off += d;
                    total++;
                }
            }
        }
        Assert.IsLessThan(0.05, off / (double)total, $"{off} of {total} elements one step off");
    }

    [TestMethod]
    public void IsqrtIsTheFloorOfTheSquareRoot()
    {
        var rng = new Random(30);
        foreach (long v in new long[] { 0, 1, 2, 3, 4, 15, 16, 17, (1L << 62) - 1 }.Concat(Enumerable.Range(0, 2000).Select(_ => rng.NextInt64(0, 1L << 62))))
        {
            long r = LayerNorm.Isqrt(v);
            Assert.IsTrue(r * r <= v && (r + 1) * (r + 1) > v, $"isqrt({v}) = {r}");
        }
    }

    [TestMethod]
    public void LayerNormRefusalsAndMutations()
    {
        var g = LayerNormGraph(new[] { 3, 16 }, 0.05f, 3, 0.03f, -2, Enumerable.Repeat(1f, 16).ToArray(), new float[16], 1e-5f);
        var (loaded, refused) = FuzzParamsAndShapes(g, 229, 800);
        Assert.IsTrue(loaded >= 10 && refused >= 100, $"{loaded} loaded and ran, {refused} refused");
        ((QTableOp)g.Ops[0]).Tables[0] = (LayerNorm.PGamma, Enumerable.Repeat(40000, 16).ToArray());
        Assert.AreEqual(ErrorCodes.BadConstant, Assert.ThrowsExactly<BlobFormatException>(() => Model.Load(BlobEmitter.Emit(g))).Code);
    }
}
