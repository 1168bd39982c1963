#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using Micro.Runtime.Kernels;

namespace Micro.Portable.Tests
{
    /// <summary>TFLite's rounding, worked by hand: these must hold on every platform the runtime runs on.</summary>
    [TestClass]
    public class FixedPointPortableTests
    {
        [TestMethod]
        public void RoundingRulesWorkedByHand()
        {
            // 3 × 0.5 = 1.5 rounds up to 2; −3 × 0.5 = −1.5 rounds up to −1 (SRDHM rounds half toward +∞).
            Assert.AreEqual(2, FixedPoint.SaturatingRoundingDoublingHighMul(3, 1 << 30));
            Assert.AreEqual(-1, FixedPoint.SaturatingRoundingDoublingHighMul(-3, 1 << 30));
            Assert.AreEqual(int.MaxValue, FixedPoint.SaturatingRoundingDoublingHighMul(int.MinValue, int.MinValue));
            // −5 / 2 = −2.5 rounds away from zero to −3.
            Assert.AreEqual(-3, FixedPoint.RoundingDivideByPOT(-5, 1));
            // 37 × 0.25 with double rounding: 37 × 0.5 = 18.5 → 19, then 19 / 2 = 9.5 → 10.
            Assert.AreEqual(10, FixedPoint.MultiplyByQuantizedMultiplier(37, 1 << 30, -1));
            // 64-bit form (16×8 kernels): 1000 × 0.75 = 750.
            Assert.AreEqual(750, FixedPoint.MultiplyByQuantizedMultiplier(1000L, 0x60000000, 0));
        }
    }
}
