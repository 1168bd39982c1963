using Micro.Runtime.Kernels;
using Micro.Runtime.Tests.Reference;

namespace Micro.Runtime.Tests;

[TestClass]
public class DepthwiseConv1DTests
{
    /// <summary>
    /// Worked by hand. Two input channels, depth multiplier 2 (output channels 0,1 from input channel 0,
    /// 2,3 from input channel 1), kernel 2, stride 1, dilation 1, pad_left 1 (causal), width 2, x_zp 0:
    /// x = [[1, −2], [3, 4]] (positions × channels), w[k][oc] = [[1, 2, 3, 4], [5, 6, 7, 8]], bias 0.
    ///   ox 0: tap 0 is padding, tap 1 at x[0]: oc0 5·1 = 5, oc1 6·1 = 6, oc2 7·(−2) = −14, oc3 8·(−2) = −16
    ///   ox 1: x[0]·w[0] + x[1]·w[1]: oc0 1 + 15 = 16, oc1 2 + 18 = 20, oc2 −6 + 28 = 22, oc3 −8 + 32 = 24
    /// Multiplier 2^30, shift 1 (×1), y_zp 1.
    /// </summary>
    [TestMethod]
    public void HandWorkedExample()
    {
        foreach (bool folded in new[] { false, true })
        {
            var c = new ConvCase
            {
                Depthwise = true,
                Is1D = true,
                N = 1,
                H = 1,
                W = 2,
                Cin = 2,
                Cout = 4,
                Dm = 2,
                Kh = 1,
                Kw = 2,
                Sh = 1,
                Sw = 1,
                Dh = 1,
                Dw = 1,
                PadL = 1,
                Ho = 1,
                Wo = 2,
                XZp = 0,
                YZp = 1,
                ActMin = -128,
                ActMax = 127,
                Folded = folded,
                X = new sbyte[] { 1, -2, 3, 4 },
                Wt = new sbyte[] { 1, 2, 3, 4, 5, 6, 7, 8 },
                Bias = new int[4],
                Mult = Enumerable.Repeat(1 << 30, 4).ToArray(),
                Shift = Enumerable.Repeat(1, 4).ToArray(),
            };
            var expected = new sbyte[] { 6, 7, -13, -15, 17, 21, 23, 25 };
            CollectionAssert.AreEqual(expected, c.Reference());
            CollectionAssert.AreEqual(expected, ConvKernels.RunInt8(c, new Random(5)));
        }
    }

    [TestMethod]
    public void RandomConfigurationsMatchReference()
    {
        double unclamped = ConvKernels.RandomCases(401, 400, depthwise: true, is1D: true, int16: false);
        Assert.IsTrue(unclamped > 0.3, "only " + unclamped + " of outputs were not clamped");
    }

    /// <summary>
    /// The packed positions' exactness rule: 64 taps of −128 on inputs of −128 sum to 2^20 per position, one
    /// past a 21-bit lane. Prepare's check (ConvLanes.ChunksFit over the channel's taps) must refuse the
    /// packed path, the kernel then matches the reference, and forcing the path gives wrong outputs.
    /// With one weight raised to 127 the rule accepts and the packed path matches.
    /// </summary>
    [TestMethod]
    public void PackedPositionsRunOnlyWhenProvenExact()
    {
        foreach (bool fits in new[] { false, true })
        {
            int k = 64, w = k + 4;
            var c = new ConvCase
            {
                Depthwise = true,
                Is1D = true,
                N = 1,
                H = 1,
                W = w,
                Cin = 1,
                Cout = 1,
                Dm = 1,
                Kh = 1,
                Kw = k,
                Sh = 1,
                Sw = 1,
                Dh = 1,
                Dw = 1,
                PadL = 0,
                Ho = 1,
                Wo = w - k + 1,
                XZp = 0,
                YZp = 0,
                ActMin = -128,
                ActMax = 127,
                Folded = false,
                X = Enumerable.Repeat((sbyte)-128, w).ToArray(),
                Wt = Enumerable.Repeat((sbyte)-128, k).ToArray(),
                Bias = new int[1],
                Mult = new[] { 1 << 30 },
                Shift = new[] { -13 },
                PerChannel = true,
            };
            if (fits) c.Wt[3] = 127;
            sbyte[] expected = c.Reference();
            var rng = new Random(3);
            CollectionAssert.AreEqual(expected, ConvKernels.RunInt8(c, rng, true, out bool used));
            Assert.AreEqual(fits, used);
            if (fits) continue;
            // Forced: the lanes overflow and the outputs are wrong.
            var blob = c.Wt.Select(v => (byte)v).ToArray();
            ConvData g = ConvKernels.Geometry(c);
            g.BiasInterior = new int[1];
            g.BiasBorder = new int[1];
            g.Multiplier = c.Mult;
            g.Shift = c.Shift;
            g.ActMin = -128;
            g.ActMax = 127;
            g.LaneChunk = k;
            g.Lanes = new LaneWindow { Values = new long[k + 2] };
            g.YOffset = w;
            var arena = new sbyte[w + c.Wo];
            Array.Copy(c.X, arena, w);
            DepthwiseConv1D.EvalInt8(g, blob, arena);
            CollectionAssert.AreNotEqual(expected, arena.Skip(w).ToArray());
        }
    }
}
