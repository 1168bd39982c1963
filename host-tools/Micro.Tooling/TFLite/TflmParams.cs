using Micro.Tooling.Quantization;

namespace Micro.Tooling.TFLite;

/// <summary>
/// The integer parameters TensorFlow Lite Micro derives for each int8 operator in its Prepare step
/// (tensorflow/tflite-micro at 90b983c, the build that produced the conformance vectors), reproduced
/// operation for operation. Where TFLite computes in float32 before widening to double, so does this code:
/// the last bit of a multiplier depends on it. Any condition under which TFLM refuses the model
/// (TF_LITE_ENSURE / TFLITE_CHECK) throws <see cref="TfliteImportException"/> here.
/// </summary>
public static class TflmParams
{
    public const int Int8Min = sbyte.MinValue, Int8Max = sbyte.MaxValue;

    /// <summary>
    /// CalculateActivationRangeQuantized (kernel_util.cc): the clamp range of a fused activation in the
    /// output's quantized domain, with Quantize(f) = zp + (int)round_half_away(f / scale) evaluated in float32.
    /// <code>
    /// NONE          → [qmin, qmax]
    /// RELU          → [max(qmin, Q(0)), qmax]
    /// RELU6         → [max(qmin, Q(0)), min(qmax, Q(6))]
    /// RELU_N1_TO_1  → [max(qmin, Q(−1)), min(qmax, Q(1))]
    /// </code>
    /// TFLM silently treats TANH and SIGN_BIT as NONE for integer kernels; such a model does not compute
    /// what its float original did, so this importer refuses it.
    /// </summary>
    public static (int Min, int Max) ActivationRange(TfliteActivation activation, float outputScale, int outputZeroPoint,
        int qmin = Int8Min, int qmax = Int8Max)
    {
        switch (activation)
        {
            case TfliteActivation.None:
                return (qmin, qmax);
            case TfliteActivation.Relu:
                return (Math.Max(qmin, QuantizeScalar(0f, outputScale, outputZeroPoint)), qmax);
            case TfliteActivation.Relu6:
                return (Math.Max(qmin, QuantizeScalar(0f, outputScale, outputZeroPoint)),
                        Math.Min(qmax, QuantizeScalar(6f, outputScale, outputZeroPoint)));
            case TfliteActivation.ReluN1To1:
                return (Math.Max(qmin, QuantizeScalar(-1f, outputScale, outputZeroPoint)),
                        Math.Min(qmax, QuantizeScalar(1f, outputScale, outputZeroPoint)));
            default:
                throw new TfliteImportException($"fused activation {activation} is not supported on integer operators (TFLM ignores it, which changes the model's meaning)");
        }
    }

    /// <summary>
    /// kernel_util.h Quantize(scale, zero_point, f): tmp = round_half_away(f / scale) in float32; TFLM
    /// refuses values outside int32; q = zero_point + (int)tmp.
    /// </summary>
    public static int QuantizeScalar(float f, float scale, int zeroPoint)
    {
        float tmp = MathF.Round(f / scale, MidpointRounding.AwayFromZero);
        // (float)int.MaxValue is 2^31; a value that large would overflow the int cast.
        if (!(tmp >= int.MinValue && tmp < 2147483648f))
            throw new TfliteImportException($"activation bound {f} / scale {scale} does not fit in int32");
        long q = zeroPoint + (long)tmp;
        return (int)Math.Clamp(q, int.MinValue, int.MaxValue);
    }

    /// <summary>
    /// PopulateConvolutionQuantizationParams (kernel_util.cc), used by CONV_2D, DEPTHWISE_CONV_2D and by
    /// per-channel FULLY_CONNECTED: one multiplier per output channel,
    /// <code>
    /// effective[c] = (double)input_scale · (double)filter_scale[c or 0] / (double)output_scale
    /// (m[c], shift[c]) = QuantizeMultiplier(effective[c])
    /// </code>
    /// A per-tensor filter scale is broadcast to every channel; a per-channel filter must have exactly
    /// <paramref name="channels"/> scales.
    /// </summary>
    public static (int[] Multipliers, int[] Shifts) PerChannelMultipliers(float inputScale, float[] filterScales,
        float outputScale, int channels, string where)
    {
        bool perChannel = filterScales.Length > 1;
        if (perChannel && filterScales.Length != channels)
            throw new TfliteImportException($"{where}: filter has {filterScales.Length} scales for {channels} output channels");
        var m = new int[channels];
        var s = new int[channels];
        for (int c = 0; c < channels; c++)
        {
            float scale = perChannel ? filterScales[c] : filterScales[0];
            double effective = (double)inputScale * (double)scale / (double)outputScale;
            Quantize(effective, out m[c], out s[c], where);
        }
        return (m, s);
    }

    /// <summary>
    /// Per-tensor FULLY_CONNECTED (fully_connected_common.cc → GetQuantizedConvolutionMultipler). First the
    /// bias check, with the product in double:
    /// <code>
    /// |(double)input_scale · (double)filter_scale − (double)bias_scale| / (double)output_scale ≤ 0.02
    /// </code>
    /// (bias_scale is 0 for an unquantized bias); then the multiplier, with the product in FLOAT32:
    /// <code>
    /// real = (double)(input_scale · filter_scale) / (double)output_scale
    /// (m, shift) = QuantizeMultiplier(real)
    /// </code>
    /// </summary>
    public static (int Multiplier, int Shift) FullyConnectedMultiplier(float inputScale, float filterScale,
        float? biasScale, float outputScale, string where)
    {
        if (biasScale is float bs)
        {
            double inputProductScale = (double)inputScale * (double)filterScale;
            double scaleDiff = Math.Abs(inputProductScale - (double)bs);
            if (!(scaleDiff / (double)outputScale <= 0.02))
                throw new TfliteImportException($"{where}: bias scale {bs:G9} is not input scale × filter scale ({inputProductScale:G9}); TFLM refuses this");
        }
        float productF32 = inputScale * filterScale;
        double productScale = productF32;
        if (!(productScale >= 0))
            throw new TfliteImportException($"{where}: input scale × filter scale is negative or not a number");
        double real = productScale / (double)outputScale;
        Quantize(real, out int m, out int s, where);
        return (m, s);
    }

    /// <summary>
    /// ADD (add_common.cc): both inputs are rescaled to a common scale with left_shift bits of headroom (20 for int8, 15 for int16),
    /// <code>
    /// left_shift = 20 (int8) or 15 (int16)
    /// twice_max = 2 · (double)max(s1, s2)                (max taken in float32)
    /// real1 = (double)s1 / twice_max,  real2 = (double)s2 / twice_max
    /// real_out = twice_max / (2^left_shift · (double)s_out)
    /// each → QuantizeMultiplierSmallerThanOneExp (TFLM aborts unless 0 &lt; real &lt; 1)
    /// </code>
    /// </summary>
    public static AddQuantParams Add(float scale1, float scale2, float outputScale, string where, int leftShift = 20)
    {
        double twiceMax = 2 * (double)Math.Max(scale1, scale2);
        double real1 = (double)scale1 / twiceMax;
        double real2 = (double)scale2 / twiceMax;
        double realOut = twiceMax / ((1 << leftShift) * (double)outputScale);
        return new AddQuantParams(leftShift,
            SmallerThanOne(real1, where + " input 1"),
            SmallerThanOne(real2, where + " input 2"),
            SmallerThanOne(realOut, where + " output"));
    }

    /// <summary>
    /// SOFTMAX (softmax_common.cc, int8 → int8). TFLM requires output zero point −128 and scale exactly
    /// 1/256. With kScaledDiffIntegerBits = 5:
    /// <code>
    /// (input_multiplier, input_left_shift) = PreprocessSoftmaxScaling(beta, input_scale, 5)
    ///     = QuantizeMultiplierGreaterThanOne(min(beta · input_scale · 2^26, 2^31 − 1))
    /// diff_min = −CalculateInputRadius(5, input_left_shift) = −floor(31 · 2^26 / 2^input_left_shift)
    /// </code>
    /// </summary>
    public static (int InputMultiplier, int InputLeftShift, int DiffMin) Softmax(float beta, float inputScale,
        float outputScale, int outputZeroPoint, string where)
    {
        if (outputZeroPoint != -128 || outputScale != 1f / 256)
            throw new TfliteImportException($"{where}: int8 SOFTMAX output must have zero point -128 and scale 1/256 (has {outputZeroPoint}, {outputScale:G9})");
        const int scaledDiffIntegerBits = 5;
        double real = Math.Min((double)beta * (double)inputScale * (1 << (31 - scaledDiffIntegerBits)), (1L << 31) - 1.0);
        if (!(real > 1.0))
            throw new TfliteImportException($"{where}: beta × input scale × 2^26 = {real:G9} must exceed 1 (TFLM aborts otherwise)");
        FixedPointMultiplier.PreprocessSoftmaxScaling(beta, inputScale, scaledDiffIntegerBits, out int m, out int shift);
        CheckShift(shift, 0, 31, where);
        int diffMin = (int)(-1.0 * FixedPointMultiplier.CalculateInputRadius(scaledDiffIntegerBits, shift));
        return (m, shift, diffMin);
    }

    /// <summary>
    /// LOGISTIC and TANH (logistic_common.cc, tanh.cc, int8), with kInputIntegerBits = 4:
    /// <code>
    /// real = (double)input_scale · 2^27
    /// (q, input_left_shift) = frexp(real)
    /// input_multiplier = (int32)round_half_away(q · 2^31)        (no q == 1 correction here, unlike QuantizeMultiplier)
    /// input_range_radius = CalculateInputRadius(4, input_left_shift, 31) = floor(15 · 2^27 / 2^input_left_shift)
    /// </code>
    /// LOGISTIC's output must be zero point −128 (TFLM checks) and scale 1/256, TANH's zero point 0 and
    /// scale 1/128 (the blob format requires what the kernels assume).
    /// </summary>
    public static (int InputMultiplier, int InputLeftShift, int InputRangeRadius) LogisticOrTanh(float inputScale, string where)
    {
        const int inputIntegerBits = 4;
        double real = (double)inputScale * (double)(1 << (31 - inputIntegerBits));
        double q = FixedPointMultiplier.Frexp(real, out int leftShift);
        double rounded = Math.Round(q * (1L << 31), MidpointRounding.AwayFromZero);
        if (rounded >= 2147483648.0)
            throw new TfliteImportException($"{where}: input scale {inputScale:G9} rounds its multiplier to 2^31, which TFLM's int32 cast cannot hold");
        CheckShift(leftShift, 0, 31, where);
        int radius = FixedPointMultiplier.CalculateInputRadius(inputIntegerBits, leftShift, 31);
        return ((int)rounded, leftShift, radius);
    }

    /// <summary>
    /// QUANTIZE int8 → int8 / int16 (quantize_common.cc) and the plain rescale of MEAN (reduce_common.cc):
    /// <code>
    /// (m, shift) = QuantizeMultiplier((double)input_scale / (double)output_scale)
    /// </code>
    /// </summary>
    public static (int Multiplier, int Shift) Rescale(float inputScale, float outputScale, string where)
    {
        double real = (double)inputScale / (double)outputScale;
        Quantize(real, out int m, out int s, where);
        return (m, s);
    }

    /// <summary>
    /// MEAN over axes (reference QuantizedMeanOrSum, which TFLM's int8 MEAN always uses): the rescale
    /// (m, shift) of <see cref="Rescale"/> gets 1/N folded in with integer arithmetic at run time,
    /// <code>
    /// k = min(floor(log2 N), 32, 31 + shift)
    /// m' = (int32)(((int64)m &lt;&lt; k) / N)       (truncating division)
    /// shift' = shift − k
    /// out = clamp(MultiplyByQuantizedMultiplier(Σx − x_zp · N, m', shift') + y_zp, −128, 127)
    /// </code>
    /// Returns (m', shift').
    /// </summary>
    public static (int Multiplier, int Shift) MeanMultiplier(float inputScale, float outputScale, long elementsInAxis, string where)
    {
        if (elementsInAxis <= 0) throw new TfliteImportException($"{where}: MEAN over an empty axis");
        (int m, int shift) = Rescale(inputScale, outputScale, where);
        int k = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)elementsInAxis);
        k = Math.Min(k, 32);
        k = Math.Min(k, 31 + shift);
        int folded = (int)(((long)m << k) / elementsInAxis);
        return (folded, shift - k);
    }

    /// <summary>
    /// Pooling (pooling_common.cc): input and output must share the quantization,
    /// |s_in − s_out| (float32 subtraction) ≤ 1e-6 and equal zero points; TFLM refuses the model otherwise.
    /// </summary>
    public static void CheckSameQuantization(float inScale, int inZp, float outScale, int outZp, string where)
    {
        double diff = Math.Abs(inScale - outScale);
        if (!(diff <= 1.0e-6) || inZp != outZp)
            throw new TfliteImportException($"{where}: input and output quantization differ (scale {inScale:G9} vs {outScale:G9}, zero point {inZp} vs {outZp}); TFLM requires them equal");
    }

    /// <summary>
    /// SAME/VALID output size and leading padding (tensorflow/lite/kernels/padding.h), per spatial axis:
    /// <code>
    /// effective_filter = (filter − 1) · dilation + 1
    /// out = SAME ? (in + stride − 1) / stride : (in + stride − effective_filter) / stride
    /// total = max(0, (out − 1) · stride + effective_filter − in)
    /// pad_before = total / 2        (the odd remainder goes after, TFLM's "offset")
    /// </code>
    /// TFLM refuses stride, dilation or filter ≤ 0 and a negative output size.
    /// </summary>
    public static (int Out, int PadBefore, int PadAfter) Padding(TflitePadding padding, int inSize, int filterSize,
        int stride, int dilation, string where)
    {
        if (padding != TflitePadding.Same && padding != TflitePadding.Valid)
            throw new TfliteImportException($"{where}: unknown padding {(int)padding}");
        if (inSize < 0 || filterSize <= 0 || stride <= 0 || dilation <= 0)
            throw new TfliteImportException($"{where}: bad window (input {inSize}, filter {filterSize}, stride {stride}, dilation {dilation})");
        long effective = (long)(filterSize - 1) * dilation + 1;
        long outSize = padding == TflitePadding.Same
            ? ((long)inSize + stride - 1) / stride
            : ((long)inSize + stride - effective) / stride;
        if (outSize <= 0 || outSize > int.MaxValue)
            throw new TfliteImportException($"{where}: window (input {inSize}, filter {filterSize}, stride {stride}, dilation {dilation}) gives output size {outSize}");
        long total = Math.Max(0, (outSize - 1) * stride + effective - inSize);
        if (total / 2 > int.MaxValue) throw new TfliteImportException($"{where}: padding too large");
        return ((int)outSize, (int)(total / 2), (int)(total - total / 2));
    }

    // ---- MUL, HARD_SWISH (issue 13) ----

    /// <summary>MUL (mul_common.cc): QuantizeMultiplier(s1·s2 / s_out), in double.</summary>
    public static (int Multiplier, int Shift) Mul(float scale1, float scale2, float outputScale, string where)
    {
        double real = (double)scale1 * (double)scale2 / (double)outputScale;
        Quantize(real, out int m, out int s, where);
        if (s > 30) throw new TfliteImportException($"{where}: MUL rescale shift {s} exceeds 30 (output scale far below the inputs' product)");
        return (m, s);
    }

    /// <summary>HARD_SWISH (HardSwishPrepare): with hires = x_scale / 128 in float, the output multiplier
    /// hires / y_scale and the relu-ish multiplier hires / (3 / 32768), each QuantizeMultiplier'd and reduced to
    /// 16 bits (DownScaleInt32ToInt16Multiplier). TFLM requires the output exponent ≤ 0.</summary>
    public static (int ReluishMult, int ReluishExp, int OutputMult, int OutputExp) HardSwish(float inputScale, float outputScale, string where)
    {
        float hires = (1.0f / 128.0f) * inputScale;
        const float reluishScale = 3.0f / 32768.0f;
        float outReal = hires / outputScale;
        float reluReal = hires / reluishScale;
        Quantize(outReal, out int om, out int oe, where + " output");
        if (oe > 0) throw new TfliteImportException($"{where}: HARD_SWISH output exponent {oe} > 0 (output scale below input scale / 128; TFLM refuses it)");
        Quantize(reluReal, out int rm, out int re, where + " reluish");
        if (re > 15) throw new TfliteImportException($"{where}: HARD_SWISH relu-ish exponent {re} is beyond 15 (input scale above 380)");
        return (DownScaleToInt16(rm), re, DownScaleToInt16(om), oe);
    }

    /// <summary>A Q31 multiplier rounded to Q15, saturating at 32767 (DownScaleInt32ToInt16Multiplier).</summary>
    public static int DownScaleToInt16(int multiplier)
    {
        const int rounding = 1 << 15;
        if (multiplier >= int.MaxValue - rounding) return short.MaxValue;
        return (multiplier + rounding) >> 16;
    }

    private static FixedMultiplier SmallerThanOne(double real, string where)
    {
        if (!(real > 0.0 && real < 1.0))
            throw new TfliteImportException($"{where}: rescale factor {real:G9} must lie in (0, 1) (TFLM aborts otherwise)");
        FixedPointMultiplier.QuantizeMultiplierSmallerThanOne(real, out int m, out int s);
        return new FixedMultiplier(m, s);
    }

    private static void Quantize(double real, out int m, out int s, string where)
    {
        if (double.IsNaN(real) || double.IsInfinity(real) || real < 0)
            throw new TfliteImportException($"{where}: effective scale {real} is not a finite non-negative number");
        FixedPointMultiplier.QuantizeMultiplier(real, out m, out s);
        CheckShift(s, -31, 31, where);
    }

    private static void CheckShift(int shift, int min, int max, string where)
    {
        if (shift < min || shift > max)
            throw new TfliteImportException($"{where}: shift {shift} is outside {min}..{max}; the scales are out of any sensible range");
    }
}

/// <summary>A Q31 multiplier and TFLite's signed shift (left when positive).</summary>
public readonly record struct FixedMultiplier(int Multiplier, int Shift);

/// <summary>ADD's integer parameters (blob params 0–6).</summary>
public readonly record struct AddQuantParams(int LeftShift, FixedMultiplier Input1, FixedMultiplier Input2, FixedMultiplier Output);
