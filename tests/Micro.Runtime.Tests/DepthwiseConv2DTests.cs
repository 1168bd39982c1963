using Micro.Runtime.Tests.Reference;

namespace Micro.Runtime.Tests;

[TestClass]
public class DepthwiseConv2DTests
{
    /// <summary>
    /// Worked by hand. 2×2 input, one channel, x_zp = 10: x = [[11, 12], [13, 14]], x − x_zp = [[1, 2], [3, 4]].
    /// 2×2 kernel w = [[1, −1], [2, 3]], stride 1, dilation 2, pad_top = pad_left = 2, output 2×2
    /// (taps at origin + {0, 2}): only one tap of each window is inside the input:
    ///   (0,0): origin (−2,−2), tap (1,1) at (0,0): 3·1 = 3;   (0,1): origin (−2,−1), tap (1,1) at (0,1): 3·2 = 6
    ///   (1,0): origin (−1,−2), tap (1,1) at (1,0): 3·3 = 9;   (1,1): tap (1,1) at (1,1): 3·4 = 12
    /// bias 100, multiplier 2^30, shift 0 (×0.5): 103 → 51.5 → 52, 106 → 53, 109 → 54.5 → 55, 112 → 56; y_zp −60.
    /// The folded bias would be 100 − 10·5 = 50: three of four taps add back 10·(1 − 1 + 2) = 20.
    /// </summary>
    [TestMethod]
    public void HandWorkedExample()
    {
        foreach (bool folded in new[] { false, true })
        {
            var c = new ConvCase
            {
                Depthwise = true, N = 1, H = 2, W = 2, Cin = 1, Cout = 1, Dm = 1, Kh = 2, Kw = 2, Sh = 1, Sw = 1, Dh = 2, Dw = 2,
                PadT = 2, PadL = 2, Ho = 2, Wo = 2, XZp = 10, YZp = -60, ActMin = -128, ActMax = 127, Folded = folded,
                X = new sbyte[] { 11, 12, 13, 14 }, Wt = new sbyte[] { 1, -1, 2, 3 }, Bias = new[] { 100 },
                Mult = new[] { 1 << 30 }, Shift = new[] { 0 },
            };
            Assert.AreEqual(folded ? 50 : 100, c.StoredBias()[0]);
            var expected = new sbyte[] { -8, -7, -5, -4 };
            CollectionAssert.AreEqual(expected, c.Reference());
            CollectionAssert.AreEqual(expected, ConvKernels.RunInt8(c, new Random(6)));
        }
    }

    [TestMethod]
    public void RandomConfigurationsMatchReference()
    {
        double unclamped = ConvKernels.RandomCases(501, 400, depthwise: true, is1D: false, int16: false);
        Assert.IsTrue(unclamped > 0.3, "only " + unclamped + " of outputs were not clamped");
    }
}
