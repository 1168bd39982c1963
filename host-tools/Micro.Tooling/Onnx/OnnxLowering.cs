namespace Micro.Tooling.Onnx;

/// <summary>Options of <see cref="OnnxImporter"/>.</summary>
public sealed class OnnxImportOptions
{
    /// <summary>Shapes for inputs whose ONNX shape is symbolic beyond the batch axis (ONNX layout).</summary>
    public Dictionary<string, int[]> InputShapes { get; } = new(StringComparer.Ordinal);
    /// <summary>Run the graph passes (folding, fusion). Off only for tests of the raw lowering.</summary>
    public bool Optimize { get; set; } = true;
}

/// <summary>Lowers an <see cref="OnnxModel"/> into a <see cref="FloatGraph"/>: folds constants, infers static
/// shapes (batch 1), and converts every activation to the runtime's channels-last layout.
///
/// Layout tracking: each ONNX value has a logical (ONNX) shape and lives in one physical tensor whose
/// element i is logical element Map[i]. Reshape, Flatten, Squeeze, Unsqueeze and Transpose never move
/// data: they only change the logical shape or the map. Ops that need a layout (convolutions and pools
/// need channels-last, fully connected layers a whole row per sample) check the map, and a fully connected
/// layer after a Flatten of a channels-last map absorbs the reordering into its weight columns.</summary>
internal sealed partial class OnnxLowering
{
    private sealed class Val
    {
        public ConstTensor? Const;
        public string Ir = "";
        public int[] Logical = Array.Empty<int>();
        public int[]? Map; // null = identity
        public PendingQuant? Quant;
        public string Name = "";
    }

    private sealed record PendingQuant(Val Source, float Scale, int ZeroPoint, int QMin, int QMax, OnnxNode Node);

    private readonly OnnxModel _m;
    private readonly OnnxImportOptions _opt;
    private readonly FloatGraph _g = new();
    private readonly Dictionary<string, Val> _vals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<OnnxNode>> _consumers = new(StringComparer.Ordinal);

    /// <summary>The runtime's largest dimension (u16 in the tensor table).</summary>
    public const int MaxDim = 65535;
    /// <summary>Largest activation tensor the importer accepts (1 Mi elements).</summary>
    public const int MaxElements = 1 << 20;

    private OnnxLowering(OnnxModel m, OnnxImportOptions opt) { _m = m; _opt = opt; }

    public static FloatGraph Lower(OnnxModel m, OnnxImportOptions opt) => new OnnxLowering(m, opt).Run();

    private FloatGraph Run()
    {
        _g.Name = _m.GraphName;
        foreach (var n in _m.Nodes)
            foreach (var i in n.Inputs)
                if (i.Length > 0)
                {
                    if (!_consumers.TryGetValue(i, out var l)) _consumers[i] = l = new List<OnnxNode>();
                    l.Add(n);
                }
        foreach (var (name, t) in _m.Initializers) _vals[name] = new Val { Const = t, Name = name };
        foreach (var vi in _m.Inputs) AddInput(vi);
        RefuseRecurrent();
        foreach (var n in _m.Nodes)
            if (!_fused.Contains(n)) LowerNode(n);
        foreach (var vi in _m.Outputs) AddOutput(vi);
        return _g;
    }

    // ------------------------------------------------------------------ inputs and outputs

    private void AddInput(OnnxValueInfo vi)
    {
        if (vi.ElemType != OnnxDataType.Float)
            throw new OnnxUnsupportedException($"graph input '{vi.Name}' is {vi.ElemType}; Micro's float graph takes float inputs");
        int[] shape;
        if (_opt.InputShapes.TryGetValue(vi.Name, out var given)) shape = (int[])given.Clone();
        else
        {
            if (vi.Dims == null) throw new OnnxUnsupportedException($"graph input '{vi.Name}' declares no shape; give one in the import options");
            shape = new int[vi.Dims.Length];
            for (int d = 0; d < shape.Length; d++)
            {
                long v = vi.Dims[d];
                if (v < 0 && d == 0) v = 1; // a symbolic batch becomes 1 (a static one is kept)
                if (v < 0)
                    throw new OnnxUnsupportedException(
                        $"graph input '{vi.Name}' has a symbolic dimension at axis {d}; Micro needs static shapes (give the shape in the import options)");
                if (v == 0) throw new OnnxUnsupportedException($"graph input '{vi.Name}' has an empty dimension at axis {d}");
                if (v > 65535) throw new OnnxUnsupportedException($"graph input '{vi.Name}': dimension {v} is too large");
                shape[d] = (int)v;
            }
        }
        if (shape.Length == 0 || shape.Length > 4)
            throw new OnnxUnsupportedException($"graph input '{vi.Name}' has rank {shape.Length}; Micro supports ranks 1–4");
        if (shape.Any(d => d < 1) || (long)ShapeUtil.Count(shape) > MaxElements)
            throw new OnnxUnsupportedException($"graph input '{vi.Name}' has shape {ShapeUtil.Format(shape)}; Micro takes up to {MaxElements} elements");
        int[] perm = shape.Length >= 3 && PrefersChannelsLast(vi.Name, 0) ? ShapeUtil.ChannelsLastPerm(shape.Length) : ShapeUtil.Identity(shape.Length);
        var map = ShapeUtil.PermMap(shape, perm);
        _g.AddTensor(vi.Name, ShapeUtil.Permute(shape, perm));
        _vals[vi.Name] = new Val { Ir = vi.Name, Logical = shape, Map = NullIfIdentity(map), Name = vi.Name };
        _g.Inputs.Add(new GraphIO(vi.Name, vi.Name, shape, map));
    }

    /// <summary>Whether an input of rank ≥ 3 is read as NCW/NCHW by convolutions or pools (then it lives
    /// channels-last) rather than in its own layout (e.g. a Transpose or MatMul consumes it).</summary>
    private bool PrefersChannelsLast(string value, int depth)
    {
        if (depth > 8 || !_consumers.TryGetValue(value, out var users)) return false;
        foreach (var u in users)
        {
            switch (u.OpType)
            {
                case "Conv":
                case "MaxPool":
                case "AveragePool":
                case "GlobalAveragePool":
                case "BatchNormalization":
                case "Resize":
                case "Upsample":
                    return true;
                case "Relu":
                case "Clip":
                case "LeakyRelu":
                case "Sigmoid":
                case "Tanh":
                case "Identity":
                case "Dropout":
                case "QuantizeLinear":
                case "DequantizeLinear":
                case "Pad":
                case "Add":
                case "Sub":
                case "Mul":
                case "Div":
                case "Squeeze":
                case "Unsqueeze":
                case "HardSigmoid":
                case "HardSwish":
                case "Erf":
                case "Gelu":
                case "Softplus":
                case "Elu":
                case "Slice":
                    if (u.Outputs.Length > 0 && PrefersChannelsLast(u.Outputs[0], depth + 1)) return true;
                    break;
            }
        }
        return false;
    }

    private void AddOutput(OnnxValueInfo vi)
    {
        var v = _vals[vi.Name];
        if (v.Const != null) throw new OnnxUnsupportedException($"graph output '{vi.Name}' is a constant");
        if (v.Quant != null) throw new OnnxUnsupportedException($"graph output '{vi.Name}' is the integer output of QuantizeLinear");
        var map = MapOf(v);
        var cl = ShapeUtil.PermMap(v.Logical, ShapeUtil.ChannelsLastPerm(v.Logical.Length));
        int[] phys = ShapeUtil.IsIdentity(map) ? v.Logical
            : map.AsSpan().SequenceEqual(cl) ? ShapeUtil.Permute(v.Logical, ShapeUtil.ChannelsLastPerm(v.Logical.Length))
            : _g.Tensor(v.Ir).Shape;
        string ir = v.Ir;
        if (!ShapeUtil.Equal(_g.Tensor(ir).Shape, phys) || (ir != vi.Name && !_g.Tensors.ContainsKey(vi.Name)))
        {
            string name = _g.Tensors.ContainsKey(vi.Name) ? _g.FreshName(vi.Name) : vi.Name;
            _g.AddTensor(name, phys);
            _g.Nodes.Add(new ReshapeNode(name, $"graph output '{vi.Name}'", ir, name));
            ir = name;
        }
        _g.Outputs.Add(new GraphIO(ir, vi.Name, v.Logical, map));
    }

    // ------------------------------------------------------------------ helpers

    private static int[]? NullIfIdentity(int[] map) => ShapeUtil.IsIdentity(map) ? null : map;

    private static int[] MapOf(Val v) => v.Map ?? ShapeUtil.Identity(ShapeUtil.Count(v.Logical));

    private static bool MapIs(Val v, int[] needed) =>
        v.Map == null ? ShapeUtil.IsIdentity(needed) : v.Map.AsSpan().SequenceEqual(needed);

    private ConstTensor? ConstOrNull(OnnxNode n, int i)
    {
        var name = n.Input(i);
        if (name == null) return null;
        return _vals[name].Const;
    }

    private ConstTensor NeedConst(OnnxNode n, int i, string what)
    {
        var name = n.Input(i) ?? throw new OnnxFormatException($"{n.Label}: {what} (input {i}) is missing");
        return _vals[name].Const ?? throw new OnnxUnsupportedException($"{n.Label}: {what} '{name}' must be a constant (an initializer)");
    }

    private Val NeedAct(OnnxNode n, int i)
    {
        var name = n.Input(i) ?? throw new OnnxFormatException($"{n.Label}: input {i} is missing");
        var v = _vals[name];
        if (v.Quant != null)
            throw new OnnxUnsupportedException($"{n.Label} reads '{name}', the integer output of {v.Quant.Node.Label}; Micro supports QuantizeLinear only when a DequantizeLinear follows it");
        if (v.Const != null) throw new OnnxUnsupportedException($"{n.Label}: input '{name}' is a constant where Micro needs an activation");
        return v;
    }

    private void Set(OnnxNode n, int output, Val v)
    {
        if (output >= n.Outputs.Length || n.Outputs[output].Length == 0) return;
        _vals[n.Outputs[output]] = new Val
        {
            Const = v.Const,
            Ir = v.Ir,
            Logical = v.Logical,
            Map = v.Map,
            Quant = v.Quant,
            Name = n.Outputs[output],
        };
    }

    private string OutName(OnnxNode n) => _g.FreshName(n.Outputs[0]);

    /// <summary>Adds <paramref name="node"/> with an output tensor of <paramref name="phys"/> shape.</summary>
    private void Emit(FloatNode node, int[] phys)
    {
        foreach (int d in phys)
        {
            if (d < 1) throw new OnnxFormatException($"{node.Source}: output shape {ShapeUtil.Format(phys)} has an empty dimension");
            if (d > MaxDim) throw new OnnxUnsupportedException($"{node.Source}: output shape {ShapeUtil.Format(phys)} has a dimension above {MaxDim}");
        }
        if ((long)ShapeUtil.Count(phys) > MaxElements)
            throw new OnnxUnsupportedException($"{node.Source}: output {ShapeUtil.Format(phys)} has more than {MaxElements} elements, far beyond a microcontroller's memory");
        _g.AddTensor(node.Output, phys);
        _g.Nodes.Add(node);
    }

    /// <summary>The physical tensor of <paramref name="v"/> with shape <paramref name="phys"/> (a Reshape when
    /// its tensor has another shape with the same elements).</summary>
    private string View(Val v, int[] phys, string source)
    {
        var t = _g.Tensor(v.Ir);
        if (ShapeUtil.Equal(t.Shape, phys)) return v.Ir;
        if (t.Count != ShapeUtil.Count(phys)) throw new InvalidOperationException($"{source}: view {ShapeUtil.Format(phys)} of {t}");
        string name = _g.FreshName(v.Ir + "_view");
        _g.AddTensor(name, phys);
        _g.Nodes.Add(new ReshapeNode(name, source, v.Ir, name));
        return name;
    }

    private string NeedChannelsLast(OnnxNode n, Val v)
    {
        var perm = ShapeUtil.ChannelsLastPerm(v.Logical.Length);
        if (!MapIs(v, ShapeUtil.PermMap(v.Logical, perm)) && Transposed(n, v, perm) is { } moved) v = moved;
        if (!MapIs(v, ShapeUtil.PermMap(v.Logical, perm)))
            throw new OnnxUnsupportedException(
                $"{n.Label}: input '{v.Name}' {ShapeUtil.Format(v.Logical)} is not in a layout the runtime can feed to {n.OpType} (needs channels-last data; an earlier Transpose or Reshape reorders it)");
        return View(v, ShapeUtil.Permute(v.Logical, perm), n.Label);
    }

    /// <summary>The axis permutation (channels-last or identity) whose layout <paramref name="v"/> has, or null.</summary>
    private static int[]? FindPerm(Val v)
    {
        int r = v.Logical.Length;
        var cl = ShapeUtil.ChannelsLastPerm(r);
        if (MapIs(v, ShapeUtil.PermMap(v.Logical, cl))) return cl;
        if (v.Map == null) return ShapeUtil.Identity(r);
        return null;
    }

    private static Val Alias(Val v, int[] logical, int[]? map = null) =>
        new() { Ir = v.Ir, Logical = logical, Map = map ?? v.Map };

    private static Val ActVal(string ir, int[] logical, int[]? map) => new() { Ir = ir, Logical = logical, Map = map == null ? null : NullIfIdentity(map) };

    /// <summary>A channels-last activation value for a node output of logical shape <paramref name="logical"/>.</summary>
    private static Val ChannelsLastVal(string ir, int[] logical) =>
        ActVal(ir, logical, ShapeUtil.PermMap(logical, ShapeUtil.ChannelsLastPerm(logical.Length)));

    private void NoExtraOutputs(OnnxNode n, int keep)
    {
        for (int i = keep; i < n.Outputs.Length; i++)
        {
            string o = n.Outputs[i];
            if (o.Length == 0) continue;
            if (_consumers.ContainsKey(o) || _m.Outputs.Any(g => g.Name == o))
                throw new OnnxUnsupportedException($"{n.Label}: output {i} ('{o}') is used; Micro supports only the first output of {n.OpType}");
        }
    }

    // ------------------------------------------------------------------ nodes

    private void LowerNode(OnnxNode n)
    {
        if (n.Outputs.Length == 0 || n.Outputs[0].Length == 0) throw new OnnxFormatException($"{n.Label} has no output");
        var inputs = new ConstTensor?[n.Inputs.Length];
        bool allConst = true;
        for (int i = 0; i < n.Inputs.Length; i++)
        {
            if (n.Inputs[i].Length == 0) continue;
            if (!_vals.TryGetValue(n.Inputs[i], out var v)) // the reader checked a node writes it: one Micro does not lower to it
                throw new OnnxUnsupportedException($"{n.Label} reads '{n.Inputs[i]}', a value Micro does not compute (an output of its node that Micro does not support)");
            inputs[i] = v.Const;
            if (v.Const == null) allConst = false;
        }
        if (n.OpType == "Shape" && n.Input(0) is { } sIn && _vals[sIn].Quant == null)
        {
            Set(n, 0, new Val { Const = ConstFolder.ShapeOf(n, _vals[sIn].Const?.Shape ?? _vals[sIn].Logical) });
            return;
        }
        if (allConst && (n.Inputs.Length > 0 || n.OpType == "Constant"))
        {
            ConstTensor[] outs;
            try { outs = ConstFolder.Evaluate(n, inputs, _m.Opset); }
            catch (ArgumentException e) { throw new OnnxFormatException($"{n.Label}: {e.Message}", e); }
            for (int i = 0; i < outs.Length; i++) Set(n, i, new Val { Const = outs[i] });
            return;
        }
        switch (n.OpType)
        {
            case "Conv": Conv(n); break;
            case "Gemm": Gemm(n); break;
            case "MatMul": MatMul(n); break;
            case "Add": case "Sub": case "Mul": case "Div": Binary(n); break;
            case "BatchNormalization": BatchNorm(n); break;
            case "Relu": Activation(n, FloatOp.Clamp, 0f, float.PositiveInfinity); break;
            case "Clip": Clip(n); break;
            case "LeakyRelu":
                {
                    var a = Activation(n, FloatOp.LeakyRelu, 0, 0);
                    a.Alpha = n.GetFloat("alpha", 0.01f);
                    break;
                }
            case "Sigmoid": Activation(n, FloatOp.Logistic, 0, 0); break;
            case "Tanh": Activation(n, FloatOp.Tanh, 0, 0); break;
            case "Softmax": Softmax(n); break;
            case "MaxPool": Pool(n, true); break;
            case "AveragePool": Pool(n, false); break;
            case "GlobalAveragePool": GlobalAveragePool(n); break;
            case "ReduceMean": if (!DecomposedLayerNorm(n)) ReduceMean(n); break;
            case "Flatten": { var v = NeedAct(n, 0); Set(n, 0, Alias(v, ConstFolder.FlattenShape(n, v.Logical))); break; }
            case "Reshape": { var v = NeedAct(n, 0); Set(n, 0, Alias(v, ConstFolder.ReshapeShape(n, v.Logical, NeedConst(n, 1, "shape")))); break; }
            case "Squeeze": { var v = NeedAct(n, 0); Set(n, 0, Alias(v, ConstFolder.SqueezeShape(n, v.Logical, Axes(n, inputs)))); break; }
            case "Unsqueeze": { var v = NeedAct(n, 0); Set(n, 0, Alias(v, ConstFolder.UnsqueezeShape(n, v.Logical, Axes(n, inputs)))); break; }
            case "Transpose": Transpose(n); break;
            case "Identity": Set(n, 0, NeedAct(n, 0)); break;
            case "Dropout": Dropout(n); break;
            case "Concat": Concat(n); break;
            case "Pad": Pad(n); break;
            case "Resize": case "Upsample": Resize(n); break;
            case "Slice": Slice(n); break;
            case "LayerNormalization": LayerNormalization(n); break;
            case "QuantizeLinear": QuantizeLinear(n); break;
            case "DequantizeLinear": DequantizeLinear(n); break;
            default:
                if (TryPointwise(n)) break;
                throw new OnnxUnsupportedException($"{n.Label}: operator {n.OpType} is not supported");
        }
    }

    /// <summary>
    /// GRU, LSTM and RNN nodes fail up front, by name: the shape arithmetic exporters put before them (Expand
    /// of the initial state) would otherwise fail first, naming an operator the user never wrote.
    /// </summary>
    private void RefuseRecurrent()
    {
        var rnn = _m.Nodes.FirstOrDefault(n => n.OpType is "GRU" or "LSTM" or "RNN");
        if (rnn != null)
            throw new OnnxUnsupportedException(
                $"{rnn.Label}: recurrent layers ({rnn.OpType}) are not supported: Micro's runtime has no integer {rnn.OpType} kernel. "
                + "Replace the recurrence with 1-D convolutions over time before export (a temporal CNN: Conv1d + ReLU + pooling over the sequence)");
    }

    private long[]? Axes(OnnxNode n, ConstTensor?[] inputs)
    {
        if (n.Input(1) != null && inputs[1] == null)
            throw new OnnxUnsupportedException($"{n.Label}: axes must be a constant");
        return ConstFolder.AxesOf(n, inputs);
    }
}
