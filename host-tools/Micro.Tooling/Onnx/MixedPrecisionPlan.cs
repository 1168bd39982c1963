namespace Micro.Tooling.Onnx;

/// <summary>
/// Which tensors of a float graph run in int16 when some layers are marked (mixed precision).
/// The runtime's FULLY_CONNECTED, CONV_1D and CONV_2D take int16 activations (TFLite's 16×8 scheme); RESHAPE,
/// PAD, CONCATENATION, RELU and LEAKY_RELU take either type; everything else is int8 only.
/// 1. A marked layer reads and writes int16.
/// 2. An int16-capable op in between (Reshape, Pad, Concat, a standalone ReLU/Clip, LeakyRelu) runs in int16
///    when int16 reaches it (one of its inputs is an int16 output) and an int16 layer is waiting after it
///    (through more such ops): two int16 layers joined directly or through such ops share int16 tensors and
///    nothing requantizes between them. Otherwise it stays int8 (where nothing int16 follows, the values
///    are converted to int8 before it rather than after, so its output costs one byte per element).
/// 3. Every other tensor is int8; the quantizer converts with a QUANTIZE op where a tensor meets a reader of
///    the other type. Model inputs and outputs are int8 (the first output may stay int16: <c>--int16-output</c>).
/// A QuantizeLinear/DequantizeLinear pair is the tensor it reads (the quantizer emits no op for it); the
/// model fixes that tensor to 8 bits (its float function includes the 8-bit rounding), so it stays int8: a
/// layer writing it cannot be marked and an op passing int16 along does not run in int16 when it writes it.
/// </summary>
public sealed class MixedPrecisionPlan
{
    private readonly Dictionary<string, string> _alias = new(StringComparer.Ordinal);
    private readonly HashSet<string> _int16 = new(StringComparer.Ordinal);
    private readonly HashSet<FloatNode> _runs16 = new();

    /// <summary>Can this layer be marked (run with int16 input and output)?</summary>
    public static bool CanMark(FloatNode n) => n is FullyConnectedNode || n is ConvNode { Depthwise: false };

    /// <summary>Does this op accept int16 when its neighbours are int16 (it never is marked itself)?</summary>
    public static bool PassesInt16(FloatNode n) =>
        n is ReshapeNode or PadNode or ConcatNode || n is ActivationNode { Op: FloatOp.Clamp or FloatOp.LeakyRelu };

    /// <summary>Why an op cannot run in int16 (for messages), or null when it can be marked.</summary>
    public static string? WhyNotInt16(FloatNode n) => n switch
    {
        FullyConnectedNode => null,
        ConvNode { Depthwise: false } => null,
        ConvNode => "the runtime's depthwise convolutions take int8 only",
        PoolNode p => $"the runtime's {(p.IsMax ? "MAX_POOL" : "AVERAGE_POOL")} takes int8 only",
        MeanNode => "the runtime's MEAN takes int8 only",
        AddNode => "the runtime's ADD takes int8 only",
        SoftmaxNode => "the runtime's SOFTMAX takes int8 only",
        ActivationNode { Op: FloatOp.Logistic or FloatOp.Tanh } a => $"the runtime's {(a.Op == FloatOp.Logistic ? "LOGISTIC" : "TANH")} takes int8 only",
        _ when PassesInt16(n) => $"{n.Op} has no precision of its own: it runs in int16 by itself when the layers around it do",
        _ => $"{n.Op} runs in int8 only",
    };

    /// <summary>Why this layer of <paramref name="g"/> cannot be marked int16, or null when it can: its op
    /// (<see cref="WhyNotInt16(FloatNode)"/>) or a QuantizeLinear/DequantizeLinear pair on its output.</summary>
    public static string? WhyNotInt16(FloatGraph g, FloatNode n)
    {
        if (WhyNotInt16(n) is { } why) return why;
        var fq = g.Nodes.OfType<FakeQuantizeNode>().FirstOrDefault(q => q.Inputs[0] == n.Output);
        return fq == null ? null : $"its output is quantized to 8 bits by the model's own {fq.Source}";
    }

    /// <param name="int16Output">the first graph output stays int16: an int16 result is awaited there, so the
    /// int16-capable ops between the marked layer that computes it and the output run in int16 too.</param>
    public static MixedPrecisionPlan Build(FloatGraph g, IReadOnlyCollection<string> markedOutputs, bool int16Output = false)
    {
        var plan = new MixedPrecisionPlan();
        if (markedOutputs.Count == 0) return plan;
        foreach (var n in g.Nodes.OfType<FakeQuantizeNode>()) plan._alias[n.Output] = plan.Canonical(n.Inputs[0]);
        var fixed8 = new HashSet<string>(g.Nodes.OfType<FakeQuantizeNode>().Select(n => plan.Canonical(n.Inputs[0])), StringComparer.Ordinal);
        var marked = new HashSet<FloatNode>();
        foreach (string name in markedOutputs)
        {
            var n = g.Nodes.FirstOrDefault(x => x.Output == name)
                ?? throw new OnnxUnsupportedException($"--int16 '{name}': no layer writes a tensor of that name");
            if (WhyNotInt16(g, n) is { } why) throw new OnnxUnsupportedException($"--int16 '{name}': {n.Source} cannot run in int16: {why}");
            marked.Add(n);
        }
        var nodes = g.Nodes.Where(n => n is not FakeQuantizeNode).ToList();
        bool Passes(FloatNode n) => PassesInt16(n) && !fixed8.Contains(n.Output);
        // int16 reaches a tensor: a marked layer writes it, or an int16-capable op reads such a tensor.
        var reached = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in nodes)
            if (marked.Contains(n) || (Passes(n) && n.Inputs.Any(i => reached.Contains(plan.Canonical(i)))))
                reached.Add(n.Output);
        // an int16 layer waits for a tensor: a marked layer reads it, or an int16-capable op whose output is awaited.
        var awaited = new HashSet<string>(StringComparer.Ordinal);
        if (int16Output) awaited.Add(plan.Canonical(g.Outputs[0].Tensor));
        for (int k = nodes.Count - 1; k >= 0; k--)
        {
            var n = nodes[k];
            if (marked.Contains(n) || (Passes(n) && awaited.Contains(n.Output)))
                foreach (var i in n.Inputs) awaited.Add(plan.Canonical(i));
        }
        foreach (var n in nodes)
            if (marked.Contains(n) || (Passes(n) && reached.Contains(n.Output) && awaited.Contains(n.Output)))
            {
                plan._runs16.Add(n);
                plan._int16.Add(n.Output);
            }
        return plan;
    }

    private string Canonical(string tensor)
    {
        while (_alias.TryGetValue(tensor, out var a)) tensor = a;
        return tensor;
    }

    /// <summary>Is the tensor (as its writer produces it) int16?</summary>
    public bool IsInt16(string tensor) => _int16.Contains(Canonical(tensor));

    /// <summary>Does the op read and write int16?</summary>
    public bool RunsInt16(FloatNode n) => _runs16.Contains(n);

    public int Int16TensorCount => _int16.Count;
}
