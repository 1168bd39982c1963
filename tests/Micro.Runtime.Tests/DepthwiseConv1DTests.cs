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
}
