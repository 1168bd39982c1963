using Micro.Runtime.Tests.Reference;

namespace Micro.Runtime.Tests;

[TestClass]
public class Conv1DTests
{
    /// <summary>
    /// Worked by hand. x = [3, 5, 2, 7] (one channel), x_zp = 2, so x − x_zp = [1, 3, 0, 5]. Kernel 3,
    /// w = [1, 2, −1], stride 1, pad_left 1 (SAME, output width 4), bias 10.
    ///   ox 0: taps −1 (padding, skipped), 0, 1: 2·1 + (−1)·3 = −1 → acc 9
    ///   ox 1: taps 0, 1, 2: 1·1 + 2·3 + (−1)·0 = 7 → acc 17
    ///   ox 2: taps 1, 2, 3: 1·3 + 2·0 + (−1)·5 = −2 → acc 8
    ///   ox 3: taps 2, 3, 4 (padding): 1·0 + 2·5 = 10 → acc 20
    /// Multiplier 2^30 (0.5), shift 0: 4.5 → 5 (TFLite rounds half up here), 8.5 → 9, 4, 10; y_zp −3 gives
    /// [2, 6, 1, 7], and act_max 5 clamps it to [2, 5, 1, 5]. The folded bias is 10 − 2·(1 + 2 − 1) = 6.
    /// </summary>
    [TestMethod]
    public void HandWorkedExample()
    {
        foreach (bool folded in new[] { false, true })
            foreach (int actMax in new[] { 127, 5 })
            {
                var c = new ConvCase
                {
                    Is1D = true,
                    N = 1,
                    H = 1,
                    W = 4,
                    Cin = 1,
                    Cout = 1,
                    Kh = 1,
                    Kw = 3,
                    Sh = 1,
                    Sw = 1,
                    Dh = 1,
                    Dw = 1,
                    PadT = 0,
                    PadL = 1,
                    Ho = 1,
                    Wo = 4,
                    XZp = 2,
                    YZp = -3,
                    ActMin = -128,
                    ActMax = actMax,
                    Folded = folded,
                    X = new sbyte[] { 3, 5, 2, 7 },
                    Wt = new sbyte[] { 1, 2, -1 },
                    Bias = new[] { 10 },
                    Mult = new[] { 1 << 30 },
                    Shift = new[] { 0 },
                };
                Assert.AreEqual(folded ? 6 : 10, c.StoredBias()[0]);
                sbyte[] expected = actMax == 127 ? new sbyte[] { 2, 6, 1, 7 } : new sbyte[] { 2, 5, 1, 5 };
                CollectionAssert.AreEqual(expected, c.Reference());
                CollectionAssert.AreEqual(expected, ConvKernels.RunInt8(c, new Random(1)));
            }
    }

    /// <summary>
    /// Int16 by hand: x = [1000, −2000, 300], w = [[2, 1], [−1, 3]] (2 output channels, kernel 2, 1 input
    /// channel), VALID, bias [5, −7]. ch0: 2·1000 + 1·(−2000) + 5 = 5 and 2·(−2000) + 300 + 5 = −3695;
    /// ch1: −1000 − 6000 − 7 = −7007 and 2000 + 900 − 7 = 2893. Multiplier 2^30 with shift 1 is ×1: the Q15
    /// multiplier is 2^14, total shift 14, so the result is exact.
    /// </summary>
    [TestMethod]
    public void HandWorkedInt16()
    {
        var c = new ConvCase
        {
            Is1D = true,
            Int16 = true,
            N = 1,
            H = 1,
            W = 3,
            Cin = 1,
            Cout = 2,
            Kh = 1,
            Kw = 2,
            Sh = 1,
            Sw = 1,
            Dh = 1,
            Dw = 1,
            Ho = 1,
            Wo = 2,
            ActMin = -32768,
            ActMax = 32767,
            X16 = new short[] { 1000, -2000, 300 },
            Wt = new sbyte[] { 2, 1, -1, 3 },
            Bias64 = new long[] { 5, -7 },
            Mult = new[] { 1 << 30, 1 << 30 },
            Shift = new[] { 1, 1 },
        };
        var expected = new short[] { 5, -7007, -3695, 2893 };
        CollectionAssert.AreEqual(expected, c.Reference16());
        CollectionAssert.AreEqual(expected, ConvKernels.RunInt16(c, new Random(2)));
    }

    [TestMethod]
    public void RandomConfigurationsMatchReference()
    {
        double unclamped = ConvKernels.RandomCases(101, 400, depthwise: false, is1D: true, int16: false);
        Assert.IsTrue(unclamped > 0.3, "only " + unclamped + " of outputs were not clamped");
    }

    [TestMethod]
    public void RandomInt16ConfigurationsMatchReference()
    {
        double unclamped = ConvKernels.RandomCases(102, 300, depthwise: false, is1D: true, int16: true);
        Assert.IsTrue(unclamped > 0.3, "only " + unclamped + " of outputs were not clamped");
    }
}
