using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Tooling.Calibration;
using Micro.Tooling.Graph;

namespace Micro.Tooling.Onnx;

public sealed record OnnxQuantizeOptions
{
    public string Name { get; init; } = "model";
    public string Version { get; init; } = "1";
    /// <summary>One weight scale per output channel (else one per layer).</summary>
    public bool PerChannelWeights { get; init; } = true;
    /// <summary>Output tensor names of the fully connected / convolution layers that run with int16
    /// activations (see <see cref="MixedPrecisionPlan"/>); empty = all int8.</summary>
    public IReadOnlyCollection<string> Int16Layers { get; init; } = Array.Empty<string>();
    /// <summary>Keep the first graph output in int16 (no QUANTIZE back to int8): its writer must be a marked layer
    /// in <see cref="Int16Layers"/>, or an int16-capable op after one (see <see cref="Micro.Tooling.Packing.MixedPrecision.OutputLayer"/>).</summary>
    public bool Int16Output { get; init; }
}

/// <summary>Turns a calibrated <see cref="FloatGraph"/> into a <see cref="QGraph"/> with TFLite's int8 scheme:
/// symmetric int8 weights (per output channel by default, or the scales a QDQ model gave), asymmetric int8
/// activations from the calibrated ranges, int32 biases at scale x_scale·w_scale, Q31 multipliers.
/// Tensors an op must not rescale (pools, pad, reshape, all inputs and the output of a concatenation) share
/// one set of parameters covering all their ranges; Logistic, Tanh and Softmax outputs get TFLite's fixed
/// parameters, and a table whose function bounds its output (HardSigmoid, Erf) gets that whole range, whatever
/// the calibration method; a QuantizeLinear/DequantizeLinear pair's scale is used as given.
/// Mixed precision (<see cref="OnnxQuantizeOptions.Int16Layers"/>): the marked layers and the int16-capable
/// ops between them (<see cref="MixedPrecisionPlan"/>) take TFLite's 16×8 scheme: symmetric int16
/// activations (zero point 0, scale max|x| / 32767 over the calibrated range), int8 weights, int64 biases at
/// x_scale·w_scale. A QUANTIZE op converts where an int8 tensor meets an int16 op or the other way round;
/// the converted copy carries the same name (it holds the same real values) and is listed after all other
/// tensors, so the first tensors keep the order of the all-int8 graph. Model inputs and outputs stay int8, except
/// the first output with <see cref="OnnxQuantizeOptions.Int16Output"/>.</summary>
public static class OnnxQuantizer
{
    public static QGraph Quantize(FloatGraph g, IReadOnlyDictionary<string, TensorRange> ranges, OnnxQuantizeOptions? options = null)
    {
        options ??= new OnnxQuantizeOptions();
        FloatGraphValidator.Validate(g);
        var (qp, sym16) = TensorParams(g, ranges);
        var plan = MixedPrecisionPlan.Build(g, options.Int16Layers, options.Int16Output);
        var q = new QGraph { Name = options.Name, Version = options.Version };
        var copies = new Dictionary<(QTensor, int), QTensor>();
        var copyTensors = new List<QTensor>();
        var floatName = new Dictionary<QTensor, string>();
        var tensors = new Dictionary<string, QTensor>(StringComparer.Ordinal);
        QTensor T(string name)
        {
            if (tensors.TryGetValue(name, out var t)) return t;
            var ft = g.Tensor(name);
            if (ft.Shape.Length is < 1 or > 4 || ft.Shape.Any(d => d < 1 || d > 65535))
                throw new OnnxUnsupportedException($"tensor '{name}' has shape {ShapeUtil.Format(ft.Shape)}; the runtime takes ranks 1–4 with dimensions up to 65535");
            var (s, z) = qp[name];
            t = plan.IsInt16(name) ? q.AddTensor(name, (int[])ft.Shape.Clone(), sym16[name], 0, DType.Int16)
                : q.AddTensor(name, (int[])ft.Shape.Clone(), s, z);
            tensors[name] = t;
            floatName[t] = name;
            return t;
        }
        // The tensor as an op that reads `dtype` needs it: itself, or a QUANTIZE'd copy made once, just before its first reader.
        QTensor As(QTensor t, int dtype)
        {
            if (t.DType == dtype) return t;
            if (copies.TryGetValue((t, dtype), out var c)) return c;
            string name = floatName[t];
            var (s, z) = dtype == DType.Int16 ? (sym16[name], 0) : qp[name];
            c = new QTensor(name, (int[])t.Shape.Clone(), s, z, dtype);
            var (cm, cs) = QuantMath.QuantizeMultiplier(t.Scale / (double)c.Scale);
            var conv = new QSimpleOp(OpCodes.Quantize, Micro.Runtime.Kernels.Quantize.Encode(cm, cs)) { Name = $"quantize '{name}' to {DType.Name(dtype)}" };
            conv.Inputs.Add(t);
            conv.Output = c;
            q.Ops.Add(conv);
            copies[(t, dtype)] = c;
            copyTensors.Add(c);
            floatName[c] = name;
            return c;
        }
        foreach (var i in g.Inputs) q.Inputs.Add(T(i.Tensor));
        foreach (var n in g.Nodes)
        {
            if (n is FakeQuantizeNode)
            {
                tensors[n.Output] = T(n.Inputs[0]); // same bytes, same parameters: no op
                continue;
            }
            int io = plan.RunsInt16(n) ? DType.Int16 : DType.Int8;
            var inputs = n.Inputs.Select(i => As(T(i), io)).ToList();
            var x = inputs[0];
            var y = T(n.Output);
            QOp op = n switch
            {
                FullyConnectedNode fc => FullyConnected(fc, x, y, options),
                ConvNode c => Conv(c, x, y, options),
                PoolNode p => Pool(p, y),
                MeanNode => MeanOp(x, y, n),
                AddNode => AddOp(x, inputs[1], y, n),
                ConcatNode cc => Simple(OpCodes.Concatenation, Concatenation.Encode(cc.Axis)),
                ReshapeNode => Simple(OpCodes.Reshape, Micro.Runtime.Kernels.Reshape.Encode()),
                PadNode pd => Simple(OpCodes.Pad, Pad.Encode(pd.Before, pd.After)),
                ActivationNode { Op: FloatOp.Logistic } => Sigmoid(OpCodes.Logistic, x),
                ActivationNode { Op: FloatOp.Tanh } => Sigmoid(OpCodes.Tanh, x),
                ActivationNode { Op: FloatOp.Clamp } => ReluOp(x, y, n),
                ActivationNode { Op: FloatOp.LeakyRelu } a => LeakyReluOp(a, x, y),
                SoftmaxNode sm => SoftmaxOp(sm, x),
                ChannelAffineNode af => Affine(af, x, y),
                BinaryNode bn => BinaryOp(bn, x, inputs[1], y),
                PointwiseNode pw => LutOp(pw, x, y),
                ResizeNearestNode rn => ResizeNearestOp(rn),
                StridedSliceNode sl => Simple(OpCodes.StridedSlice, Micro.Runtime.Kernels.StridedSlice.Encode(sl.Begin, sl.Stride)),
                TransposeNode tp => Simple(OpCodes.Transpose, Micro.Runtime.Kernels.Transpose.Encode(tp.Perm)),
                LayerNormNode ln => LayerNormOp(ln, x, y),
                _ => throw new OnnxUnsupportedException($"{n.Source}: {n.Op} has no int8 lowering"),
            };
            op.Name = n.Name;
            op.Inputs.AddRange(inputs);
            op.Output = y;
            q.Ops.Add(op);
        }
        for (int k = 0; k < g.Outputs.Count; k++)
            q.Outputs.Add(As(T(g.Outputs[k].Tensor), k == 0 && options.Int16Output ? DType.Int16 : DType.Int8));
        // Converted copies after every tensor of the all-int8 graph: tools that match blob tensors to the
        // float model by position (micro verify) still find the first ones where they were.
        q.Tensors.AddRange(copyTensors);
        return q;
    }

    // ------------------------------------------------------------------ tensor parameters

    /// <summary>Int8 (scale, zero point) of every tensor, and the symmetric int16 scale it takes when it runs in int16.</summary>
    private static (Dictionary<string, (float Scale, int Zp)> Int8, Dictionary<string, float> Int16) TensorParams(FloatGraph g, IReadOnlyDictionary<string, TensorRange> ranges)
    {
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        string Find(string a)
        {
            while (parent.TryGetValue(a, out var p) && p != a) a = p;
            return a;
        }
        void Union(string a, string b)
        {
            string ra = Find(a), rb = Find(b);
            if (ra != rb) parent[ra] = rb;
        }
        foreach (var t in g.Tensors.Keys) parent[t] = t;
        var fixedParams = new Dictionary<string, (float, int, string)>(StringComparer.Ordinal);
        foreach (var n in g.Nodes)
        {
            switch (n)
            {
                case PoolNode or PadNode or ReshapeNode or ResizeNearestNode or StridedSliceNode or TransposeNode:
                    Union(n.Inputs[0], n.Output);
                    break;
                case ConcatNode:
                    foreach (var i in n.Inputs) Union(i, n.Output);
                    break;
                case FakeQuantizeNode fq:
                    Union(n.Inputs[0], n.Output);
                    // ONNX's uint8 (0..255) becomes int8 with the same scale and the zero point moved by 128.
                    int zp = fq.QMin == 0 ? fq.ZeroPoint - 128 : fq.ZeroPoint;
                    if (fq.QMax - fq.QMin != 255 || zp < -128 || zp > 127)
                        throw new OnnxUnsupportedException($"{fq.Source}: only 8-bit QuantizeLinear/DequantizeLinear pairs are supported");
                    fixedParams[n.Output] = (fq.Scale, zp, fq.Source);
                    break;
                case ActivationNode { Op: FloatOp.Logistic }: fixedParams[n.Output] = (1f / 256, -128, n.Source); break;
                case ActivationNode { Op: FloatOp.Tanh }: fixedParams[n.Output] = (1f / 128, 0, n.Source); break;
                case SoftmaxNode: fixedParams[n.Output] = (1f / 256, -128, n.Source); break;
                case PointwiseNode { OutputRange: { } fr }:
                    var (frScale, frZp) = QuantMath.ChooseParams(fr.Min, fr.Max);
                    fixedParams[n.Output] = (frScale, frZp, n.Source);
                    break;
            }
        }
        var classRange = new Dictionary<string, (double Min, double Max)>(StringComparer.Ordinal);
        var classFixed = new Dictionary<string, (float, int, string)>(StringComparer.Ordinal);
        foreach (var t in g.Tensors.Keys)
        {
            string root = Find(t);
            if (ranges.TryGetValue(t, out var r))
                classRange[root] = classRange.TryGetValue(root, out var c) ? (Math.Min(c.Min, r.Min), Math.Max(c.Max, r.Max)) : (r.Min, r.Max);
            if (fixedParams.TryGetValue(t, out var f))
            {
                if (classFixed.TryGetValue(root, out var other) && (other.Item1 != f.Item1 || other.Item2 != f.Item2))
                    throw new OnnxUnsupportedException($"{f.Item3} and {other.Item3} need different quantization for tensors that must share it");
                classFixed[root] = f;
            }
        }
        var result = new Dictionary<string, (float, int)>(StringComparer.Ordinal);
        var sym16 = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var t in g.Tensors.Keys)
        {
            string root = Find(t);
            if (classFixed.TryGetValue(root, out var f)) result[t] = (f.Item1, f.Item2);
            else if (classRange.TryGetValue(root, out var r)) result[t] = QuantMath.ChooseParams(r.Min, r.Max);
            else throw new ArgumentException($"no calibrated range for tensor '{t}'");
            sym16[t] = classRange.TryGetValue(root, out var cr) ? QuantMath.SymmetricInt16Scale(cr.Min, cr.Max)
                : QuantMath.SymmetricInt16Scale(-128 * result[t].Item1, 127 * result[t].Item1);
        }
        return (result, sym16);
    }

    // ------------------------------------------------------------------ ops

    private static QSimpleOp Simple(int code, int[] prms) => new(code, prms);

    /// <summary>LAYER_NORM's integers (see the kernel): gamma in int16 at s_g = max|γ| / 32767, beta at s_g·2^−12,
    /// the requantization s_g·2^−12 / s_y, and ε in units of (s_x / C)².</summary>
    private static QTableOp LayerNormOp(LayerNormNode ln, QTensor x, QTensor y)
    {
        if (x.DType != DType.Int8) throw new OnnxUnsupportedException($"{ln.Source}: LayerNorm runs in int8 only");
        int c = ln.Gamma.Length;
        if (c > LayerNorm.MaxChannels) throw new OnnxUnsupportedException($"{ln.Source}: LayerNorm over {c} values; the runtime takes up to {LayerNorm.MaxChannels}");
        double gMax = ln.Gamma.Max(v => Math.Abs((double)v));
        double sg = gMax > 0 ? gMax / 32767 : 1;
        var gamma = ln.Gamma.Select(v => (int)Math.Clamp(QuantMath.Round(v / sg), -32767, 32767)).ToArray();
        double betaScale = sg / 4096;
        var beta = ln.Beta.Select(v => (int)Math.Clamp(QuantMath.Round(v / betaScale), int.MinValue, int.MaxValue)).ToArray();
        var (m, s) = QuantMath.QuantizeMultiplier(betaScale / y.Scale);
        if (s < -40 || s > 14)
            throw new OnnxUnsupportedException($"{ln.Source}: LayerNorm output scale {y.Scale:G3} is out of the kernel's range for gamma up to {gMax:G3}");
        double eps = Math.Round((double)c * c * ln.Epsilon / ((double)x.Scale * x.Scale));
        var (lo, hi) = ActRange(ln, y);
        var op = new QTableOp(OpCodes.LayerNorm, LayerNorm.Encode(0, 0, (int)Math.Min(eps, int.MaxValue), m, s, lo, hi));
        op.Tables.Add((LayerNorm.PGamma, gamma));
        op.Tables.Add((LayerNorm.PBeta, beta));
        return op;
    }

    private static QTableOp ResizeNearestOp(ResizeNearestNode rn)
    {
        var op = new QTableOp(OpCodes.ResizeNearest, ResizeNearest.Encode(0, 0));
        op.Tables.Add((ResizeNearest.PRows, rn.Rows));
        op.Tables.Add((ResizeNearest.PCols, rn.Cols));
        return op;
    }


    /// <summary>The fused clamp in y's quantized domain, within y's type (int8 or int16).</summary>
    private static (int Min, int Max) ActRange(FloatNode n, QTensor y) => y.DType == DType.Int16
        ? QuantMath.ActivationRange(n.ActMin, n.ActMax, y.Scale, 0, short.MinValue, short.MaxValue)
        : QuantMath.ActivationRange(n.ActMin, n.ActMax, y.Scale, y.ZeroPoint);

    /// <summary>MAX_POOL / AVERAGE_POOL; a 1-D pool is a 2-D one of kernel height 1.</summary>
    private static QSimpleOp Pool(PoolNode w, QTensor y)
    {
        var (lo, hi) = ActRange(w, y);
        int[] p = w.Is1D ? PoolGeometry.Encode(1, w.KernelW, 1, w.StrideW, 0, w.PadLeft, lo, hi)
                         : PoolGeometry.Encode(w.KernelH, w.KernelW, w.StrideH, w.StrideW, w.PadTop, w.PadLeft, lo, hi);
        return Simple(w.IsMax ? OpCodes.MaxPool : OpCodes.AveragePool, p);
    }

    private static QSimpleOp MeanOp(QTensor x, QTensor y, FloatNode n)
    {
        var (m, s) = QuantMath.QuantizeMultiplier(x.Scale / (double)y.Scale);
        var (lo, hi) = ActRange(n, y);
        return Simple(OpCodes.Mean, Mean.Encode(m, s, lo, hi));
    }

    private static QSimpleOp AddOp(QTensor a, QTensor b, QTensor y, FloatNode n)
    {
        int[] q = QuantMath.AddParams(a.Scale, b.Scale, y.Scale);
        var (lo, hi) = ActRange(n, y);
        return Simple(OpCodes.Add, Add.Encode(q[0], q[1], q[2], q[3], q[4], q[5], q[6], lo, hi));
    }

    /// <summary>MUL (TFLite: QuantizeMultiplier(a_scale·b_scale / y_scale)), SUB and BROADCAST_ADD (ADD's params).</summary>
    private static QSimpleOp BinaryOp(BinaryNode n, QTensor a, QTensor b, QTensor y)
    {
        var (lo, hi) = ActRange(n, y);
        switch (n.Op)
        {
            case FloatOp.Mul:
                {
                    var (m, s) = QuantMath.QuantizeMultiplier((double)a.Scale * b.Scale / y.Scale);
                    return Simple(OpCodes.Mul, Mul.Encode(m, s, lo, hi));
                }
            case FloatOp.Sub:
            case FloatOp.BroadcastAdd:
                {
                    int[] q = QuantMath.AddParams(a.Scale, b.Scale, y.Scale);
                    return Simple(n.Op == FloatOp.Sub ? OpCodes.Sub : OpCodes.BroadcastAdd, Add.Encode(q[0], q[1], q[2], q[3], q[4], q[5], q[6], lo, hi));
                }
            default:
                throw new OnnxUnsupportedException(
                    $"{n.Source}: {n.Op} of two activations has no int8 op (it runs only when both operands are functions of one tensor, fused into a lookup table)");
        }
    }

    /// <summary>LUT: F evaluated at the 256 dequantized inputs, quantized to y's parameters (clamped to its fused range).</summary>
    private static QSimpleOp LutOp(PointwiseNode n, QTensor x, QTensor y)
    {
        var (lo, hi) = ActRange(n, y);
        var t = new sbyte[256];
        for (int q = -128; q < 128; q++)
        {
            double v = n.Function((q - x.ZeroPoint) * (double)x.Scale);
            if (n.HasActivation) v = Math.Clamp(v, n.ActMin, n.ActMax);
            if (double.IsNaN(v))
                throw new OnnxUnsupportedException($"{n.Source}: {n.Description} is not defined at {(q - x.ZeroPoint) * (double)x.Scale:G4}, inside the input's calibrated range");
            double r = Math.Clamp(QuantMath.Round(v / y.Scale) + y.ZeroPoint, lo, hi);
            t[q + 128] = (sbyte)r;
        }
        return Simple(OpCodes.Lut, Lut.Encode(t));
    }

    private static QSimpleOp ReluOp(QTensor x, QTensor y, FloatNode n)
    {
        var (m, s) = QuantMath.QuantizeMultiplier(x.Scale / (double)y.Scale);
        var (lo, hi) = ActRange(n, y);
        return Simple(OpCodes.Relu, Relu.Encode(m, s, lo, hi));
    }

    private static QSimpleOp LeakyReluOp(ActivationNode a, QTensor x, QTensor y)
    {
        var (mi, si) = QuantMath.QuantizeMultiplier(x.Scale / (double)y.Scale);
        // A negative alpha (x < 0 → a positive αx) travels as a negative mult_alpha: the runtime then
        // subtracts MBQM(v, −mult_alpha, shift_alpha), as TFLite's QuantizeLeakyRelu does with its negative multiplier.
        double real = x.Scale * (double)a.Alpha / y.Scale;
        var (ma, sa) = QuantMath.QuantizeMultiplier(Math.Abs(real));
        return Simple(OpCodes.LeakyRelu, LeakyRelu.Encode(mi, si, real >= 0 ? ma : -ma, sa));
    }

    private static QSimpleOp Sigmoid(int code, QTensor x)
    {
        var (m, s, r) = QuantMath.SigmoidTanhInput(x.Scale);
        return Simple(code, code == OpCodes.Logistic ? Logistic.Encode(m, s, r) : Tanh.Encode(m, s, r));
    }

    private static QSimpleOp SoftmaxOp(SoftmaxNode sm, QTensor x)
    {
        var (m, s, d) = QuantMath.SoftmaxInput(x.Scale, sm.Beta);
        return Simple(OpCodes.Softmax, Softmax.Encode(m, s, d));
    }

    private static QSimpleOp Affine(ChannelAffineNode a, QTensor x, QTensor y)
    {
        if (a.Scale.Length != 1 || a.Shift.Length != 1 || a.Shift[0] != 0 || !(a.Scale[0] > 0))
            throw new OnnxUnsupportedException(
                $"{a.Source}: a per-channel scale or an offset that cannot be folded into a convolution or fully connected layer has no int8 op (only a positive scalar scale does)");
        var (m, s) = QuantMath.QuantizeMultiplier(a.Scale[0] * (double)x.Scale / y.Scale);
        return Simple(OpCodes.Quantize, Micro.Runtime.Kernels.Quantize.Encode(m, s));
    }

    /// <summary>Symmetric int8 weights: scales per output channel (<paramref name="channelOf"/> maps a weight
    /// index to its channel), or the given ones.</summary>
    private static (sbyte[] Q, float[] Scales) QuantizeWeights(float[] w, int channels, Func<int, int> channelOf, float[]? given, bool perChannel)
    {
        var scales = new float[channels];
        if (given != null && given.Length == channels) Array.Copy(given, scales, channels);
        else
        {
            var maxAbs = new float[channels];
            for (int i = 0; i < w.Length; i++) { int c = channelOf(i); maxAbs[c] = Math.Max(maxAbs[c], Math.Abs(w[i])); }
            if (!perChannel) { float m = maxAbs.Max(); Array.Fill(maxAbs, m); }
            for (int c = 0; c < channels; c++) scales[c] = maxAbs[c] > 0 ? maxAbs[c] / 127f : 1f;
        }
        var q = new sbyte[w.Length];
        for (int i = 0; i < w.Length; i++)
            q[i] = (sbyte)Math.Clamp(QuantMath.Round(w[i] / scales[channelOf(i)]), -127, 127);
        return (q, scales);
    }

    /// <summary>Biases at x_scale·w_scale (int32, or int64 for int16 activations), multipliers x_scale·w_scale / y_scale, clamp.</summary>
    private static void Requant(QWeightedOp op, FloatNode n, float[] bias, float[] wScales, QTensor x, QTensor y, bool perChannel)
    {
        int channels = bias.Length;
        bool int16 = x.DType == DType.Int16;
        if (int16) op.Bias64 = new long[channels];
        else op.Bias = new int[channels];
        for (int c = 0; c < channels; c++)
        {
            double v = QuantMath.Round(bias[c] / ((double)x.Scale * wScales[c]));
            if (int16) op.Bias64![c] = (long)Math.Clamp(v, -9.2e18, 9.2e18);
            else op.Bias![c] = (int)Math.Clamp(v, int.MinValue, int.MaxValue);
        }
        int count = perChannel ? channels : 1;
        op.Multipliers = new int[count];
        op.Shifts = new int[count];
        for (int c = 0; c < count; c++)
        {
            double real = (double)x.Scale * wScales[c] / y.Scale;
            (op.Multipliers[c], op.Shifts[c]) = QuantMath.QuantizeMultiplier(real);
            if (int16 && op.Shifts[c] > MaxInt16LeftShift)
                throw new OnnxUnsupportedException(
                    $"{n.Source}: in int16 the output scale is {real:G3} times finer than x_scale·w_scale, beyond the 16×8 kernels' 2^{MaxInt16LeftShift} (TFLite's limit); keep this layer in int8");
        }
        (op.ActMin, op.ActMax) = ActRange(n, y);
    }

    /// <summary>The largest left shift the runtime's 16×8 kernels take (64-bit MultiplyByQuantizedMultiplier).</summary>
    private const int MaxInt16LeftShift = 7;

    private static QFullyConnected FullyConnected(FullyConnectedNode fc, QTensor x, QTensor y, OnnxQuantizeOptions o)
    {
        int k = fc.InFeatures;
        bool perChannel = o.PerChannelWeights || (fc.WeightScales?.Distinct().Count() ?? 1) > 1;
        var (q, scales) = QuantizeWeights(fc.Weights, fc.OutFeatures, i => i / k, fc.WeightScales, perChannel);
        var op = new QFullyConnected { Weights = q };
        Requant(op, fc, fc.Bias, scales, x, y, perChannel);
        return op;
    }

    private static QConv Conv(ConvNode c, QTensor x, QTensor y, OnnxQuantizeOptions o)
    {
        int co = c.OutChannels, per = c.Weights.Length / co;
        bool perChannel = o.PerChannelWeights || (c.WeightScales?.Distinct().Count() ?? 1) > 1;
        var (q, scales) = QuantizeWeights(c.Weights, co, c.Depthwise ? i => i % co : i => i / per, c.WeightScales, perChannel);
        var op = new QConv
        {
            Weights = q,
            Depthwise = c.Depthwise,
            Is1D = c.Is1D,
            KernelH = c.KernelH,
            KernelW = c.KernelW,
            StrideH = c.StrideH,
            StrideW = c.StrideW,
            DilationH = c.DilationH,
            DilationW = c.DilationW,
            PadTop = c.PadTop,
            PadLeft = c.PadLeft,
            DepthMultiplier = c.DepthMultiplier,
            Groups = c.Groups,
        };
        Requant(op, c, c.Bias, scales, x, y, perChannel);
        return op;
    }
}
