using Micro.Runtime.Format;
using Micro.Tooling.Calibration;
using Micro.Tooling.Graph;

namespace Micro.Tooling.Onnx;

public sealed record OnnxQuantizeOptions
{
    public string Name { get; init; } = "model";
    public string Version { get; init; } = "1";
    /// <summary>One weight scale per output channel (else one per layer).</summary>
    public bool PerChannelWeights { get; init; } = true;
}

/// <summary>Turns a calibrated <see cref="FloatGraph"/> into a <see cref="QGraph"/> with TFLite's int8 scheme:
/// symmetric int8 weights (per output channel by default, or the scales a QDQ model gave), asymmetric int8
/// activations from the calibrated ranges, int32 biases at scale x_scale·w_scale, Q31 multipliers.
/// Tensors an op must not rescale (pools, pad, reshape, all inputs and the output of a concatenation) share
/// one set of parameters covering all their ranges; Logistic, Tanh and Softmax outputs get TFLite's fixed
/// parameters; a QuantizeLinear/DequantizeLinear pair's scale is used as given.</summary>
public static class OnnxQuantizer
{
    public static QGraph Quantize(FloatGraph g, IReadOnlyDictionary<string, TensorRange> ranges, OnnxQuantizeOptions? options = null)
    {
        options ??= new OnnxQuantizeOptions();
        FloatGraphValidator.Validate(g);
        var qp = TensorParams(g, ranges);
        var q = new QGraph { Name = options.Name, Version = options.Version };
        var tensors = new Dictionary<string, QTensor>(StringComparer.Ordinal);
        QTensor T(string name)
        {
            if (tensors.TryGetValue(name, out var t)) return t;
            var ft = g.Tensor(name);
            if (ft.Shape.Length is < 1 or > 4 || ft.Shape.Any(d => d < 1 || d > 65535))
                throw new OnnxUnsupportedException($"tensor '{name}' has shape {ShapeUtil.Format(ft.Shape)}; the runtime takes ranks 1–4 with dimensions up to 65535");
            var (s, z) = qp[name];
            t = q.AddTensor(name, (int[])ft.Shape.Clone(), s, z);
            tensors[name] = t;
            return t;
        }
        foreach (var i in g.Inputs) q.Inputs.Add(T(i.Tensor));
        foreach (var n in g.Nodes)
        {
            if (n is FakeQuantizeNode)
            {
                tensors[n.Output] = T(n.Inputs[0]); // same bytes, same parameters: no op
                continue;
            }
            var x = T(n.Inputs[0]);
            var y = T(n.Output);
            QOp op = n switch
            {
                FullyConnectedNode fc => FullyConnected(fc, x, y, options),
                ConvNode c => Conv(c, x, y, options),
                PoolNode p => Simple(p.IsMax ? OpCodes.MaxPool : OpCodes.AveragePool, Window(p).Concat(Act(p, y)).ToArray()),
                MeanNode => Simple(OpCodes.Mean, Mult(x.Scale / (double)y.Scale).Concat(Act(n, y)).ToArray()),
                AddNode => Simple(OpCodes.Add, QuantMath.AddParams(x.Scale, T(n.Inputs[1]).Scale, y.Scale).Concat(Act(n, y)).ToArray()),
                ConcatNode cc => Simple(OpCodes.Concatenation, new[] { cc.Axis }),
                ReshapeNode => Simple(OpCodes.Reshape, Array.Empty<int>()),
                PadNode pd => Simple(OpCodes.Pad, pd.Before.Zip(pd.After, (b, a) => new[] { b, a }).SelectMany(v => v).ToArray()),
                ActivationNode { Op: FloatOp.Logistic } => Sigmoid(OpCodes.Logistic, x),
                ActivationNode { Op: FloatOp.Tanh } => Sigmoid(OpCodes.Tanh, x),
                ActivationNode { Op: FloatOp.Clamp } => Simple(OpCodes.Relu, Mult(x.Scale / (double)y.Scale).Concat(Act(n, y)).ToArray()),
                ActivationNode { Op: FloatOp.LeakyRelu } a => Simple(OpCodes.LeakyRelu,
                    Mult(x.Scale / (double)y.Scale).Concat(LeakyAlpha(a, x, y)).ToArray()),
                SoftmaxNode sm => SoftmaxOp(sm, x),
                ChannelAffineNode af => Affine(af, x, y),
                _ => throw new OnnxUnsupportedException($"{n.Source}: {n.Op} has no int8 lowering"),
            };
            op.Name = n.Name;
            op.Inputs.Add(x);
            for (int i = 1; i < n.Inputs.Length; i++) op.Inputs.Add(T(n.Inputs[i]));
            op.Output = y;
            q.Ops.Add(op);
        }
        foreach (var o in g.Outputs) q.Outputs.Add(T(o.Tensor));
        return q;
    }

    // ------------------------------------------------------------------ tensor parameters

    private static Dictionary<string, (float Scale, int Zp)> TensorParams(FloatGraph g, IReadOnlyDictionary<string, TensorRange> ranges)
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
                case PoolNode or PadNode or ReshapeNode:
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
        foreach (var t in g.Tensors.Keys)
        {
            string root = Find(t);
            if (classFixed.TryGetValue(root, out var f)) result[t] = (f.Item1, f.Item2);
            else if (classRange.TryGetValue(root, out var r)) result[t] = QuantMath.ChooseParams(r.Min, r.Max);
            else throw new ArgumentException($"no calibrated range for tensor '{t}'");
        }
        return result;
    }

    // ------------------------------------------------------------------ ops

    private static QSimpleOp Simple(int code, int[] prms) => new(code, prms);

    private static int[] Mult(double real)
    {
        var (m, s) = QuantMath.QuantizeMultiplier(real);
        return new[] { m, s };
    }

    private static int[] Act(FloatNode n, QTensor y)
    {
        var (lo, hi) = QuantMath.ActivationRange(n.ActMin, n.ActMax, y.Scale, y.ZeroPoint);
        return new[] { lo, hi };
    }

    private static int[] Window(WindowNode w) =>
        w.Is1D ? new[] { 1, w.KernelW, 1, w.StrideW, 0, w.PadLeft }
               : new[] { w.KernelH, w.KernelW, w.StrideH, w.StrideW, w.PadTop, w.PadLeft };

    private static int[] LeakyAlpha(ActivationNode a, QTensor x, QTensor y)
    {
        double real = x.Scale * (double)a.Alpha / y.Scale;
        if (real < 0) throw new OnnxUnsupportedException($"{a.Source}: LeakyRelu with a negative alpha is not supported");
        return Mult(real);
    }

    private static QSimpleOp Sigmoid(int code, QTensor x)
    {
        var (m, s, r) = QuantMath.SigmoidTanhInput(x.Scale);
        return Simple(code, new[] { m, s, r });
    }

    private static QSimpleOp SoftmaxOp(SoftmaxNode sm, QTensor x)
    {
        var (m, s, d) = QuantMath.SoftmaxInput(x.Scale, sm.Beta);
        return Simple(OpCodes.Softmax, new[] { m, s, d });
    }

    private static QSimpleOp Affine(ChannelAffineNode a, QTensor x, QTensor y)
    {
        if (a.Scale.Length != 1 || a.Shift.Length != 1 || a.Shift[0] != 0 || !(a.Scale[0] > 0))
            throw new OnnxUnsupportedException(
                $"{a.Source}: a per-channel scale or an offset that cannot be folded into a convolution or fully connected layer has no int8 op (only a positive scalar scale does)");
        return Simple(OpCodes.Quantize, Mult(a.Scale[0] * (double)x.Scale / y.Scale));
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

    private static void Requant(QWeightedOp op, FloatNode n, float[] bias, float[] wScales, QTensor x, QTensor y, bool perChannel)
    {
        int channels = bias.Length;
        op.Bias = new int[channels];
        for (int c = 0; c < channels; c++)
        {
            double bs = (double)x.Scale * wScales[c];
            op.Bias[c] = (int)Math.Clamp(QuantMath.Round(bias[c] / bs), int.MinValue, int.MaxValue);
        }
        int count = perChannel ? channels : 1;
        op.Multipliers = new int[count];
        op.Shifts = new int[count];
        for (int c = 0; c < count; c++)
            (op.Multipliers[c], op.Shifts[c]) = QuantMath.QuantizeMultiplier((double)x.Scale * wScales[c] / y.Scale);
        (op.ActMin, op.ActMax) = QuantMath.ActivationRange(n.ActMin, n.ActMax, y.Scale, y.ZeroPoint);
    }

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
            Weights = q, Depthwise = c.Depthwise, Is1D = c.Is1D,
            KernelH = c.KernelH, KernelW = c.KernelW, StrideH = c.StrideH, StrideW = c.StrideW,
            DilationH = c.DilationH, DilationW = c.DilationW, PadTop = c.PadTop, PadLeft = c.PadLeft,
            DepthMultiplier = c.DepthMultiplier,
        };
        Requant(op, c, c.Bias, scales, x, y, perChannel);
        return op;
    }
}
