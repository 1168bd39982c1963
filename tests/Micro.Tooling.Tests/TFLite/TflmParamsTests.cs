#nullable enable
using Micro.Tooling.Quantization;
using Micro.Tooling.TFLite;

namespace Micro.Tooling.Tests.TFLite;

[TestClass]
public class TflmParamsTests
{
    [TestMethod]
    public void PaddingSameAndValid()
    {
        // kws_ref_model op 0: 49×10 input, 10×4 filter, stride 2, SAME → 25×5, total padding 9 and 2.
        Assert.AreEqual((25, 4, 5), TflmParams.Padding(TflitePadding.Same, 49, 10, 2, 1, "h"));
        Assert.AreEqual((5, 1, 1), TflmParams.Padding(TflitePadding.Same, 10, 4, 2, 1, "w"));
        // person_detect op 0: 96, 3×3, stride 2, SAME → 48, total padding 1: nothing before, 1 after.
        Assert.AreEqual((48, 0, 1), TflmParams.Padding(TflitePadding.Same, 96, 3, 2, 1, "h"));
        // VALID never pads: 25 rows, 25-row window → 1; 10 wide, 3 wide stride 2 → 4.
        Assert.AreEqual((1, 0, 0), TflmParams.Padding(TflitePadding.Valid, 25, 25, 25, 1, "h"));
        Assert.AreEqual((4, 0, 0), TflmParams.Padding(TflitePadding.Valid, 10, 3, 2, 1, "w"));
        // Dilation 2 makes a 3-tap filter 5 wide: SAME on 10 → 10, total 4.
        Assert.AreEqual((10, 2, 2), TflmParams.Padding(TflitePadding.Same, 10, 3, 1, 2, "w"));
        Assert.ThrowsExactly<TfliteImportException>(() => TflmParams.Padding(TflitePadding.Same, 10, 3, 0, 1, "w"));
        Assert.ThrowsExactly<TfliteImportException>(() => TflmParams.Padding(TflitePadding.Valid, 2, 3, 1, 1, "w"));
        Assert.ThrowsExactly<TfliteImportException>(() => TflmParams.Padding((TflitePadding)7, 10, 3, 1, 1, "w"));
    }

    [TestMethod]
    public void ActivationRanges()
    {
        Assert.AreEqual((-128, 127), TflmParams.ActivationRange(TfliteActivation.None, 0.1f, 3));
        Assert.AreEqual((-128, 127), TflmParams.ActivationRange(TfliteActivation.Relu, 0.05f, -128));
        Assert.AreEqual((5, 127), TflmParams.ActivationRange(TfliteActivation.Relu, 0.1f, 5));
        Assert.AreEqual((-10, 50), TflmParams.ActivationRange(TfliteActivation.Relu6, 0.1f, -10));
        // 6 / (6/255) in float32 rounds to exactly 255 → −128 + 255 = 127.
        Assert.AreEqual((-128, 127), TflmParams.ActivationRange(TfliteActivation.Relu6, 6f / 255f, -128));
        Assert.AreEqual((-100, 100), TflmParams.ActivationRange(TfliteActivation.ReluN1To1, 0.01f, 0));
        // Q(0) above qmax: the range collapses to qmax as TFLM's max/min do.
        Assert.AreEqual((127, 127), TflmParams.ActivationRange(TfliteActivation.Relu, 0.1f, 127));
        // 0.5 / 0.2 = 2.5 in float32 → rounds half away to 3.
        Assert.AreEqual(3, TflmParams.QuantizeScalar(0.5f, 0.2f, 0));
        Assert.AreEqual(-3, TflmParams.QuantizeScalar(-0.5f, 0.2f, 0));
        Assert.ThrowsExactly<TfliteImportException>(() => TflmParams.ActivationRange(TfliteActivation.Tanh, 0.1f, 0));
        Assert.ThrowsExactly<TfliteImportException>(() => TflmParams.ActivationRange(TfliteActivation.SignBit, 0.1f, 0));
        Assert.ThrowsExactly<TfliteImportException>(() => TflmParams.QuantizeScalar(6f, 1e-12f, 0));
    }

    [TestMethod]
    public void FullyConnectedMultipliesScalesInFloat32()
    {
        // hello_world_int8 layer 1: input 0.0244801156, filter 0.0040390091, output 0.013325124.
        float si = 0.0244801156f, sw = 0.0040390091f, so = 0.013325124f;
        var fc = TflmParams.FullyConnectedMultiplier(si, sw, 9.88754109e-05f, so, "fc");
        FixedPointMultiplier.QuantizeMultiplier((double)(si * sw) / so, out int m32, out int s32);
        FixedPointMultiplier.QuantizeMultiplier((double)si * sw / so, out int m64, out int s64);
        Assert.AreEqual((m32, s32), fc);
        Assert.AreEqual((2039655759, -7), fc);
        // The double product gives another multiplier: the float32 step matters for byte-exactness.
        Assert.AreNotEqual(m32, m64);
        // Convolutions (and per-channel FC) multiply in double.
        var conv = TflmParams.PerChannelMultipliers(si, new[] { sw }, so, 3, "conv");
        CollectionAssert.AreEqual(new[] { m64, m64, m64 }, conv.Multipliers);
        CollectionAssert.AreEqual(new[] { s64, s64, s64 }, conv.Shifts);
    }

    [TestMethod]
    public void FullyConnectedRefusesABiasScaleTfliteWouldRefuse()
    {
        // |0.5 · 0.01 − bias| / 0.1 must be ≤ 0.02: bias 0.005 passes, 0.008 (diff 0.03) fails, no quantization fails.
        TflmParams.FullyConnectedMultiplier(0.5f, 0.01f, 0.005f, 0.1f, "fc");
        TflmParams.FullyConnectedMultiplier(0.5f, 0.01f, null, 0.1f, "fc");
        Assert.ThrowsExactly<TfliteImportException>(() => TflmParams.FullyConnectedMultiplier(0.5f, 0.01f, 0.008f, 0.1f, "fc"));
        Assert.ThrowsExactly<TfliteImportException>(() => TflmParams.FullyConnectedMultiplier(0.5f, 0.01f, 0f, 0.001f, "fc"));
    }

    [TestMethod]
    public void PerChannelNeedsOneScalePerChannel()
    {
        var p = TflmParams.PerChannelMultipliers(0.5f, new[] { 0.25f, 0.5f }, 0.125f, 2, "conv");
        // 0.5 · 0.25 / 0.125 = 1 → (2^30, 1); 0.5 · 0.5 / 0.125 = 2 → (2^30, 2).
        CollectionAssert.AreEqual(new[] { 1 << 30, 1 << 30 }, p.Multipliers);
        CollectionAssert.AreEqual(new[] { 1, 2 }, p.Shifts);
        Assert.ThrowsExactly<TfliteImportException>(() => TflmParams.PerChannelMultipliers(0.5f, new[] { 0.25f, 0.5f }, 0.125f, 3, "conv"));
    }

    [TestMethod]
    public void AddRescalesBothInputsToTwiceTheLargerScale()
    {
        AddQuantParams a = TflmParams.Add(0.5f, 0.25f, 1f, "add");
        Assert.AreEqual(20, a.LeftShift);
        Assert.AreEqual(new FixedMultiplier(1 << 30, 0), a.Input1);   // 0.5 / 1 = 0.5
        Assert.AreEqual(new FixedMultiplier(1 << 30, -1), a.Input2);  // 0.25 / 1 = 0.25
        Assert.AreEqual(new FixedMultiplier(1 << 30, -19), a.Output); // 1 / 2^20
        // An output scale below twice the input scale / 2^20 would need a multiplier ≥ 1: TFLM aborts.
        Assert.ThrowsExactly<TfliteImportException>(() => TflmParams.Add(1f, 1f, 1e-7f, "add"));
    }

    [TestMethod]
    public void SoftmaxParams()
    {
        // Input scale 1/16, beta 1: 2^26 / 16 = 2^22 → (2^30, 23); diff_min = −floor(31 · 2^26 / 2^23) = −248.
        var s = TflmParams.Softmax(1f, 1f / 16, 1f / 256, -128, "softmax");
        Assert.AreEqual((1 << 30, 23, -248), s);
        Assert.ThrowsExactly<TfliteImportException>(() => TflmParams.Softmax(1f, 0.1f, 1f / 255, -128, "softmax"));
        Assert.ThrowsExactly<TfliteImportException>(() => TflmParams.Softmax(1f, 0.1f, 1f / 256, 0, "softmax"));
        Assert.ThrowsExactly<TfliteImportException>(() => TflmParams.Softmax(0f, 0.1f, 1f / 256, -128, "softmax"));
    }

    [TestMethod]
    public void LogisticAndTanhParams()
    {
        // 1/16 · 2^27 = 2^23 = 0.5 · 2^24 → m = 2^30, left shift 24, radius floor(15 · 2^27 / 2^24) = 120.
        Assert.AreEqual((1 << 30, 24, 120), TflmParams.LogisticOrTanh(1f / 16, "logistic"));
        // 0.1 → 0.1 · 2^27 = 13421772.8 → frexp (0.8, 24) → round(0.8 · 2^31).
        float s = 0.1f;
        double q = FixedPointMultiplier.Frexp((double)s * (1 << 27), out int e);
        Assert.AreEqual(((int)Math.Round(q * 2147483648.0, MidpointRounding.AwayFromZero), e, (int)Math.Floor(15.0 * (1 << 27) / (1L << e))),
            TflmParams.LogisticOrTanh(s, "tanh"));
    }

    [TestMethod]
    public void MeanFoldsOneOverNIntoTheMultiplier()
    {
        // Same scales: rescale (2^30, 1). N = 125: k = 6, m' = floor(2^36 / 125) = 549755813, shift 1 − 6 = −5.
        Assert.AreEqual((549755813, -5), TflmParams.MeanMultiplier(0.5f, 0.5f, 125, "mean"));
        // N = 1 leaves it alone.
        Assert.AreEqual((1 << 30, 1), TflmParams.MeanMultiplier(0.5f, 0.5f, 1, "mean"));
        // Large N: k is capped at 32.
        var big = TflmParams.MeanMultiplier(0.5f, 0.5f, 1L << 40, "mean");
        Assert.AreEqual(-31, big.Shift);
    }

    [TestMethod]
    public void PoolingNeedsEqualQuantization()
    {
        TflmParams.CheckSameQuantization(0.1f, 3, 0.1000005f, 3, "pool");
        Assert.ThrowsExactly<TfliteImportException>(() => TflmParams.CheckSameQuantization(0.1f, 3, 0.1f, 4, "pool"));
        Assert.ThrowsExactly<TfliteImportException>(() => TflmParams.CheckSameQuantization(0.1f, 3, 0.1001f, 3, "pool"));
    }
}
