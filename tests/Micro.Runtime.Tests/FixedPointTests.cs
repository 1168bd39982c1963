using Micro.Runtime.Kernels;
using Micro.Runtime.Tests.Reference;

namespace Micro.Runtime.Tests;

[TestClass]
public class FixedPointTests
{
    [TestMethod]
    public void HandComputedCases()
    {
        // 0.5 in Q31 times 3 = 1.5 → rounds half up to 2; −3 × 0.5 = −1.5 → −1 (half up).
        Assert.AreEqual(2, FixedPoint.SaturatingRoundingDoublingHighMul(3, 1 << 30));
        Assert.AreEqual(-1, FixedPoint.SaturatingRoundingDoublingHighMul(-3, 1 << 30));
        Assert.AreEqual(int.MaxValue, FixedPoint.SaturatingRoundingDoublingHighMul(int.MinValue, int.MinValue));
        // 5 / 2 = 2.5 → 3 and −5 / 2 → −3 (half away from zero).
        Assert.AreEqual(3, FixedPoint.RoundingDivideByPOT(5, 1));
        Assert.AreEqual(-3, FixedPoint.RoundingDivideByPOT(-5, 1));
        Assert.AreEqual(-2, FixedPoint.RoundingDivideByPOT(-9, 2));
        // 1000 × 0.75 (0.75 = 0x60000000 in Q31 with shift 0) = 750.
        Assert.AreEqual(750, FixedPoint.MultiplyByQuantizedMultiplier(1000, 0x60000000, 0));
        // 1000 × 0.75 × 2^-3 = 93.75 → 94.
        Assert.AreEqual(94, FixedPoint.MultiplyByQuantizedMultiplier(1000, 0x60000000, -3));
    }

    [TestMethod]
    public void MatchesExactReferenceOnRandomInputs()
    {
        var rng = new Random(1234);
        for (int i = 0; i < 200_000; i++)
        {
            int x = i % 4 == 0 ? rng.Next(-70000, 70000) : rng.Next(int.MinValue, int.MaxValue);
            int m = rng.Next(1 << 30, int.MaxValue);
            int s = rng.Next(-31, 8);
            Assert.AreEqual(ReferenceRounding.Srdhm(x, m), FixedPoint.SaturatingRoundingDoublingHighMul(x, m), $"srdhm {x} {m}");
            int e = rng.Next(0, 32);
            Assert.AreEqual(ReferenceRounding.Rdbpot(x, e), FixedPoint.RoundingDivideByPOT(x, e), $"rdbpot {x} {e}");
            Assert.AreEqual(ReferenceRounding.Mbqm(x, m, s), FixedPoint.MultiplyByQuantizedMultiplier(x, m, s), $"mbqm {x} {m} {s}");
            long x64 = ((long)rng.Next(int.MinValue, int.MaxValue) << 8) + rng.Next(256);
            Assert.AreEqual(ReferenceRounding.Mbqm64(x64, m, s), FixedPoint.MultiplyByQuantizedMultiplier(x64, m, s), $"mbqm64 {x64} {m} {s}");
        }
    }
}
