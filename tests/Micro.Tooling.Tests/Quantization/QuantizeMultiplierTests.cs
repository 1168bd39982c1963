#nullable enable
using Micro.Tooling.Quantization;

namespace Micro.Tooling.Tests.Quantization;

[TestClass]
public class QuantizeMultiplierTests
{
    private static (int m, int s) Q(double real)
    {
        FixedPointMultiplier.QuantizeMultiplier(real, out int m, out int s);
        return (m, s);
    }

    [TestMethod]
    public void HandComputedCases()
    {
        Assert.AreEqual((0, 0), Q(0.0));
        Assert.AreEqual((1 << 30, 0), Q(0.5));           // 0.5 = 0.5 · 2^0
        Assert.AreEqual((1 << 30, 1), Q(1.0));           // 1 = 0.5 · 2^1
        Assert.AreEqual((0x60000000, 0), Q(0.75));
        Assert.AreEqual((0x60000000, -3), Q(0.75 / 8));
        Assert.AreEqual((1 << 30, 11), Q(1024.0));
        Assert.AreEqual((-(1 << 30), 0), Q(-0.5));        // TFLite keeps the sign in the multiplier
    }

    [TestMethod]
    public void RoundsHalfAwayFromZero()
    {
        // q · 2^31 = 2^30 + 0.5 exactly: rounds up to 2^30 + 1 (banker's rounding would give 2^30).
        double q = (Math.Pow(2, 30) + 0.5) / Math.Pow(2, 31);
        Assert.AreEqual(((1 << 30) + 1, 0), Q(q));
        Assert.AreEqual((-((1 << 30) + 1), 0), Q(-q));
        // 2^30 + 1.5 → 2^30 + 2 (same direction for odd and even neighbours).
        Assert.AreEqual(((1 << 30) + 2, 0), Q((Math.Pow(2, 30) + 1.5) / Math.Pow(2, 31)));
    }

    [TestMethod]
    public void QRoundingUpToOneMovesToTheNextShift()
    {
        // frexp gives q = 1 − 2^-40, q · 2^31 = 2^31 − 2^-9 rounds to 2^31: halve it and add one to the shift.
        Assert.AreEqual((1 << 30, 1), Q(1.0 - Math.Pow(2, -40)));
        Assert.AreEqual((1 << 30, -4), Q((1.0 - Math.Pow(2, -40)) / 32));
        // Just below the rounding point it stays: q · 2^31 = 2^31 − 0.5 − 2^-20 → 2^31 − 1.
        Assert.AreEqual((int.MaxValue, 0), Q((Math.Pow(2, 31) - 0.5 - Math.Pow(2, -20)) / Math.Pow(2, 31)));
    }

    [TestMethod]
    public void TinyMultipliersFlushToZero()
    {
        Assert.AreEqual((1 << 30, -31), Q(Math.Pow(2, -32)));   // shift −31 is still representable
        Assert.AreEqual((0, 0), Q(Math.Pow(2, -33)));           // shift −32 → flushed
        Assert.AreEqual((0, 0), Q(double.Epsilon));              // subnormal
    }

    [TestMethod]
    public void RejectsNonFinite()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Q(double.NaN));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Q(double.PositiveInfinity));
    }

    /// <summary>
    /// Against an independent integer formulation: for a normal double with 53-bit significand M and
    /// exponent e (real = M · 2^(e − 52)), frexp gives q = M / 2^53, so q · 2^31 = M / 2^22, rounded half
    /// away from zero = (M + 2^21) >> 22, and shift = e + 1.
    /// </summary>
    [TestMethod]
    public void MatchesBitLevelReferenceOnRandomDoubles()
    {
        var rng = new Random(20240601);
        for (int i = 0; i < 200_000; i++)
        {
            // Multipliers as they occur: 2^-40 .. 2^20, with arbitrary significands, plus exact half cases.
            double real = Math.ScaleB(1.0 + rng.NextDouble(), rng.Next(-40, 21));
            if (i % 10 == 0)
            {
                long mant = (1L << 52) | ((long)rng.Next(1 << 30) << 22) | (1L << 21);
                real = Math.ScaleB(mant, rng.Next(-80, -30));
            }
            long bits = BitConverter.DoubleToInt64Bits(real);
            int e = (int)((bits >> 52) & 0x7FF) - 1023;
            long significand = (bits & ((1L << 52) - 1)) | (1L << 52);
            long qFixed = (significand + (1L << 21)) >> 22;
            int shift = e + 1;
            if (qFixed == 1L << 31) { qFixed >>= 1; shift++; }
            if (shift < -31) { qFixed = 0; shift = 0; }
            Assert.AreEqual(((int)qFixed, shift), Q(real), $"real = {real:R}");
        }
    }

    [TestMethod]
    public void InputRadiusAndSoftmaxScaling()
    {
        // floor(31 · 2^26 / 2^s): s = 0 → 31·2^26, s = 31 → floor(0.97) = 0.
        Assert.AreEqual(31 << 26, FixedPointMultiplier.CalculateInputRadius(5, 0));
        Assert.AreEqual(31 << 6, FixedPointMultiplier.CalculateInputRadius(5, 20));
        Assert.AreEqual(0, FixedPointMultiplier.CalculateInputRadius(5, 31));
        // Logistic/tanh: floor(15 · 2^27 / 2^s).
        Assert.AreEqual(15 << 3, FixedPointMultiplier.CalculateInputRadius(4, 24));
        // beta = 1, input scale 1/16: 2^26 / 16 = 2^22 = 0.5 · 2^23 → m = 2^30, left shift 23.
        FixedPointMultiplier.PreprocessSoftmaxScaling(1.0, 1.0 / 16, 5, out int m, out int s);
        Assert.AreEqual((1 << 30, 23), (m, s));
        // Huge beta · scale is capped at 2^31 − 1: q = (2^31 − 1) / 2^31, rounds to 2^31 − 1, shift 31.
        FixedPointMultiplier.PreprocessSoftmaxScaling(1e9, 1.0, 5, out m, out s);
        Assert.AreEqual((int.MaxValue, 31), (m, s));
    }

    [TestMethod]
    public void FrexpMatchesDefinition()
    {
        foreach (double x in new[] { 1.0, 0.5, 3.0, 1e-300, 4.9e-324, 1e300, -6.5 })
        {
            double q = FixedPointMultiplier.Frexp(x, out int e);
            Assert.IsTrue(Math.Abs(q) >= 0.5 && Math.Abs(q) < 1, $"{x}: q = {q}");
            Assert.AreEqual(x, Math.ScaleB(q, e));
        }
    }
}
