using Micro.Runtime;
using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;
using Micro.Tooling.Onnx;
using Micro.Tooling.Running;
using Micro.Tooling.Verification;

namespace Micro.Tooling.Packing;

/// <summary>One configuration tried by <c>--auto-precision</c> (or the one <c>--int16</c> asked for).</summary>
/// <param name="Int16Layers">the layers in int16 (names as <see cref="MixedPrecision.Label"/> gives them)</param>
/// <param name="Int16Tensors">their output tensors in the float graph</param>
/// <param name="Raised">the layer this step raised (null for the first)</param>
public sealed record PrecisionStep(int Step, IReadOnlyList<string> Int16Layers, IReadOnlyList<string> Int16Tensors, string? Raised, double OutputSqnrDb, int BlobBytes, int ArenaBytes);

/// <summary>The target of <c>--auto-precision</c> was not reached with every int16-capable layer raised.</summary>
public sealed class PrecisionTargetException : Exception
{
    public PrecisionTargetException(double target, IReadOnlyList<PrecisionStep> steps)
        : base(Describe(target, steps)) { Target = target; Steps = steps; }

    public double Target { get; }
    public IReadOnlyList<PrecisionStep> Steps { get; }

    private static string Describe(double target, IReadOnlyList<PrecisionStep> steps)
    {
        var best = steps.OrderByDescending(s => s.OutputSqnrDb).ThenBy(s => s.Step).First();
        string layers = best.Int16Layers.Count == 0 ? "all layers int8" : "int16 layers " + string.Join(", ", best.Int16Layers);
        return $"--auto-precision {target:0.##} dB is out of reach: the best output SQNR was {best.OutputSqnrDb:0.00} dB ({layers}); nothing was written";
    }
}

/// <summary>
/// Mixed precision for the ONNX path of <c>micro pack</c>: which layers the user may mark int16, and the
/// greedy search of <c>--auto-precision</c>.
/// </summary>
public static class MixedPrecision
{
    /// <summary>The layers that can run in int16 (fully connected and non-depthwise convolutions whose output no
    /// QuantizeLinear/DequantizeLinear pair fixes to 8 bits), in graph order.</summary>
    public static IReadOnlyList<FloatNode> Candidates(FloatGraph g) => g.Nodes.Where(n => MixedPrecisionPlan.WhyNotInt16(g, n) == null).ToList();

    /// <summary>A layer's name for messages and tables: its ONNX node name, or its output tensor.</summary>
    public static string Label(FloatNode n) => string.IsNullOrEmpty(n.Name) ? n.Output : n.Name;

    /// <summary>
    /// Maps each <c>--int16</c> NAME (an ONNX node name or an ONNX tensor name, including nodes and tensors the
    /// importer fused into a layer, such as a ReLU or BatchNormalization after a convolution) to the output
    /// tensor of the layer that computes it. Throws ArgumentException naming the candidates when a name is
    /// unknown or its op runs in int8 only.
    /// </summary>
    public static List<string> Resolve(FloatGraph g, OnnxModel? onnx, IEnumerable<string> names)
    {
        var result = new List<string>();
        foreach (string name in names)
        {
            var (n, onnxNode) = Find(g, onnx, name);
            if (n == null && onnxNode != null)
                throw new ArgumentException($"--int16 '{name}': {onnxNode.Label} has no op of its own on the device (folded into constants or a layout no-op). {CandidateText(g)}");
            if (n == null)
                throw new ArgumentException($"--int16 '{name}': no ONNX node or tensor of that name. {CandidateText(g)}");
            if (MixedPrecisionPlan.WhyNotInt16(g, n) is { } why)
                throw new ArgumentException($"--int16 '{name}': {n.Source} cannot run in int16: {why}. {CandidateText(g)}");
            if (!result.Contains(n.Output)) result.Add(n.Output);
        }
        return result;
    }

    /// <summary>
    /// <c>--int16-output</c>: the layer whose int16 result becomes the first graph output, found by walking back
    /// from the output through single-input ops that pass int16 along (Reshape/Flatten, Pad, a standalone
    /// ReLU/Clip, LeakyRelu). Returns its output tensor (the layer is then marked like <c>--int16</c> marks it).
    /// Throws ArgumentException naming the op when that layer can only run in int8 (Softmax, Sigmoid, Tanh,
    /// pools, ADD, depthwise convolutions, …) or the model quantizes its output to 8 bits itself.
    /// </summary>
    public static string OutputLayer(FloatGraph g)
    {
        string output = g.Outputs[0].Tensor;
        var writer = g.Nodes.ToDictionary(n => n.Output, StringComparer.Ordinal);
        string tensor = output;
        while (true)
        {
            if (!writer.TryGetValue(tensor, out var n))
                throw new ArgumentException($"--int16-output: output '{output}' is the model input passed through; no layer computes it");
            if (n is FakeQuantizeNode)
                throw new ArgumentException($"--int16-output: output '{output}' is quantized to 8 bits by the model's own {n.Source}; it stays int8");
            if (MixedPrecisionPlan.PassesInt16(n) && n.Inputs.Length == 1) { tensor = n.Inputs[0]; continue; }
            if (MixedPrecisionPlan.WhyNotInt16(g, n) is { } why)
                throw new ArgumentException($"--int16-output: output '{output}' is written by {n.Source}, which cannot run in int16: {why}; the output stays int8 (drop --int16-output)");
            return n.Output;
        }
    }

    private static string CandidateText(FloatGraph g)
    {
        var c = Candidates(g);
        return c.Count == 0 ? "This model has no layer that can run in int16 (fully connected or non-depthwise convolution)."
            : "Layers that can: " + string.Join(", ", c.Select(n => $"'{Label(n)}' ({OnnxOp(n)})")) + ".";
    }

    /// <summary>The ONNX operator the layer came from ("Conv", "Gemm", "MatMul"): the first of its Source's "node 'x' (Op)".</summary>
    private static string OnnxOp(FloatNode n)
    {
        string first = n.Source.Split(" + ")[0];
        int open = first.LastIndexOf(" (", StringComparison.Ordinal);
        return open >= 0 && first.EndsWith(')') ? first[(open + 2)..^1] : n.Op.ToString();
    }

    /// <summary>The float node NAME stands for, and the ONNX node it names (when it names one).</summary>
    private static (FloatNode? Node, OnnxNode? Onnx) Find(FloatGraph g, OnnxModel? onnx, string name)
    {
        var byTensor = g.Nodes.FirstOrDefault(n => n.Output == name);
        if (byTensor != null) return (byTensor, null);
        var byName = g.Nodes.Where(n => n.Name == name).ToList();
        if (byName.Count > 0) return (byName.FirstOrDefault(MixedPrecisionPlan.CanMark) ?? byName[0], null);
        // An ONNX node (or a tensor it writes) that a pass folded into a layer: that layer's Source names it.
        var onnxNode = onnx?.Nodes.FirstOrDefault(n => n.Name == name) ?? onnx?.Nodes.FirstOrDefault(n => n.Outputs.Contains(name));
        if (onnxNode == null) return (null, null);
        string label = $"node '{onnxNode.Name}' (";
        var holders = g.Nodes.Where(n => n.Source.Contains(label, StringComparison.Ordinal)).ToList();
        return (holders.FirstOrDefault(MixedPrecisionPlan.CanMark) ?? holders.FirstOrDefault(), onnxNode);
    }
}

/// <summary>
/// Runs a quantized graph's blob over samples with the device's kernels, op by op, against the float
/// executor: output SQNR (output 0, the full network, early exits off) and the SQNR of every tensor an op
/// writes (keyed by the float tensor name; QUANTIZE copies excluded) and of the model input.
/// The float activations are computed once.
/// </summary>
public sealed class PrecisionMeter
{
    private readonly FloatGraph _g;
    private readonly List<Dictionary<string, float[]>> _acts = new();
    private readonly List<float[]> _inputs = new();

    public PrecisionMeter(FloatGraph g, IEnumerable<float[]> physicalSamples)
    {
        _g = g;
        var exec = new FloatExecutor(g);
        foreach (var s in physicalSamples)
        {
            _inputs.Add(s);
            _acts.Add(exec.Run(s));
        }
        if (_inputs.Count == 0) throw new ArgumentException("no samples to measure precision on");
    }

    public sealed record Result(double OutputSqnrDb, IReadOnlyDictionary<string, double> TensorSqnrDb, int BlobBytes, int ArenaBytes);

    public Result Measure(QGraph q)
    {
        var emitted = BlobEmitter.EmitWithPlan(q);
        var model = Model.Load(emitted.Blob);
        var arena = new sbyte[model.ArenaSize];
        var index = new Dictionary<QTensor, int>();
        for (int i = 0; i < q.Tensors.Count; i++) index[q.Tensors[i]] = i;
        // Tensors to read after each op: an op's own output (not a QUANTIZE copy of a tensor of the same name).
        var watch = new Dictionary<int, string>();
        foreach (var op in q.Ops)
            if (!(op.OpCode == OpCodes.Quantize && op.Inputs[0].Name == op.Output.Name))
                watch[index[op.Output]] = op.Output.Name;
        int input = model.Inputs[0];
        int output = index[q.Outputs[0]];
        string outName = q.Outputs[0].Name;
        var refs = new Dictionary<string, List<float[]>>(StringComparer.Ordinal);
        var quant = new Dictionary<string, List<float[]>>(StringComparer.Ordinal);
        void Record(string name, Tensor t, Dictionary<string, float[]> acts)
        {
            if (!acts.TryGetValue(name, out var r) || r.Length != t.ElementCount) return;
            (refs.TryGetValue(name, out var a) ? a : refs[name] = new()).Add(r);
            (quant.TryGetValue(name, out var b) ? b : quant[name] = new()).Add(ArenaValues.Dequantize(t, arena));
        }
        var outRef = new List<float[]>();
        var outQ = new List<float[]>();
        for (int s = 0; s < _inputs.Count; s++)
        {
            var acts = _acts[s];
            BlobRunner.Quantize(_inputs[s], model.Tensors[input], arena);
            Record(q.Inputs[0].Name, model.Tensors[input], acts);
            foreach (var op in model.Ops)
            {
                KernelTable.Eval(model, op, arena);
                if (watch.TryGetValue(op.Outputs[0], out var name)) Record(name, model.Tensors[op.Outputs[0]], acts);
            }
            outRef.Add(acts[outName]);
            outQ.Add(ArenaValues.Dequantize(model.Tensors[output], arena));
        }
        var perTensor = refs.ToDictionary(kv => kv.Key, kv => ErrorMetrics.Compute(kv.Value, quant[kv.Key]).SqnrDb, StringComparer.Ordinal);
        return new Result(ErrorMetrics.Compute(outRef, outQ).SqnrDb, perTensor, emitted.Blob.Length, model.ArenaSize);
    }


    /// <summary>
    /// The layer to raise next: the int8 candidate that adds the most noise itself, i.e. whose output SQNR
    /// falls furthest below the SQNR of the tensor it reads (the lowest SQNR alone would point at the last
    /// layers, which mostly inherit their noise). Ties go to the earlier layer. Null when none is left.
    /// </summary>
    public static FloatNode? Worst(IReadOnlyList<FloatNode> candidates, IReadOnlyCollection<string> raised, Result r)
    {
        const double Cap = 99; // exact tensors (infinite SQNR) count as 99 dB
        double Db(string t, double fallback) => r.TensorSqnrDb.TryGetValue(t, out var v) ? Math.Min(v, Cap) : fallback;
        FloatNode? best = null;
        double bestDrop = double.NegativeInfinity;
        foreach (var n in candidates)
        {
            if (raised.Contains(n.Output)) continue;
            double outDb = Db(n.Output, Cap);
            double drop = Db(n.Inputs[0], Cap) - outDb;
            if (drop > bestDrop) { bestDrop = drop; best = n; }
        }
        return best;
    }
}
