#nullable enable
using System.Buffers.Binary;
using Micro.Tooling.TFLite;
using static Micro.Tooling.Tests.TFLite.Reference.Gemmlowp;
using Op = Micro.Tooling.TFLite.TfliteSchema.Op;

namespace Micro.Tooling.Tests.TFLite.Reference;

/// <summary>
/// A slow, direct re-statement of TFLite Micro's 16×8 reference kernels, written from their documented
/// arithmetic and independent of Micro.Runtime: QUANTIZE (reference_ops::Requantize between int8 and int16),
/// FULLY_CONNECTED / CONV_2D / DEPTHWISE_CONV_2D with int16 input, int8 filter and int64 bias (64-bit
/// accumulator, the 64-bit MultiplyByQuantizedMultiplier), ADD of int16 (add.cc: the general path with
/// left_shift 15) and RESHAPE. Values are kept as plain ints, one per element; the integer parameters come from
/// <see cref="TflmParams"/> like <see cref="TflmReference"/>'s. Float model edges are skipped like the importer
/// skips them.
/// </summary>
internal sealed class TflmReference16 : TflmReferenceModel
{
    public TflmReference16(TfliteModel model) : base(model) { }

    /// <summary>Runs one sample (input values in its type's range); returns every activation computed, by TFLite tensor index.</summary>
    public Dictionary<int, int[]> Run(int inputTensor, int[] input)
    {
        var v = new Dictionary<int, int[]> { [inputTensor] = input };
        foreach (TfliteOperator op in _sg.Operators)
        {
            int code = _m.OperatorCodes[op.OpcodeIndex].BuiltinCode;
            if (code == Op.Dequantize || (code == Op.Quantize && T(op.Inputs[0]).Type == TfliteTensorType.Float32)) continue;
            v[op.Outputs[0]] = Eval(op, code, v);
        }
        return v;
    }

    /// <summary>The bytes a tensor's values occupy in memory: int8 one byte, int16 two little-endian.</summary>
    public byte[] Bytes(int tensor, int[] values)
    {
        if (T(tensor).Type == TfliteTensorType.Int8) return values.Select(x => unchecked((byte)(sbyte)x)).ToArray();
        var b = new byte[2 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(2 * i), checked((short)values[i]));
        return b;
    }

    private (int Lo, int Hi) TypeRange(int i) => T(i).Type == TfliteTensorType.Int16 ? (-32768, 32767) : (-128, 127);

    private sbyte[] Filter(int i) => Data(i).ToArray().Select(b => unchecked((sbyte)b)).ToArray();

    private long[]? Bias64(TfliteOperator op)
    {
        if (op.Inputs.Length < 3 || op.Inputs[2] < 0) return null;
        ReadOnlySpan<byte> d = Data(op.Inputs[2]);
        var b = new long[d.Length / 8];
        for (int i = 0; i < b.Length; i++) b[i] = BinaryPrimitives.ReadInt64LittleEndian(d.Slice(8 * i));
        return b;
    }

    /// <summary>
    /// TFLite's MultiplyByQuantizedMultiplier(int64 x, int32 m, int shift): m reduced to 16 bits with rounding
    /// (saturating at 0x7FFF), then (x · m16 + 2^(14 − shift)) >> (15 − shift).
    /// </summary>
    public static int Mbqm64(long x, int multiplier, int shift)
    {
        Assert.IsTrue(multiplier >= 0 && shift >= -31 && shift < 8, "TFLM DCHECKs these");
        long m16 = multiplier < 0x7FFF0000 ? (multiplier + (1L << 15)) >> 16 : 0x7FFF;
        int total = 15 - shift;
        long r = (x * m16 + (1L << (total - 1))) >> total;
        Assert.IsTrue(r >= int.MinValue && r <= int.MaxValue, "TFLM DCHECKs the result fits int32");
        return (int)r;
    }

    /// <summary>MultiplyByQuantizedMultiplierSmallerThanOneExp: RoundingDivideByPOT(SRDHM(x, m), −shift), shift ≤ 0.</summary>
    private static int MbqmSmallerThanOne(int x, int multiplier, int shift) => Rdbpot(Srdhm(x, multiplier), -shift);

    private static int Clamp(long v, int lo, int hi) => (int)Math.Min(Math.Max(v, lo), hi);

    private int[] Eval(TfliteOperator op, int code, Dictionary<int, int[]> v)
    {
        int xi = op.Inputs[0], yi = op.Outputs[0];
        int[] x = v[xi];
        var y = new int[T(yi).ElementCount];
        switch (code)
        {
            case Op.Quantize:
                {
                    // quantize_common.cc: QuantizeMultiplier((double)s_in / (double)s_out); Requantize.
                    var (m, s) = TflmParams.Rescale(S(xi), S(yi), "ref");
                    var (lo, hi) = TypeRange(yi);
                    for (int i = 0; i < y.Length; i++) y[i] = Clamp((long)Mbqm(x[i] - Zp(xi), m, s) + Zp(yi), lo, hi);
                    break;
                }
            case Op.FullyConnected: FullyConnected(op, x, y); break;
            case Op.Conv2D: Conv(op, x, y, depthwise: false); break;
            case Op.DepthwiseConv2D: Conv(op, x, y, depthwise: true); break;
            case Op.Add: Add(op, x, v[op.Inputs[1]], y); break;
            case Op.Reshape: Array.Copy(x, y, y.Length); break;
            default: throw new NotSupportedException(TfliteSchema.OperatorName(code));
        }
        return y;
    }

    private void FullyConnected(TfliteOperator op, int[] x, int[] y)
    {
        int xi = op.Inputs[0], wi = op.Inputs[1], yi = op.Outputs[0];
        var o = op.Options as FullyConnectedOptions ?? new FullyConnectedOptions(TfliteActivation.None, 0, false, false);
        int m = T(wi).Shape[0], k = T(wi).Shape[1];
        int batches = y.Length / m;
        long[]? bias = Bias64(op);
        float? bs = bias == null ? null : T(op.Inputs[2]).Quantization?.Scale[0];
        var (mult, shift) = TflmParams.FullyConnectedMultiplier(S(xi), T(wi).Quantization!.Scale[0], bs, S(yi), "ref");
        var (lo, hi) = TflmParams.ActivationRange(o.Activation, S(yi), 0, -32768, 32767);
        sbyte[] w = Filter(wi);
        for (int b = 0; b < batches; b++)
            for (int c = 0; c < m; c++)
            {
                long acc = 0;
                for (int d = 0; d < k; d++) acc += w[c * k + d] * x[b * k + d];
                if (bias != null) acc += bias[c];
                y[b * m + c] = Clamp(Mbqm64(acc, mult, shift), lo, hi);
            }
    }

    private void Conv(TfliteOperator op, int[] x, int[] y, bool depthwise)
    {
        int xi = op.Inputs[0], wi = op.Inputs[1], yi = op.Outputs[0];
        int[] xs = T(xi).Shape, ws = T(wi).Shape, ys = T(yi).Shape;
        var (padding, sw, sh, dw, dh, act) = TflmReference.ConvOptions(op, depthwise);
        int n = xs[0], h = xs[1], w = xs[2], cin = xs[3];
        int kh = ws[1], kw = ws[2];
        int ho = ys[1], wo = ys[2], cout = ys[3];
        int padH = TflmParams.Padding(padding, h, kh, sh, dh, "ref").PadBefore;
        int padW = TflmParams.Padding(padding, w, kw, sw, dw, "ref").PadBefore;
        var (mult, shift) = TflmParams.PerChannelMultipliers(S(xi), T(wi).Quantization!.Scale, S(yi), cout, "ref");
        var (lo, hi) = TflmParams.ActivationRange(act, S(yi), 0, -32768, 32767);
        long[]? bias = Bias64(op);
        int dm = depthwise ? cout / cin : 1;
        sbyte[] wt = Filter(wi);
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < ho; oy++)
                for (int ox = 0; ox < wo; ox++)
                    for (int oc = 0; oc < cout; oc++)
                    {
                        long acc = 0;
                        for (int fy = 0; fy < kh; fy++)
                        {
                            int iy = oy * sh - padH + dh * fy;
                            for (int fx = 0; fx < kw; fx++)
                            {
                                int ix = ox * sw - padW + dw * fx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                if (depthwise)
                                {
                                    acc += wt[(fy * kw + fx) * cout + oc] * x[((b * h + iy) * w + ix) * cin + oc / dm];
                                }
                                else
                                {
                                    int fd = ws[3], g = oc / (cout / (cin / fd));
                                    for (int ic = 0; ic < fd; ic++)
                                        acc += wt[((oc * kh + fy) * kw + fx) * fd + ic] * x[((b * h + iy) * w + ix) * cin + g * fd + ic];
                                }
                            }
                        }
                        if (bias != null) acc += bias[oc];
                        y[((b * ho + oy) * wo + ox) * cout + oc] = Clamp(Mbqm64(acc, mult[oc], shift[oc]), lo, hi);
                    }
    }

    /// <summary>add.cc for an int16 output: AddElementwise with left_shift 15, every rescale MBQM-smaller-than-one.</summary>
    private void Add(TfliteOperator op, int[] a, int[] b, int[] y)
    {
        int ai = op.Inputs[0], bi = op.Inputs[1], yi = op.Outputs[0];
        var o = op.Options as AddOptions ?? new AddOptions(TfliteActivation.None, true);
        var p = TflmParams.Add(S(ai), S(bi), S(yi), "ref", leftShift: 15);
        var (lo, hi) = TflmParams.ActivationRange(o.Activation, S(yi), 0, -32768, 32767);
        for (int i = 0; i < y.Length; i++)
        {
            int sa = MbqmSmallerThanOne((a[i] - Zp(ai)) * (1 << 15), p.Input1.Multiplier, p.Input1.Shift);
            int sb = MbqmSmallerThanOne((b[i] - Zp(bi)) * (1 << 15), p.Input2.Multiplier, p.Input2.Shift);
            int raw = MbqmSmallerThanOne(sa + sb, p.Output.Multiplier, p.Output.Shift) + Zp(yi);
            y[i] = Clamp(raw, lo, hi);
        }
    }
}
