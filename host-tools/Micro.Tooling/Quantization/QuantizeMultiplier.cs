namespace Micro.Tooling.Quantization;

/// <summary>
/// TensorFlow Lite's conversion of a real multiplier into a Q31 fixed-point multiplier and a power-of-two
/// shift (tensorflow/lite/kernels/internal/quantization_util.cc), reproduced exactly so that blobs carry the
/// very integers TFLite Micro computes. The runtime applies them with
/// <c>FixedPoint.MultiplyByQuantizedMultiplier</c>: x · m · 2^(shift − 31), rounded as TFLite rounds.
/// Build flags assumed: neither TFLITE_EMULATE_FLOAT nor TFLITE_SINGLE_ROUNDING (TFLM's defaults).
/// </summary>
public static class FixedPointMultiplier
{
    /// <summary>
    /// QuantizeMultiplier: real = m · 2^(shift − 31) with m in [2^30, 2^31).
    /// <code>
    /// real == 0           → m = 0, shift = 0
    /// (q, shift) = frexp(real)              q in [0.5, 1), real = q · 2^shift
    /// m = round_half_away_from_zero(q · 2^31)   (exact in double: scaling by a power of two)
    /// m == 2^31           → m = 2^30, shift += 1      (q rounded up to 1.0)
    /// shift &lt; −31         → m = 0, shift = 0           (flush multipliers below ~2^-32 to zero)
    /// </code>
    /// No clamp of large shifts (that exists only with TFLITE_SINGLE_ROUNDING); the blob validator rejects
    /// shifts above 31. Negative multipliers are handled as TFLite does (m negative) but never occur in
    /// int8 models.
    /// </summary>
    public static void QuantizeMultiplier(double real, out int multiplier, out int shift)
    {
        if (double.IsNaN(real) || double.IsInfinity(real))
            throw new ArgumentOutOfRangeException(nameof(real), real, "a quantized multiplier must be finite");
        if (real == 0.0)
        {
            multiplier = 0;
            shift = 0;
            return;
        }
        double q = Frexp(real, out shift);
        long qFixed = (long)Math.Round(q * (1L << 31), MidpointRounding.AwayFromZero);
        if (qFixed == 1L << 31)
        {
            qFixed /= 2;
            shift++;
        }
        if (shift < -31)
        {
            shift = 0;
            qFixed = 0;
        }
        multiplier = (int)qFixed;
    }

    /// <summary>QuantizeMultiplierSmallerThanOneExp: as QuantizeMultiplier; TFLite aborts unless 0 &lt; real &lt; 1.</summary>
    public static void QuantizeMultiplierSmallerThanOne(double real, out int multiplier, out int shift)
    {
        if (!(real > 0.0 && real < 1.0))
            throw new ArgumentOutOfRangeException(nameof(real), real, "TFLite requires 0 < multiplier < 1 here");
        QuantizeMultiplier(real, out multiplier, out shift);
        if (shift > 0) throw new InvalidOperationException("shift > 0 for a multiplier below 1");
    }

    /// <summary>QuantizeMultiplierGreaterThanOne: as QuantizeMultiplier; TFLite aborts unless real &gt; 1.</summary>
    public static void QuantizeMultiplierGreaterThanOne(double real, out int multiplier, out int shift)
    {
        if (!(real > 1.0))
            throw new ArgumentOutOfRangeException(nameof(real), real, "TFLite requires multiplier > 1 here");
        QuantizeMultiplier(real, out multiplier, out shift);
        if (shift < 0) throw new InvalidOperationException("shift < 0 for a multiplier above 1");
    }

    /// <summary>
    /// std::frexp for finite non-zero x: returns q with 0.5 ≤ |q| &lt; 1 and sets exponent so that
    /// x = q · 2^exponent (exact, also for subnormals).
    /// </summary>
    public static double Frexp(double x, out int exponent)
    {
        if (x == 0.0 || double.IsNaN(x) || double.IsInfinity(x))
        {
            exponent = 0;
            return x;
        }
        exponent = Math.ILogB(x) + 1;
        return Math.ScaleB(x, -exponent);
    }

    /// <summary>
    /// CalculateInputRadius(input_integer_bits, input_left_shift, total_signed_bits = 31): the largest input
    /// difference the fixed-point exp/logistic/tanh may see,
    /// floor((2^ib − 1) · 2^(tsb − ib) / 2^left_shift), computed in double as TFLite does.
    /// </summary>
    public static int CalculateInputRadius(int inputIntegerBits, int inputLeftShift, int totalSignedBits = 31)
    {
        if (inputIntegerBits < 0 || inputIntegerBits > 30 || inputLeftShift < 0 || inputLeftShift > 62
            || totalSignedBits - inputIntegerBits < 0 || totalSignedBits - inputIntegerBits > 62)
            throw new ArgumentOutOfRangeException(nameof(inputLeftShift), "input radius arguments out of range");
        double maxInputRescaled = 1.0 * ((1 << inputIntegerBits) - 1)
                                  * (double)(1L << (totalSignedBits - inputIntegerBits))
                                  / (double)(1L << inputLeftShift);
        return (int)Math.Floor(maxInputRescaled);
    }

    /// <summary>
    /// PreprocessSoftmaxScaling(beta, input_scale, input_integer_bits): the multiplier that turns a
    /// difference of int8 inputs into a Q(ib).(31 − ib) number scaled by beta,
    /// <code>
    /// real = min(beta · input_scale · 2^(31 − ib), 2^31 − 1)       (doubles, multiplied left to right)
    /// (m, left_shift) = QuantizeMultiplierGreaterThanOne(real)
    /// </code>
    /// </summary>
    public static void PreprocessSoftmaxScaling(double beta, double inputScale, int inputIntegerBits,
        out int multiplier, out int leftShift)
    {
        const double maxRealMultiplier = (1L << 31) - 1.0;
        double real = Math.Min(beta * inputScale * (1 << (31 - inputIntegerBits)), maxRealMultiplier);
        QuantizeMultiplierGreaterThanOne(real, out multiplier, out leftShift);
    }
}
