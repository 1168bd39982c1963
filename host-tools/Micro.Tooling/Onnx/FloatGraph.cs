namespace Micro.Tooling.Onnx;

/// <summary>What a <see cref="FloatNode"/> computes. The set mirrors the runtime's opcodes (see
/// docs/blob-format.md), plus <see cref="ChannelAffine"/> and <see cref="FakeQuantize"/>, which the
/// importer's passes fold away where they can.</summary>
public enum FloatOp
{
    FullyConnected, Conv, DepthwiseConv, MaxPool, AveragePool, Mean, Add, Concat, Reshape, Pad,
    Logistic, Tanh, Softmax, Clamp, LeakyRelu,
    /// <summary>y = x · scale[c] + shift[c] over the last (channel) axis: BatchNormalization, Mul/Add/Sub/Div
    /// by a constant. Folded into the producing convolution or fully connected layer when possible.</summary>
    ChannelAffine,
    /// <summary>A QuantizeLinear/DequantizeLinear pair: y = (clamp(round(x / s) + zp, qmin, qmax) − zp) · s.</summary>
    FakeQuantize,
    /// <summary>Element-wise a·b, a − b, a + b, a / b of two activations with broadcasting (<see cref="BinaryNode"/>).</summary>
    Mul, Sub, BroadcastAdd, Div,
    /// <summary>y = F(x) element-wise for a float function F (<see cref="PointwiseNode"/>): SiLU, GELU, HardSigmoid…</summary>
    Pointwise,
    // Structural ops (FloatGraph.Structural.cs).
    ResizeNearest, StridedSlice, Transpose, LayerNorm,
}

/// <summary>A value of the float graph. Shapes are the runtime's physical, channels-last shapes (NWC,
/// NHWC, (N, features)); batch is 1.</summary>
public sealed class FloatTensor
{
    public FloatTensor(string name, int[] shape) { Name = name; Shape = shape; }
    public string Name { get; }
    public int[] Shape { get; set; }
    public int Count => ShapeUtil.Count(Shape);
    public override string ToString() => Name + ShapeUtil.Format(Shape);
}

/// <summary>A model input or output and how its runtime (physical) layout relates to the ONNX layout the
/// user's data is in.</summary>
public sealed class GraphIO
{
    public GraphIO(string tensor, string onnxName, int[] onnxShape, int[]? map)
    {
        Tensor = tensor;
        OnnxName = onnxName;
        OnnxShape = onnxShape;
        Map = map != null && ShapeUtil.IsIdentity(map) ? null : map;
    }

    /// <summary>Name of the <see cref="FloatTensor"/>.</summary>
    public string Tensor { get; }
    public string OnnxName { get; }
    /// <summary>Shape as the ONNX model declares it (e.g. NCW [1,1,250]).</summary>
    public int[] OnnxShape { get; }
    /// <summary>Physical element i is ONNX-layout element Map[i]; null when the layouts agree.</summary>
    public int[]? Map { get; }

    /// <summary>ONNX-layout data (e.g. NCHW, as PyTorch gives it) → runtime layout (NHWC).</summary>
    public float[] ToPhysical(ReadOnlySpan<float> onnxData)
    {
        var p = new float[onnxData.Length];
        if (Map == null) { onnxData.CopyTo(p); return p; }
        if (onnxData.Length != Map.Length)
            throw new ArgumentException($"{OnnxName}: {onnxData.Length} values, shape {ShapeUtil.Format(OnnxShape)} needs {Map.Length}");
        for (int i = 0; i < p.Length; i++) p[i] = onnxData[Map[i]];
        return p;
    }

    /// <summary>Runtime layout → ONNX layout.</summary>
    public float[] ToOnnx(ReadOnlySpan<float> physical)
    {
        var o = new float[physical.Length];
        if (Map == null) { physical.CopyTo(o); return o; }
        if (physical.Length != Map.Length)
            throw new ArgumentException($"{OnnxName}: {physical.Length} values, {Map.Length} expected");
        for (int i = 0; i < o.Length; i++) o[Map[i]] = physical[i];
        return o;
    }
}

/// <summary>One operation of the float graph: tensor inputs, one output, and its parameters in the
/// runtime's layouts. <see cref="ActMin"/>/<see cref="ActMax"/> are a fused clamp (ReLU, ReLU6, Clip).</summary>
public abstract class FloatNode
{
    protected FloatNode(string name, string source, string[] inputs, string output)
    {
        Name = name; Source = source; Inputs = inputs; Output = output;
    }

    public abstract FloatOp Op { get; }
    public string Name { get; set; }
    /// <summary>The ONNX node(s) this came from, for messages ("node 'conv1' (Conv)").</summary>
    public string Source { get; set; }
    public string[] Inputs { get; set; }
    public string Output { get; set; }
    public float ActMin { get; set; } = float.NegativeInfinity;
    public float ActMax { get; set; } = float.PositiveInfinity;
    public bool HasActivation => !float.IsNegativeInfinity(ActMin) || !float.IsPositiveInfinity(ActMax);

    public override string ToString()
    {
        string act = HasActivation ? $" clamp[{ActMin},{ActMax}]" : "";
        return $"{Op} {Name}: ({string.Join(", ", Inputs)}) -> {Output}{act}";
    }
}

/// <summary>y[.., m] = Σ_k x[.., k] · W[m][k] + bias[m]. Weights [M][K] row-major.</summary>
public sealed class FullyConnectedNode : FloatNode
{
    public FullyConnectedNode(string name, string source, string input, string output, float[] weights, float[] bias, int outFeatures, int inFeatures)
        : base(name, source, new[] { input }, output)
    {
        Weights = weights; Bias = bias; OutFeatures = outFeatures; InFeatures = inFeatures;
    }
    public override FloatOp Op => FloatOp.FullyConnected;
    public float[] Weights { get; set; }
    public float[] Bias { get; set; }
    public int OutFeatures { get; }
    public int InFeatures { get; }
    /// <summary>Per-output weight scales given by a QuantizeLinear/DequantizeLinear pair in the model, if any.</summary>
    public float[]? WeightScales { get; set; }
}

/// <summary>Convolution geometry shared by convolutions and pools (1D ops have H = 1: KernelH = StrideH =
/// DilationH = 1 and no top/bottom padding).</summary>
public abstract class WindowNode : FloatNode
{
    protected WindowNode(string name, string source, string[] inputs, string output) : base(name, source, inputs, output) { }
    public bool Is1D { get; set; }
    public int KernelH { get; set; } = 1;
    public int KernelW { get; set; } = 1;
    public int StrideH { get; set; } = 1;
    public int StrideW { get; set; } = 1;
    public int DilationH { get; set; } = 1;
    public int DilationW { get; set; } = 1;
    public int PadTop { get; set; }
    public int PadLeft { get; set; }
    public int PadBottom { get; set; }
    public int PadRight { get; set; }
}

/// <summary>Conv (<see cref="FloatOp.Conv"/>): weights OHWI [Cout][Kh][Kw][Cin] (1D: [Cout][K][Cin]).
/// Depthwise (<see cref="FloatOp.DepthwiseConv"/>): weights [Kh][Kw][C·dm] (1D: [K][C·dm]); output channel
/// c·dm + m reads input channel c.</summary>
public sealed class ConvNode : WindowNode
{
    public ConvNode(bool depthwise, string name, string source, string input, string output)
        : base(name, source, new[] { input }, output) { Depthwise = depthwise; }
    public override FloatOp Op => Depthwise ? FloatOp.DepthwiseConv : FloatOp.Conv;
    public bool Depthwise { get; }
    public int InChannels { get; set; }
    public int OutChannels { get; set; }
    public int DepthMultiplier { get; set; } = 1;
    /// <summary>Groups of a grouped (not depthwise) convolution: weights [Cout][Kh][Kw][Cin/Groups], output
    /// channel o reads input channels (o / (Cout/Groups))·(Cin/Groups) …; 1 = dense.</summary>
    public int Groups { get; set; } = 1;
    public float[] Weights { get; set; } = Array.Empty<float>();
    public float[] Bias { get; set; } = Array.Empty<float>();
    public float[]? WeightScales { get; set; }
}

/// <summary>MaxPool or AveragePool over Kh×Kw windows; taps in the padding are skipped (an average is
/// over the valid taps only).</summary>
public sealed class PoolNode : WindowNode
{
    public PoolNode(bool max, string name, string source, string input, string output)
        : base(name, source, new[] { input }, output) { IsMax = max; }
    public override FloatOp Op => IsMax ? FloatOp.MaxPool : FloatOp.AveragePool;
    public bool IsMax { get; }
}

/// <summary>Mean over all spatial axes: [N,(H,)W,C] → [N,C] or, with <see cref="KeepDims"/>, [N,1,(1,)C].</summary>
public sealed class MeanNode : FloatNode
{
    public MeanNode(string name, string source, string input, string output) : base(name, source, new[] { input }, output) { }
    public override FloatOp Op => FloatOp.Mean;
    public bool KeepDims { get; set; }
}

/// <summary>Element-wise a + b of two tensors of the same shape.</summary>
public sealed class AddNode : FloatNode
{
    public AddNode(string name, string source, string a, string b, string output) : base(name, source, new[] { a, b }, output) { }
    public override FloatOp Op => FloatOp.Add;
}

/// <summary>Concatenation along a physical axis.</summary>
public sealed class ConcatNode : FloatNode
{
    public ConcatNode(string name, string source, string[] inputs, string output, int axis) : base(name, source, inputs, output) { Axis = axis; }
    public override FloatOp Op => FloatOp.Concat;
    public int Axis { get; }
}

/// <summary>Same elements, another shape (the output tensor's).</summary>
public sealed class ReshapeNode : FloatNode
{
    public ReshapeNode(string name, string source, string input, string output) : base(name, source, new[] { input }, output) { }
    public override FloatOp Op => FloatOp.Reshape;
}

/// <summary>Zero padding: Before[d]/After[d] elements on each physical axis.</summary>
public sealed class PadNode : FloatNode
{
    public PadNode(string name, string source, string input, string output, int[] before, int[] after)
        : base(name, source, new[] { input }, output) { Before = before; After = after; }
    public override FloatOp Op => FloatOp.Pad;
    public int[] Before { get; }
    public int[] After { get; }
}

/// <summary>Element-wise Logistic, Tanh, Clamp (a standalone ReLU/Clip: the range is ActMin..ActMax) or
/// LeakyRelu (x ≥ 0 ? x : Alpha·x).</summary>
public sealed class ActivationNode : FloatNode
{
    public ActivationNode(FloatOp op, string name, string source, string input, string output)
        : base(name, source, new[] { input }, output)
    {
        if (op is not (FloatOp.Logistic or FloatOp.Tanh or FloatOp.Clamp or FloatOp.LeakyRelu))
            throw new ArgumentException($"{op} is not an activation");
        _op = op;
    }
    private readonly FloatOp _op;
    public override FloatOp Op => _op;
    public float Alpha { get; set; }
}

/// <summary>Softmax over the last physical axis: y = exp(β(x − max)) / Σ exp(β(x − max)).</summary>
public sealed class SoftmaxNode : FloatNode
{
    public SoftmaxNode(string name, string source, string input, string output) : base(name, source, new[] { input }, output) { }
    public override FloatOp Op => FloatOp.Softmax;
    public float Beta { get; set; } = 1f;
}

/// <summary>y = x · Scale[c] + Shift[c] over the last axis (arrays of length C, or 1 for a scalar).</summary>
public sealed class ChannelAffineNode : FloatNode
{
    public ChannelAffineNode(string name, string source, string input, string output, float[] scale, float[] shift)
        : base(name, source, new[] { input }, output) { Scale = scale; Shift = shift; }
    public override FloatOp Op => FloatOp.ChannelAffine;
    public float[] Scale { get; set; }
    public float[] Shift { get; set; }
}

/// <summary>A QuantizeLinear/DequantizeLinear pair on an activation, kept so the float graph computes what
/// the ONNX model computes and the quantizer can use the model's own scale.</summary>
public sealed class FakeQuantizeNode : FloatNode
{
    public FakeQuantizeNode(string name, string source, string input, string output, float scale, int zeroPoint, int qmin, int qmax)
        : base(name, source, new[] { input }, output) { Scale = scale; ZeroPoint = zeroPoint; QMin = qmin; QMax = qmax; }
    public override FloatOp Op => FloatOp.FakeQuantize;
    public float Scale { get; }
    public int ZeroPoint { get; }
    public int QMin { get; }
    public int QMax { get; }
}

/// <summary>The importer's float graph: nodes in execution order over channels-last tensors, weights in
/// the runtime's layouts, batch 1. <see cref="FloatExecutor"/> runs it; the quantizer lowers it.</summary>
public sealed class FloatGraph
{
    public string Name { get; set; } = "";
    public Dictionary<string, FloatTensor> Tensors { get; } = new(StringComparer.Ordinal);
    public List<FloatNode> Nodes { get; } = new();
    public List<GraphIO> Inputs { get; } = new();
    public List<GraphIO> Outputs { get; } = new();

    public FloatTensor Tensor(string name) =>
        Tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"no tensor '{name}'");

    public FloatTensor AddTensor(string name, int[] shape)
    {
        if (Tensors.ContainsKey(name)) throw new InvalidOperationException($"tensor '{name}' exists");
        var t = new FloatTensor(name, shape);
        Tensors.Add(name, t);
        return t;
    }

    /// <summary>A tensor name not used yet, derived from <paramref name="stem"/>.</summary>
    public string FreshName(string stem)
    {
        if (!Tensors.ContainsKey(stem)) return stem;
        for (int i = 1; ; i++)
            if (!Tensors.ContainsKey($"{stem}_{i}")) return $"{stem}_{i}";
    }

    public FloatNode? Producer(string tensor) => Nodes.FirstOrDefault(n => n.Output == tensor);

    public List<FloatNode> Consumers(string tensor) => Nodes.Where(n => n.Inputs.Contains(tensor)).ToList();

    public bool IsGraphOutput(string tensor) => Outputs.Any(o => o.Tensor == tensor);

    public bool IsGraphInput(string tensor) => Inputs.Any(o => o.Tensor == tensor);

    /// <summary>One line per node with shapes, for diagnostics.</summary>
    public string Describe()
    {
        var sb = new System.Text.StringBuilder();
        foreach (var i in Inputs) sb.AppendLine($"input  {Tensor(i.Tensor)} (ONNX '{i.OnnxName}' {ShapeUtil.Format(i.OnnxShape)})");
        foreach (var n in Nodes) sb.AppendLine($"{n}  => {ShapeUtil.Format(Tensor(n.Output).Shape)}");
        foreach (var o in Outputs) sb.AppendLine($"output {Tensor(o.Tensor)} (ONNX '{o.OnnxName}' {ShapeUtil.Format(o.OnnxShape)})");
        return sb.ToString();
    }
}
