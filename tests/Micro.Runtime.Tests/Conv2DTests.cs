using Micro.Runtime.Tests.Reference;

namespace Micro.Runtime.Tests;

[TestClass]
public class Conv2DTests
{
    /// <summary>
    /// Worked by hand. x is 3×3, one channel, x_zp = 1: x − x_zp = [[1, 0, 2], [0, 3, 0], [−1, 0, 1]].
    /// Kernel 2×2, stride 2, SAME (output 2×2, total padding 1 → pad_top = pad_left = 0, one row/column
    /// of padding at the end). Two output channels: w0 = [[1, −1], [2, 1]] with bias 0, w1 = [[−1, 2],
    /// [3, −2]] with bias 5. Window origins (0,0), (0,2), (2,0), (2,2):
    ///   ch0: (0,0) 1·1 − 1·0 + 2·0 + 1·3 = 4;  (0,2) 1·2 + 2·0 = 2 (column 3 is padding);
    ///        (2,0) 1·(−1) − 1·0 = −1 (row 3 is padding);  (2,2) 1·1 = 1
    ///   ch1: (0,0) −1 + 0 + 0 − 6 = −7 → −2;  (0,2) −2 + 0 = −2 → 3;  (2,0) 1 + 0 = 1 → 6;  (2,2) −1 → 4
    /// Multiplier 2^30 with shift 1 is exactly ×1, y_zp 0: NHWC output [4, −2, 2, 3, −1, 6, 1, 4].
    /// Folded biases: 0 − 1·(1 − 1 + 2 + 1) = −3 and 5 − 1·(−1 + 2 + 3 − 2) = 3.
    /// </summary>
    [TestMethod]
    public void HandWorkedExample()
    {
        foreach (bool folded in new[] { false, true })
        {
            var c = new ConvCase
            {
                N = 1,
                H = 3,
                W = 3,
                Cin = 1,
                Cout = 2,
                Kh = 2,
                Kw = 2,
                Sh = 2,
                Sw = 2,
                Dh = 1,
                Dw = 1,
                PadT = 0,
                PadL = 0,
                Ho = 2,
                Wo = 2,
                XZp = 1,
                YZp = 0,
                ActMin = -128,
                ActMax = 127,
                Folded = folded,
                X = new sbyte[] { 2, 1, 3, 1, 4, 1, 0, 1, 2 },
                Wt = new sbyte[] { 1, -1, 2, 1, -1, 2, 3, -2 },
                Bias = new[] { 0, 5 },
                Mult = new[] { 1 << 30, 1 << 30 },
                Shift = new[] { 1, 1 },
            };
            CollectionAssert.AreEqual(folded ? new[] { -3, 3 } : new[] { 0, 5 }, c.StoredBias());
            var expected = new sbyte[] { 4, -2, 2, 3, -1, 6, 1, 4 };
            CollectionAssert.AreEqual(expected, c.Reference());
            CollectionAssert.AreEqual(expected, ConvKernels.RunInt8(c, new Random(3)));
        }
    }

    /// <summary>
    /// A 3×3 SAME convolution with padding 1 on every side, x_zp = −128 (every padded tap would add
    /// −x_zp·w = 128·w if treated as a zero input instead of skipped), all-ones weights, input all −128
    /// (real zero): every output is the bias alone.
    /// </summary>
    [TestMethod]
    public void PaddingContributesNothingEvenWithExtremeZeroPoint()
    {
        foreach (bool folded in new[] { false, true })
        {
            var c = new ConvCase
            {
                N = 1,
                H = 4,
                W = 5,
                Cin = 3,
                Cout = 2,
                Kh = 3,
                Kw = 3,
                Sh = 1,
                Sw = 1,
                Dh = 1,
                Dw = 1,
                PadT = 1,
                PadL = 1,
                Ho = 4,
                Wo = 5,
                XZp = -128,
                YZp = 0,
                ActMin = -128,
                ActMax = 127,
                Folded = folded,
                X = Enumerable.Repeat((sbyte)-128, 60).ToArray(),
                Wt = Enumerable.Repeat((sbyte)1, 54).ToArray(),
                Bias = new[] { 37, -20 },
                Mult = new[] { 1 << 30, 1 << 30 },
                Shift = new[] { 1, 1 },
            };
            sbyte[] y = ConvKernels.RunInt8(c, new Random(4));
            for (int i = 0; i < y.Length; i++) Assert.AreEqual(i % 2 == 0 ? 37 : -20, (int)y[i]);
        }
    }

    [TestMethod]
    public void RandomConfigurationsMatchReference()
    {
        double unclamped = ConvKernels.RandomCases(201, 400, depthwise: false, is1D: false, int16: false);
        Assert.IsTrue(unclamped > 0.3, "only " + unclamped + " of outputs were not clamped");
    }

    [TestMethod]
    public void RandomInt16ConfigurationsMatchReference()
    {
        double unclamped = ConvKernels.RandomCases(202, 300, depthwise: false, is1D: false, int16: true);
        Assert.IsTrue(unclamped > 0.3, "only " + unclamped + " of outputs were not clamped");
    }
}
