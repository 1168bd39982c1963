using Micro.Tooling.Quantization;

namespace Micro.Tooling.Onnx;

/// <summary>TensorFlow Lite's host-side quantization arithmetic (quantization_util.cc), re-derived so the
/// integers the device gets are the ones TFLite would compute: Q31 multipliers, asymmetric parameters,
/// the fixed-point input scalings of Logistic, Tanh and Softmax.</summary>
public static class QuantMath
{
    /// <summary>Round half away from zero (TfLiteRound / std::round).</summary>
    public static double Round(double x) => Math.Round(x, MidpointRounding.AwayFromZero);

    /// <summary>real ≈ multiplier · 2^(shift − 31), multiplier in [2^30, 2^31) (0 for real = 0): the shared
    /// <see cref="FixedPointMultiplier.QuantizeMultiplier"/>, with shifts above 30 (which the runtime refuses)
    /// saturated.</summary>
    public static (int Multiplier, int Shift) QuantizeMultiplier(double real)
    {
        if (real < 0 || double.IsNaN(real) || double.IsInfinity(real)) throw new ArgumentOutOfRangeException(nameof(real), real, "multiplier must be finite and ≥ 0");
        FixedPointMultiplier.QuantizeMultiplier(real, out int m, out int shift);
        return shift > 30 ? (int.MaxValue, 30) : (m, shift);
    }

    /// <summary>std::frexp: x = q · 2^e with q in [0.5, 1).</summary>
    public static (double Q, int Exponent) Frexp(double x)
    {
        double q = FixedPointMultiplier.Frexp(x, out int e);
        return (q, e);
    }

    /// <summary>TFLite's ChooseQuantizationParams: scale and nudged zero point for [min, max] (widened to
    /// contain 0) over the integer range [qmin, qmax].</summary>
    public static (float Scale, int ZeroPoint) ChooseParams(double min, double max, int qmin = -128, int qmax = 127)
    {
        min = Math.Min(min, 0);
        max = Math.Max(max, 0);
        if (max - min < 1e-30) return (1f, 0);
        double scale = (max - min) / (qmax - qmin);
        double zpMin = qmin - min / scale, zpMax = qmax - max / scale;
        double errMin = Math.Abs(qmin) + Math.Abs(min / scale), errMax = Math.Abs(qmax) + Math.Abs(max / scale);
        double zp = errMin < errMax ? zpMin : zpMax;
        return ((float)scale, (int)Math.Clamp(Round(zp), qmin, qmax));
    }

    /// <summary>TFLite's 16×8 activation scale: symmetric, zero point 0, max|x| over [min, max] mapped to 32767.</summary>
    public static float SymmetricInt16Scale(double min, double max)
    {
        double m = Math.Max(Math.Abs(min), Math.Abs(max));
        return m < 1e-30 ? 1f / 32767 : (float)(m / 32767);
    }

    /// <summary>Quantized clamp range of a fused activation [actMin, actMax] in an output of (scale, zp).</summary>
    public static (int Min, int Max) ActivationRange(float actMin, float actMax, float scale, int zp, int qmin = -128, int qmax = 127)
    {
        int lo = qmin, hi = qmax;
        if (float.IsFinite(actMin)) lo = (int)Math.Clamp(zp + Round(actMin / scale), qmin, qmax);
        if (float.IsFinite(actMax)) hi = (int)Math.Clamp(zp + Round(actMax / scale), qmin, qmax);
        return (lo, Math.Max(lo, hi));
    }

    /// <summary>TFLite's CalculateInputRadius.</summary>
    public static int InputRadius(int inputIntegerBits, int inputLeftShift, int totalSignedBits = 31) =>
        FixedPointMultiplier.CalculateInputRadius(inputIntegerBits, inputLeftShift, totalSignedBits);

    /// <summary>Logistic and Tanh (int8): input scale · 2^(31 − 4) as a Q31 multiplier and left shift, and the
    /// input range radius beyond which the output saturates. Returns (multiplier, left shift, radius).</summary>
    public static (int Multiplier, int LeftShift, int Radius) SigmoidTanhInput(float inputScale)
    {
        const int IntegerBits = 4;
        double real = inputScale * (double)(1 << (31 - IntegerBits));
        var (q, shift) = Frexp(real);
        long m = (long)Round(q * (1L << 31));
        if (m == 1L << 31) { m /= 2; shift++; }
        return ((int)m, shift, InputRadius(IntegerBits, shift));
    }

    /// <summary>Softmax (int8): beta·input scale·2^(31 − 5) as multiplier and left shift (PreprocessSoftmaxScaling)
    /// and diff_min = −CalculateInputRadius(5, left shift).</summary>
    public static (int Multiplier, int LeftShift, int DiffMin) SoftmaxInput(float inputScale, double beta = 1.0)
    {
        const int ScaledDiffIntegerBits = 5;
        double real = Math.Min(beta * inputScale * (1 << (31 - ScaledDiffIntegerBits)), (1L << 31) - 1.0);
        var (m, shift) = QuantizeMultiplier(real);
        if (shift < 0) throw new ArgumentOutOfRangeException(nameof(inputScale), "softmax input scale too small");
        return (m, shift, -InputRadius(ScaledDiffIntegerBits, shift));
    }

    /// <summary>ADD (int8): left shift 20, the two input multipliers relative to twice the larger input scale,
    /// and the output multiplier (all with shifts ≤ 0).</summary>
    public static int[] AddParams(float aScale, float bScale, float yScale)
    {
        const int LeftShift = 20;
        double twiceMax = 2.0 * Math.Max(aScale, bScale);
        var (am, ash) = QuantizeMultiplier(aScale / twiceMax);
        var (bm, bsh) = QuantizeMultiplier(bScale / twiceMax);
        var (ym, ysh) = QuantizeMultiplier(twiceMax / ((1 << LeftShift) * (double)yScale));
        if (ash > 0 || bsh > 0 || ysh > 0) throw new ArgumentOutOfRangeException(nameof(yScale), "ADD multipliers must be below one");
        return new[] { LeftShift, am, ash, bm, bsh, ym, ysh };
    }
}
