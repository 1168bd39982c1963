#nullable enable
using System.Buffers.Binary;
using Micro.Tooling.TFLite;
using static Micro.Tooling.Tests.TFLite.Reference.Gemmlowp;
using Op = Micro.Tooling.TFLite.TfliteSchema.Op;

namespace Micro.Tooling.Tests.TFLite.Reference;

/// <summary>
/// A slow, direct re-statement of TFLite Micro's int8 reference kernels (conv.h, depthwise_conv.h,
/// fully_connected.h, pooling.h, add.h, softmax.h, logistic.h, tanh.h, pad.h, concatenation.h,
/// reduce.h QuantizedMeanOrSum, requantize) interpreting a <see cref="TfliteModel"/> directly, with the
/// integer parameters from <see cref="TflmParams"/>. It exists to localise disagreements: if it matches
/// TFLM's recorded outputs, the parameters are right and any difference from Micro.Runtime is a kernel's;
/// its intermediate tensors then name the operator and element where the runtime first departs.
/// Float model edges (QUANTIZE from / DEQUANTIZE to float) are skipped like the importer skips them.
/// </summary>
internal sealed partial class TflmReference : TflmReferenceModel
{
    public TflmReference(TfliteModel model) : base(model) { }

    /// <summary>Runs one sample; returns every int8 activation tensor computed (by TFLite tensor index).</summary>
    public Dictionary<int, sbyte[]> Run(int inputTensor, sbyte[] input)
    {
        var v = new Dictionary<int, sbyte[]> { [inputTensor] = input };
        foreach (TfliteOperator op in _sg.Operators)
        {
            int code = _m.OperatorCodes[op.OpcodeIndex].BuiltinCode;
            if (code == Op.Dequantize || (code == Op.Quantize && _sg.Tensors[op.Inputs[0]].Type == TfliteTensorType.Float32))
                continue;
            v[op.Outputs[0]] = Eval(op, code, v);
        }
        return v;
    }

    private readonly Dictionary<int, sbyte[]> _weights = new();

    private sbyte[] Weights(int i)
    {
        if (!_weights.TryGetValue(i, out sbyte[]? w))
        {
            ReadOnlySpan<byte> d = Data(i);
            w = new sbyte[d.Length];
            for (int k = 0; k < w.Length; k++) w[k] = unchecked((sbyte)d[k]);
            _weights[i] = w;
        }
        return w;
    }

    private int[]? Bias(TfliteOperator op)
    {
        if (op.Inputs.Length < 3 || op.Inputs[2] < 0) return null;
        ReadOnlySpan<byte> d = Data(op.Inputs[2]);
        var b = new int[d.Length / 4];
        for (int i = 0; i < b.Length; i++) b[i] = BinaryPrimitives.ReadInt32LittleEndian(d.Slice(4 * i));
        return b;
    }

    private static sbyte Clamp(int v, int lo, int hi) => (sbyte)Math.Min(Math.Max(v, lo), hi);

    private sbyte[] Eval(TfliteOperator op, int code, Dictionary<int, sbyte[]> v)
    {
        int xi = op.Inputs[0], yi = op.Outputs[0];
        sbyte[] x = v[xi];
        var y = new sbyte[T(yi).ElementCount];
        switch (code)
        {
            case Op.FullyConnected: FullyConnected(op, x, y); break;
            case Op.Conv2D: Conv(op, x, y, false); break;
            case Op.DepthwiseConv2D: Conv(op, x, y, true); break;
            case Op.AveragePool2D: Pool(op, x, y, true); break;
            case Op.MaxPool2D: Pool(op, x, y, false); break;
            case Op.Reshape: Array.Copy(x, y, y.Length); break;
            case Op.Softmax: Softmax(op, x, y); break;
            case Op.Add when !SameShapes(op): BroadcastAddSub(op, +1, v, y); break;
            case Op.Add: Add(op, x, v[op.Inputs[1]], y); break;
            case Op.Sub: BroadcastAddSub(op, -1, v, y); break;
            case Op.Mul: BroadcastMul(op, v, y); break;
            case Op.HardSwish: HardSwish(op, x, y); break;
            case Op.Logistic:
            case Op.Tanh: LogisticTanh(code == Op.Logistic, xi, x, y); break;
            case Op.Pad: Pad(op, x, y); break;
            case Op.Concatenation: Concat(op, v, y); break;
            case Op.Mean: Mean(op, x, y); break;
            case Op.Quantize:
                {
                    var (m, s) = TflmParams.Rescale(S(xi), S(yi), "ref");
                    for (int i = 0; i < y.Length; i++) y[i] = Clamp(Mbqm(x[i] - Zp(xi), m, s) + Zp(yi), -128, 127);
                    break;
                }
            case Op.ResizeNearestNeighbor: ResizeNearestNeighbor(op, x, y); break;
            case Op.Transpose: Transpose(op, x, y); break;
            case Op.StridedSlice: StridedSlice(op, x, y); break;
            case Op.Slice: Slice(op, x, y); break;
            default: throw new NotSupportedException(TfliteSchema.OperatorName(code));
        }
        return y;
    }

    private void FullyConnected(TfliteOperator op, sbyte[] x, sbyte[] y)
    {
        int xi = op.Inputs[0], wi = op.Inputs[1], yi = op.Outputs[0];
        var o = op.Options as FullyConnectedOptions ?? new FullyConnectedOptions(TfliteActivation.None, 0, false, false);
        int m = T(wi).Shape[0], k = T(wi).Shape[1];
        int batches = y.Length / m;
        int[]? bias = Bias(op);
        float[] ws = T(wi).Quantization!.Scale;
        int[] mult, shift;
        if (ws.Length > 1) (mult, shift) = TflmParams.PerChannelMultipliers(S(xi), ws, S(yi), m, "ref");
        else
        {
            float? bs = bias == null ? null : (T(op.Inputs[2]).Quantization?.Scale[0] ?? 0f);
            var (m1, s1) = TflmParams.FullyConnectedMultiplier(S(xi), ws[0], bs, S(yi), "ref");
            mult = Enumerable.Repeat(m1, m).ToArray();
            shift = Enumerable.Repeat(s1, m).ToArray();
        }
        var (lo, hi) = TflmParams.ActivationRange(o.Activation, S(yi), Zp(yi));
        int xOff = -Zp(xi);
        sbyte[] wt = Weights(wi);
        for (int b = 0; b < batches; b++)
        {
            for (int c = 0; c < m; c++)
            {
                int acc = 0;
                for (int d = 0; d < k; d++) acc += wt[c * k + d] * (x[b * k + d] + xOff);
                if (bias != null) acc += bias[c];
                acc = Mbqm(acc, mult[c], shift[c]) + Zp(yi);
                y[b * m + c] = Clamp(acc, lo, hi);
            }
        }
    }

    /// <summary>Padding, strides, dilations and activation of a CONV_2D or DEPTHWISE_CONV_2D (int8 and 16x8 references).</summary>
    internal static (TflitePadding Padding, int StrideW, int StrideH, int DilationW, int DilationH, TfliteActivation Activation) ConvOptions(TfliteOperator op, bool depthwise)
    {
        if (depthwise)
        {
            var o = (DepthwiseConv2DOptions)op.Options!;
            return (o.Padding, o.StrideW, o.StrideH, o.DilationW, o.DilationH, o.Activation);
        }
        var c = (Conv2DOptions)op.Options!;
        return (c.Padding, c.StrideW, c.StrideH, c.DilationW, c.DilationH, c.Activation);
    }

    private void Conv(TfliteOperator op, sbyte[] x, sbyte[] y, bool depthwise)
    {
        int xi = op.Inputs[0], wi = op.Inputs[1], yi = op.Outputs[0];
        int[] xs = T(xi).Shape, ws = T(wi).Shape, ys = T(yi).Shape;
        var (padding, sw, sh, dw, dh, act) = ConvOptions(op, depthwise);
        int n = xs[0], h = xs[1], w = xs[2], cin = xs[3];
        int kh = ws[1], kw = ws[2];
        int ho = ys[1], wo = ys[2], cout = ys[3];
        int padH = TflmParams.Padding(padding, h, kh, sh, dh, "ref").PadBefore;
        int padW = TflmParams.Padding(padding, w, kw, sw, dw, "ref").PadBefore;
        var (mult, shift) = TflmParams.PerChannelMultipliers(S(xi), T(wi).Quantization!.Scale, S(yi), cout, "ref");
        var (lo, hi) = TflmParams.ActivationRange(act, S(yi), Zp(yi));
        int[]? bias = Bias(op);
        int xOff = -Zp(xi), yZp = Zp(yi);
        int dm = depthwise ? cout / cin : 1;
        sbyte[] wt = Weights(wi);
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < ho; oy++)
                for (int ox = 0; ox < wo; ox++)
                    for (int oc = 0; oc < cout; oc++)
                    {
                        int acc = 0;
                        for (int fy = 0; fy < kh; fy++)
                        {
                            int iy = oy * sh - padH + dh * fy;
                            for (int fx = 0; fx < kw; fx++)
                            {
                                int ix = ox * sw - padW + dw * fx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                if (depthwise)
                                {
                                    int ic = oc / dm;
                                    acc += wt[(fy * kw + fx) * cout + oc] * (x[((b * h + iy) * w + ix) * cin + ic] + xOff);
                                }
                                else
                                {
                                    // conv.h: groups = input depth / filter depth; output oc reads group oc / (cout / groups).
                                    int fd = ws[3], g = oc / (cout / (cin / fd));
                                    for (int ic = 0; ic < fd; ic++)
                                        acc += wt[((oc * kh + fy) * kw + fx) * fd + ic] * (x[((b * h + iy) * w + ix) * cin + g * fd + ic] + xOff);
                                }
                            }
                        }
                        if (bias != null) acc += bias[oc];
                        acc = Mbqm(acc, mult[oc], shift[oc]) + yZp;
                        y[((b * ho + oy) * wo + ox) * cout + oc] = Clamp(acc, lo, hi);
                    }
    }

    private void Pool(TfliteOperator op, sbyte[] x, sbyte[] y, bool average)
    {
        int xi = op.Inputs[0], yi = op.Outputs[0];
        var o = (Pool2DOptions)op.Options!;
        int[] xs = T(xi).Shape, ys = T(yi).Shape;
        int n = xs[0], h = xs[1], w = xs[2], c = xs[3], ho = ys[1], wo = ys[2];
        int padH = TflmParams.Padding(o.Padding, h, o.FilterH, o.StrideH, 1, "ref").PadBefore;
        int padW = TflmParams.Padding(o.Padding, w, o.FilterW, o.StrideW, 1, "ref").PadBefore;
        var (lo, hi) = TflmParams.ActivationRange(o.Activation, S(yi), Zp(yi));
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < ho; oy++)
                for (int ox = 0; ox < wo; ox++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        int x0 = ox * o.StrideW - padW, y0 = oy * o.StrideH - padH;
                        int fxs = Math.Max(0, -x0), fxe = Math.Min(o.FilterW, w - x0);
                        int fys = Math.Max(0, -y0), fye = Math.Min(o.FilterH, h - y0);
                        int acc = average ? 0 : -128, count = 0;
                        for (int fy = fys; fy < fye; fy++)
                            for (int fx = fxs; fx < fxe; fx++)
                            {
                                int val = x[((b * h + y0 + fy) * w + x0 + fx) * c + ch];
                                if (average) acc += val; else acc = Math.Max(acc, val);
                                count++;
                            }
                        if (average) acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                        y[((b * ho + oy) * wo + ox) * c + ch] = Clamp(acc, lo, hi);
                    }
    }

    private void Softmax(TfliteOperator op, sbyte[] x, sbyte[] y)
    {
        int xi = op.Inputs[0], yi = op.Outputs[0];
        var (mult, leftShift, diffMin) = TflmParams.Softmax(((SoftmaxOptions)op.Options!).Beta, S(xi), S(yi), Zp(yi), "ref");
        int depth = T(xi).Shape[^1];
        for (int row = 0; row < x.Length / depth; row++)
        {
            int max = -128;
            for (int c = 0; c < depth; c++) max = Math.Max(max, x[row * depth + c]);
            int sum = 0; // Q12.19
            for (int c = 0; c < depth; c++)
            {
                int diff = x[row * depth + c] - max;
                if (diff >= diffMin)
                    sum = unchecked(sum + Rescale(ExpOnNegativeValues(Mbqm(diff, mult, leftShift), 5), 0, 12));
            }
            int shiftedScale = GetReciprocal(sum, 12, out int bitsOverUnit);
            int exponent = bitsOverUnit + 31 - 8;
            for (int c = 0; c < depth; c++)
            {
                int diff = x[row * depth + c] - max;
                if (diff >= diffMin)
                {
                    int e = ExpOnNegativeValues(Mbqm(diff, mult, leftShift), 5);
                    int unsat = Rdbpot(Srdhm(shiftedScale, e), exponent);
                    y[row * depth + c] = Clamp(unsat - 128, -128, 127);
                }
                else
                {
                    y[row * depth + c] = -128;
                }
            }
        }
    }

    private void Add(TfliteOperator op, sbyte[] a, sbyte[] b, sbyte[] y)
    {
        int ai = op.Inputs[0], bi = op.Inputs[1], yi = op.Outputs[0];
        var p = TflmParams.Add(S(ai), S(bi), S(yi), "ref");
        var act = (op.Options as AddOptions)?.Activation ?? TfliteActivation.None;
        var (lo, hi) = TflmParams.ActivationRange(act, S(yi), Zp(yi));
        for (int i = 0; i < y.Length; i++)
        {
            int a1 = (a[i] - Zp(ai)) * (1 << p.LeftShift);
            int b1 = (b[i] - Zp(bi)) * (1 << p.LeftShift);
            int sa = Mbqm(a1, p.Input1.Multiplier, p.Input1.Shift);
            int sb = Mbqm(b1, p.Input2.Multiplier, p.Input2.Shift);
            int r = Mbqm(sa + sb, p.Output.Multiplier, p.Output.Shift) + Zp(yi);
            y[i] = Clamp(r, lo, hi);
        }
    }

    private void LogisticTanh(bool logistic, int xi, sbyte[] x, sbyte[] y)
    {
        var (mult, shift, radius) = TflmParams.LogisticOrTanh(S(xi), "ref");
        for (int i = 0; i < y.Length; i++)
        {
            int v = x[i] - Zp(xi);
            if (v <= -radius) { y[i] = -128; continue; }
            if (v >= radius) { y[i] = 127; continue; }
            int q4 = Mbqm(v, mult, shift);
            y[i] = logistic
                ? Clamp(Rdbpot(Gemmlowp.Logistic(q4, 4), 23) - 128, -128, 127)
                : Clamp(Rdbpot(Gemmlowp.Tanh(q4, 4), 24), -128, 127);
        }
    }

    private void Pad(TfliteOperator op, sbyte[] x, sbyte[] y)
    {
        int xi = op.Inputs[0], yi = op.Outputs[0];
        ReadOnlySpan<byte> pd = Data(op.Inputs[1]);
        int[] xs = T(xi).Shape, ys = T(yi).Shape;
        int rank = xs.Length;
        Array.Fill(y, (sbyte)Zp(yi));
        var idx = new int[rank];
        for (int i = 0; i < x.Length; i++)
        {
            int rem = i, flat = 0;
            for (int d = rank - 1; d >= 0; d--) { idx[d] = rem % xs[d]; rem /= xs[d]; }
            for (int d = 0; d < rank; d++) flat = flat * ys[d] + idx[d] + BinaryPrimitives.ReadInt32LittleEndian(pd.Slice(8 * d));
            y[flat] = x[i];
        }
    }

    private void Concat(TfliteOperator op, Dictionary<int, sbyte[]> v, sbyte[] y)
    {
        int yi = op.Outputs[0];
        int[] ys = T(yi).Shape;
        int axis = ((ConcatenationOptions?)op.Options)?.Axis ?? 0;
        if (axis < 0) axis += ys.Length;
        int outer = 1, inner = 1;
        for (int d = 0; d < axis; d++) outer *= ys[d];
        for (int d = axis + 1; d < ys.Length; d++) inner *= ys[d];
        int p = 0;
        for (int o = 0; o < outer; o++)
        {
            foreach (int xi in op.Inputs)
            {
                int chunk = T(xi).Shape[axis] * inner;
                Array.Copy(v[xi], o * chunk, y, p, chunk);
                p += chunk;
            }
        }
    }

    private void Mean(TfliteOperator op, sbyte[] x, sbyte[] y)
    {
        int xi = op.Inputs[0], yi = op.Outputs[0];
        int[] xs = T(xi).Shape;
        int n = xs[0], c = xs[^1];
        int spatial = x.Length / (n * c);
        var (m, s) = TflmParams.MeanMultiplier(S(xi), S(yi), spatial, "ref");
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
            {
                int sum = 0;
                for (int i = 0; i < spatial; i++) sum += x[(b * spatial + i) * c + ch];
                y[b * c + ch] = Clamp(Mbqm(sum - Zp(xi) * spatial, m, s) + Zp(yi), -128, 127);
            }
    }
}
