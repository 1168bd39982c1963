using Micro.Runtime.Kernels;
using Micro.Runtime.Tests.Reference;

namespace Micro.Runtime.Tests;

[TestClass]
public class ConvGeometryTests
{
    // TFLite's padding arithmetic (tensorflow/lite/kernels/padding.h), restated.
    private static int SameOut(int n, int s) => (n + s - 1) / s;
    private static int ValidOut(int n, int ek, int s) => (n - ek + s) / s;

    [TestMethod]
    public void AcceptsTfliteSameValidAndCausal()
    {
        for (int n = 1; n <= 20; n++)
            for (int k = 1; k <= 6; k++)
                for (int s = 1; s <= 4; s++)
                    for (int d = 1; d <= 3; d++)
                    {
                        int ek = d * (k - 1) + 1;
                        // SAME: o = ceil(n/s), total = max((o−1)·s + ek − n, 0), pad_top = total / 2.
                        int o = SameOut(n, s);
                        int total = Math.Max((o - 1) * s + ek - n, 0);
                        Assert.IsNull(ConvGeometry.AxisError("h", n, k, s, d, total / 2, o), $"SAME n{n} k{k} s{s} d{d}");
                        if (n >= ek)
                            Assert.IsNull(ConvGeometry.AxisError("h", n, k, s, d, 0, ValidOut(n, ek, s)), $"VALID n{n} k{k} s{s} d{d}");
                        // Causal (Keras padding='causal' = PAD(ek − 1, 0) + VALID).
                        Assert.IsNull(ConvGeometry.AxisError("h", n, k, s, d, ek - 1, (n - 1) / s + 1), $"causal n{n} k{k} s{s} d{d}");
                    }
    }

    [TestMethod]
    public void AcceptsExactlyTheSizesOfSomeEndPaddingBelowTheEffectiveKernel()
    {
        for (int n = 1; n <= 12; n++)
            for (int k = 1; k <= 5; k++)
                for (int s = 1; s <= 3; s++)
                    for (int d = 1; d <= 2; d++)
                    {
                        int ek = d * (k - 1) + 1;
                        for (int pad = 0; pad < ek + 2; pad++)
                        {
                            var allowed = new HashSet<int>();
                            if (pad < ek)
                                for (int padEnd = 0; padEnd < ek; padEnd++)
                                    if (n + pad + padEnd >= ek) allowed.Add((n + pad + padEnd - ek) / s + 1);
                            for (int o = 1; o <= 2 * n + 4; o++)
                            {
                                string e = ConvGeometry.AxisError("width", n, k, s, d, pad, o);
                                Assert.AreEqual(allowed.Contains(o), e == null, $"n{n} k{k} s{s} d{d} pad{pad} o{o}: {e}");
                            }
                        }
                    }
    }

    [TestMethod]
    public void RefusesOversizedEffectiveKernelWithAMessage()
    {
        string e = ConvGeometry.AxisError("height", 10, 3, 1, 40000, 0, 1);
        Assert.IsNotNull(e);
        StringAssert.Contains(e, "effective kernel");
        e = ConvGeometry.AxisError("height", 10, 3, 1, 1, 1, 12);
        StringAssert.Contains(e, "output size 12");
    }

    [TestMethod]
    public void InteriorRangesAndTapRangesMatchBruteForce()
    {
        for (int n = 1; n <= 10; n++)
            for (int k = 1; k <= 5; k++)
                for (int s = 1; s <= 3; s++)
                    for (int d = 1; d <= 2; d++)
                    {
                        int ek = d * (k - 1) + 1;
                        for (int pad = 0; pad < ek; pad++)
                            for (int padEnd = 0; padEnd < ek; padEnd++)
                            {
                                if (n + pad + padEnd < ek) continue;
                                int o = (n + pad + padEnd - ek) / s + 1;
                                int lo = ConvGeometry.InteriorLo(pad, s, o), hi = ConvGeometry.InteriorHi(n, k, s, d, pad, o);
                                Assert.IsTrue(lo <= hi && hi <= o);
                                for (int i = 0; i < o; i++)
                                {
                                    int start = i * s - pad;
                                    bool inside = true;
                                    int first = -1, end = 0;
                                    for (int t = 0; t < k; t++)
                                    {
                                        int p = start + d * t;
                                        bool tIn = p >= 0 && p < n;
                                        if (!tIn) inside = false;
                                        if (tIn && first < 0) first = t;
                                        if (tIn) end = t + 1;
                                    }
                                    string where = $"n{n} k{k} s{s} d{d} pad{pad} o{o} i{i}";
                                    Assert.AreEqual(inside, i >= lo && i < hi, where);
                                    int f = ConvGeometry.FirstTap(start, d), e = ConvGeometry.EndTap(start, d, n, k);
                                    if (first < 0) Assert.IsTrue(f >= e, where); // no tap inside: empty range
                                    else
                                    {
                                        Assert.AreEqual(first, f, where);
                                        Assert.AreEqual(end, e, where);
                                    }
                                }
                            }
                    }
    }

    [TestMethod]
    public void SplitBiasGivesFoldedAndTrueBiasFromEitherStoredForm()
    {
        // Two output channels of 3 taps at offset 2 of a junk-prefixed array: Σw = 6 and −4.
        byte[] w = { 99, 98, 1, 2, 3, unchecked((byte)-1), unchecked((byte)-2), unchecked((byte)-1) };
        int[] bIn = new int[2], bBorder = new int[2];
        ConvGeometry.SplitBias(new[] { 100, -7 }, false, 5, w, 2, 2, 3, 3, 1, bIn, bBorder);
        CollectionAssert.AreEqual(new[] { 100 - 5 * 6, -7 + 5 * 4 }, bIn);
        CollectionAssert.AreEqual(new[] { 100, -7 }, bBorder);
        ConvGeometry.SplitBias(new[] { 70, 13 }, true, 5, w, 2, 2, 3, 3, 1, bIn, bBorder);
        CollectionAssert.AreEqual(new[] { 70, 13 }, bIn);
        CollectionAssert.AreEqual(new[] { 100, -7 }, bBorder);
        // Depthwise layout [taps][channels]: channel 0 = w[2], w[4], w[6] = 1 + 3 − 2 = 2.
        ConvGeometry.SplitBias(new[] { 0, 0 }, false, -3, w, 2, 2, 3, 1, 2, bIn, bBorder);
        CollectionAssert.AreEqual(new[] { 6, 3 * (2 - 1 - 1) }, bIn);
    }
}

/// <summary>
/// Runs a ConvCase through the runtime's public kernel functions over plain arrays, the way Eval would
/// after Prepare: weights at an offset inside junk bytes, input and output at offsets of a junk-filled
/// arena. Fails if the kernel writes any arena byte outside its output.
/// </summary>
internal static class ConvKernels
{
    /// <summary>
    /// packed: CONV_1D/CONV_2D with the three-positions-per-long path enabled the way Prepare does it
    /// (ConvLanes.ChooseChunk on these weights, a junk-filled window); false: the plain loop only.
    /// lanesUsed tells whether the packed path could run (chunk ≠ 0 and a row with 3 interior positions).
    /// </summary>
    public static sbyte[] RunInt8(ConvCase c, Random rng) => RunInt8(c, rng, false, out _);

    public static sbyte[] RunInt8(ConvCase c, Random rng, bool packed, out bool lanesUsed)
    {
        byte[] blob = WeightsBlob(c, rng, out int wOff);
        int[] bIn = new int[c.Cout], bBorder = new int[c.Cout];
        if (c.Depthwise) ConvGeometry.SplitBias(c.StoredBias(), c.Folded, c.XZp, blob, wOff, c.Cout, c.Kh * c.Kw, 1, c.Cout, bIn, bBorder);
        else ConvGeometry.SplitBias(c.StoredBias(), c.Folded, c.XZp, blob, wOff, c.Cout, c.Taps, c.Taps, 1, bIn, bBorder);
        ConvData g = Geometry(c);
        g.WeightsOffset = wOff;
        g.BiasInterior = bIn;
        g.BiasBorder = bBorder;
        g.Multiplier = c.Mult;
        g.Shift = c.Shift;
        g.XZero = c.XZp;
        g.YZero = c.YZp;
        g.ActMin = c.ActMin;
        g.ActMax = c.ActMax;
        lanesUsed = false;
        bool slide3x3 = c.Kh == 3 && c.Kw == 3 && c.Dw == 1 && c.Dm == 1 && c.Sw <= 2;
        if (packed && (!c.Depthwise || c.Cin == 1 && !slide3x3 && !c.Is1D))
        {
            g.LaneChunk = c.Depthwise
                ? ConvLanes.ChooseChunk(blob, wOff, c.Cout, c.Taps, 1, c.Cout)
                : ConvLanes.ChooseChunk(blob, wOff, c.Cout, c.Taps, c.Taps, 1);
            g.Lanes = new LaneWindow { Values = new long[c.Taps + rng.Next(0, 4)] };
            for (int i = 0; i < g.Lanes.Values.Length; i++) g.Lanes.Values[i] = rng.NextInt64();
            lanesUsed = g.LaneChunk != 0 && g.OutW >= 3;
        }
        else if (packed && c.Depthwise && c.Is1D)
        {
            // DEPTHWISE_CONV_1D's packed positions, as its Prepare enables them (one chunk per channel row).
            g.LaneChunk = c.Wo >= 2 && ConvLanes.ChunksFit(blob, wOff, c.Cout, c.Kw, 1, c.Cout, c.Kw) ? c.Kw : 0;
            g.Lanes = new LaneWindow { Values = new long[c.Dw * (c.Kw - 1) + 2 * c.Sw + 1 + rng.Next(0, 4)] };
            for (int i = 0; i < g.Lanes.Values.Length; i++) g.Lanes.Values[i] = rng.NextInt64();
            lanesUsed = g.LaneChunk != 0 && g.InteriorXHi - g.InteriorXLo >= 2;
        }
        int xLen = c.X.Length, yLen = c.N * c.Ho * c.Wo * c.Cout;
        int xOff = rng.Next(0, 8), yOff = xOff + xLen + rng.Next(0, 8);
        var arena = new sbyte[yOff + yLen + rng.Next(1, 8)];
        for (int i = 0; i < arena.Length; i++) arena[i] = (sbyte)rng.Next(-128, 128);
        Array.Copy(c.X, 0, arena, xOff, xLen);
        g.XOffset = xOff;
        g.YOffset = yOff;
        var before = (sbyte[])arena.Clone();
        if (c.Depthwise && c.Is1D) DepthwiseConv1D.EvalInt8(g, blob, arena);
        else if (c.Depthwise) DepthwiseConv2D.EvalInt8(g, blob, arena);
        else if (c.Is1D) Conv1D.EvalInt8(g, blob, arena);
        else Conv2D.EvalInt8(g, blob, arena);
        for (int i = 0; i < arena.Length; i++)
            if ((i < yOff || i >= yOff + yLen) && arena[i] != before[i]) Assert.Fail($"{c}: arena byte {i} outside the output was changed");
        var y = new sbyte[yLen];
        Array.Copy(arena, yOff, y, 0, yLen);
        return y;
    }

    public static short[] RunInt16(ConvCase c, Random rng)
    {
        byte[] blob = WeightsBlob(c, rng, out int wOff);
        ConvData g = Geometry(c);
        g.WeightsOffset = wOff;
        g.Bias64 = c.Bias64;
        g.Multiplier = c.Mult;
        g.Shift = c.Shift;
        g.ActMin = c.ActMin;
        g.ActMax = c.ActMax;
        int xLen = 2 * c.X16.Length, yLen = 2 * c.N * c.Ho * c.Wo * c.Cout;
        int xOff = 2 * rng.Next(0, 4), yOff = xOff + xLen + 2 * rng.Next(0, 4);
        var arena = new sbyte[yOff + yLen + rng.Next(1, 8)];
        for (int i = 0; i < arena.Length; i++) arena[i] = (sbyte)rng.Next(-128, 128);
        for (int i = 0; i < c.X16.Length; i++)
        {
            arena[xOff + 2 * i] = (sbyte)c.X16[i];
            arena[xOff + 2 * i + 1] = (sbyte)(c.X16[i] >> 8);
        }
        g.XOffset = xOff;
        g.YOffset = yOff;
        var before = (sbyte[])arena.Clone();
        if (c.Is1D) Conv1D.EvalInt16(g, blob, arena);
        else Conv2D.EvalInt16(g, blob, arena);
        for (int i = 0; i < arena.Length; i++)
            if ((i < yOff || i >= yOff + yLen) && arena[i] != before[i]) Assert.Fail($"{c}: arena byte {i} outside the output was changed");
        var y = new short[yLen / 2];
        for (int i = 0; i < y.Length; i++) y[i] = (short)((arena[yOff + 2 * i] & 0xFF) | (arena[yOff + 2 * i + 1] << 8));
        return y;
    }

    public static ConvData Geometry(ConvCase c) =>
        ConvData.Geometry(c.N, c.H, c.W, c.Cin, c.Ho, c.Wo, c.Cout, c.Kh, c.Kw, c.Sh, c.Sw, c.Dh, c.Dw, c.PadT, c.PadL, c.Dm);

    private static byte[] WeightsBlob(ConvCase c, Random rng, out int wOff)
    {
        wOff = rng.Next(0, 16);
        var blob = new byte[wOff + c.Wt.Length + rng.Next(0, 16)];
        rng.NextBytes(blob);
        for (int i = 0; i < c.Wt.Length; i++) blob[wOff + i] = (byte)c.Wt[i];
        return blob;
    }

    /// <summary>Fails with the case and the first differing element, if any.</summary>
    public static void AssertSame<T>(T[] expected, T[] actual, ConvCase c) where T : IEquatable<T>
    {
        Assert.AreEqual(expected.Length, actual.Length, c.ToString());
        for (int i = 0; i < expected.Length; i++)
            if (!expected[i].Equals(actual[i]))
                Assert.Fail($"{c}: element {i} is {actual[i]}, reference {expected[i]}");
    }

    /// <summary>Runs `count` random cases of one kernel against the reference; returns the share of unclamped outputs.</summary>
    public static double RandomCases(int seed, int count, bool depthwise, bool is1D, bool int16)
    {
        var rng = new Random(seed);
        long outputs = 0, unclamped = 0;
        int folded = 0, perTensor = 0, padded = 0, packedCases = 0;
        for (int i = 0; i < count; i++)
        {
            ConvCase c = ConvCase.Random(rng, depthwise, is1D, int16);
            Assert.IsNull(ConvGeometry.AxisError("height", c.H, c.Kh, c.Sh, c.Dh, c.PadT, c.Ho), c.ToString());
            Assert.IsNull(ConvGeometry.AxisError("width", c.W, c.Kw, c.Sw, c.Dw, c.PadL, c.Wo), c.ToString());
            int[] expected;
            if (int16)
            {
                short[] r = c.Reference16();
                AssertSame(r, RunInt16(c, rng), c);
                expected = Array.ConvertAll(r, v => (int)v);
            }
            else
            {
                sbyte[] r = c.Reference();
                AssertSame(r, RunInt8(c, rng), c);
                AssertSame(r, RunInt8(c, rng, true, out bool used), c);
                if (used) packedCases++;
                expected = Array.ConvertAll(r, v => (int)v);
            }
            outputs += expected.Length;
            foreach (int v in expected) if (v > c.ActMin && v < c.ActMax) unclamped++;
            if (c.Folded) folded++;
            if (!c.PerChannel) perTensor++;
            if (c.PadT + c.PadL > 0) padded++;
        }
        // The generator really mixes the variants the kernels distinguish.
        if (!int16) Assert.IsTrue(folded > count / 4 && folded < 3 * count / 4, "folded " + folded);
        Assert.IsTrue(perTensor > count / 4 && perTensor < 3 * count / 4, "per-tensor " + perTensor);
        Assert.IsTrue(padded > count / 4, "padded " + padded);
        // The packed path (ConvLanes) really ran in a good share of the int8 convolution cases.
        if (!int16 && (!depthwise || is1D)) Assert.IsTrue(packedCases > count / 10, "packed path in " + packedCases + " of " + count);
        return (double)unclamped / outputs;
    }
}
