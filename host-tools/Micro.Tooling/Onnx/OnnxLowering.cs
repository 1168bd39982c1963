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
internal sealed class OnnxLowering
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
        foreach (var n in _m.Nodes) LowerNode(n);
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
                if (v < 0 && d == 0) v = 1; // batch 1
                if (v < 0)
                    throw new OnnxUnsupportedException(
                        $"graph input '{vi.Name}' has a symbolic dimension at axis {d}; Micro needs static shapes (give the shape in the import options)");
                if (v > 65535) throw new OnnxUnsupportedException($"graph input '{vi.Name}': dimension {v} is too large");
                shape[d] = (int)v;
            }
        }
        if (shape.Length == 0 || shape.Length > 4)
            throw new OnnxUnsupportedException($"graph input '{vi.Name}' has rank {shape.Length}; Micro supports ranks 1–4");
        if (shape[0] != 1) throw new OnnxUnsupportedException($"graph input '{vi.Name}' has batch {shape[0]}; Micro runs batch 1");
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
                case "Conv": case "MaxPool": case "AveragePool": case "GlobalAveragePool": case "BatchNormalization":
                    return true;
                case "Relu": case "Clip": case "LeakyRelu": case "Sigmoid": case "Tanh": case "Identity": case "Dropout":
                case "QuantizeLinear": case "DequantizeLinear": case "Pad": case "Add": case "Sub": case "Mul": case "Div":
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
            Const = v.Const, Ir = v.Ir, Logical = v.Logical, Map = v.Map, Quant = v.Quant, Name = n.Outputs[output],
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
            var v = _vals[n.Inputs[i]];
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
            case "ReduceMean": ReduceMean(n); break;
            case "Flatten": { var v = NeedAct(n, 0); Set(n, 0, Alias(v, ConstFolder.FlattenShape(n, v.Logical))); break; }
            case "Reshape": { var v = NeedAct(n, 0); Set(n, 0, Alias(v, ConstFolder.ReshapeShape(n, v.Logical, NeedConst(n, 1, "shape")))); break; }
            case "Squeeze": { var v = NeedAct(n, 0); Set(n, 0, Alias(v, ConstFolder.SqueezeShape(n, v.Logical, Axes(n, inputs)))); break; }
            case "Unsqueeze": { var v = NeedAct(n, 0); Set(n, 0, Alias(v, ConstFolder.UnsqueezeShape(n, v.Logical, Axes(n, inputs)))); break; }
            case "Transpose": Transpose(n); break;
            case "Identity": Set(n, 0, NeedAct(n, 0)); break;
            case "Dropout": Dropout(n); break;
            case "Concat": Concat(n); break;
            case "Pad": Pad(n); break;
            case "QuantizeLinear": QuantizeLinear(n); break;
            case "DequantizeLinear": DequantizeLinear(n); break;
            default: throw new OnnxUnsupportedException($"{n.Label}: operator {n.OpType} is not supported");
        }
    }

    private long[]? Axes(OnnxNode n, ConstTensor?[] inputs)
    {
        if (n.Input(1) != null && inputs[1] == null)
            throw new OnnxUnsupportedException($"{n.Label}: axes must be a constant");
        return ConstFolder.AxesOf(n, inputs);
    }

    // ---- convolution and pooling geometry

    private static void Window(OnnxNode n, int[] inSpatial, int[] kernel, int[] strides, int[] dil, bool ceil,
        out int[] padBegin, out int[] padEnd, out int[] outSpatial)
    {
        int s = inSpatial.Length;
        padBegin = new int[s]; padEnd = new int[s]; outSpatial = new int[s];
        string auto = n.GetString("auto_pad", "NOTSET");
        var pads = n.GetInts("pads");
        if (auto is "NOTSET")
        {
            if (pads != null)
            {
                if (pads.Length != 2 * s) throw new OnnxFormatException($"{n.Label}: {pads.Length} pads for {s} spatial axes");
                for (int i = 0; i < s; i++)
                {
                    if (pads[i] < 0 || pads[s + i] < 0) throw new OnnxUnsupportedException($"{n.Label}: negative padding");
                    padBegin[i] = (int)pads[i]; padEnd[i] = (int)pads[s + i];
                }
            }
        }
        else if (auto is "SAME_UPPER" or "SAME_LOWER")
        {
            for (int i = 0; i < s; i++)
            {
                int o = (inSpatial[i] + strides[i] - 1) / strides[i];
                int total = Math.Max(0, (o - 1) * strides[i] + dil[i] * (kernel[i] - 1) + 1 - inSpatial[i]);
                padBegin[i] = auto == "SAME_UPPER" ? total / 2 : (total + 1) / 2;
                padEnd[i] = total - padBegin[i];
            }
        }
        else if (auto is not "VALID") throw new OnnxFormatException($"{n.Label}: auto_pad '{auto}'");
        for (int i = 0; i < s; i++)
        {
            int span = dil[i] * (kernel[i] - 1) + 1;
            int room = inSpatial[i] + padBegin[i] + padEnd[i] - span;
            if (room < 0) throw new OnnxFormatException($"{n.Label}: kernel {kernel[i]} (dilation {dil[i]}) is larger than the padded input {inSpatial[i] + padBegin[i] + padEnd[i]}");
            int o = ceil ? (room + strides[i] - 1) / strides[i] + 1 : room / strides[i] + 1;
            // A window may not start in the end padding (as PyTorch and ONNX Runtime do for ceil_mode).
            if (ceil && (o - 1) * strides[i] >= inSpatial[i] + padBegin[i]) o--;
            outSpatial[i] = o;
        }
    }

    private static int[] IntsAttr(OnnxNode n, string name, int count, int fallback)
    {
        var v = n.GetInts(name);
        if (v == null) return Enumerable.Repeat(fallback, count).ToArray();
        if (v.Length != count) throw new OnnxFormatException($"{n.Label}: '{name}' has {v.Length} values for {count} spatial axes");
        foreach (var x in v) if (x < 1 || x > 65535) throw new OnnxFormatException($"{n.Label}: '{name}' value {x}");
        return v.Select(x => (int)x).ToArray();
    }

    private static void SetWindow(WindowNode w, int[] k, int[] s, int[] d, int[] pb, int[] pe)
    {
        int o = k.Length == 2 ? 1 : 0;
        w.Is1D = k.Length == 1;
        if (o == 1) { w.KernelH = k[0]; w.StrideH = s[0]; w.DilationH = d[0]; w.PadTop = pb[0]; w.PadBottom = pe[0]; }
        w.KernelW = k[o]; w.StrideW = s[o]; w.DilationW = d[o]; w.PadLeft = pb[o]; w.PadRight = pe[o];
    }

    private void Conv(OnnxNode n)
    {
        var x = NeedAct(n, 0);
        var w = NeedConst(n, 1, "weights");
        var b = ConstOrNull(n, 2);
        if (n.Input(2) != null && b == null) throw new OnnxUnsupportedException($"{n.Label}: bias must be a constant");
        int r = x.Logical.Length;
        if (r is not (3 or 4)) throw new OnnxUnsupportedException($"{n.Label}: {r - 2}D convolution (input {ShapeUtil.Format(x.Logical)}); Micro supports 1D and 2D");
        if (w.Shape.Length != r) throw new OnnxFormatException($"{n.Label}: weights {ShapeUtil.Format(w.Shape)} do not match input {ShapeUtil.Format(x.Logical)}");
        int s = r - 2;
        int cin = x.Logical[1], cout = w.Shape[0];
        int group = (int)n.GetInt("group", 1);
        if (group < 1 || cin % group != 0 || cout % group != 0 || w.Shape[1] * group != cin)
            throw new OnnxFormatException($"{n.Label}: weights {ShapeUtil.Format(w.Shape)} and group {group} do not match {cin} input channels");
        var kernel = w.Shape.Skip(2).ToArray();
        var ks = n.GetInts("kernel_shape");
        if (ks != null && !ks.Select(v => (int)v).SequenceEqual(kernel))
            throw new OnnxFormatException($"{n.Label}: kernel_shape [{string.Join(",", ks)}] does not match weights {ShapeUtil.Format(w.Shape)}");
        var strides = IntsAttr(n, "strides", s, 1);
        var dil = IntsAttr(n, "dilations", s, 1);
        var inSp = x.Logical.Skip(2).ToArray();
        Window(n, inSp, kernel, strides, dil, false, out var pb, out var pe, out var outSp);
        if (b != null && b.Count != cout) throw new OnnxFormatException($"{n.Label}: {b.Count} biases for {cout} output channels");

        string input = NeedChannelsLast(n, x);
        int kh = s == 2 ? kernel[0] : 1, kw = kernel[s - 1];
        bool depthwise = group == cin && cin > 1;
        var node = new ConvNode(depthwise, n.Name, n.Label, input, OutName(n))
        {
            InChannels = cin, OutChannels = cout, DepthMultiplier = depthwise ? cout / cin : 1,
            Bias = b?.ToFloats() ?? new float[cout],
        };
        SetWindow(node, kernel, strides, dil, pb, pe);
        var wd = w.Data;
        int cinG = cin / group, coutG = cout / group;
        if (depthwise)
        {
            var wt = new float[kh * kw * cout];
            for (int o = 0; o < cout; o++)
                for (int y = 0; y < kh; y++)
                    for (int xk = 0; xk < kw; xk++)
                        wt[(y * kw + xk) * cout + o] = (float)wd[(o * kh + y) * kw + xk];
            node.Weights = wt;
        }
        else
        {
            // OHWI; a grouped convolution becomes a dense one whose weights are zero outside each group.
            var wt = new float[cout * kh * kw * cin];
            for (int o = 0; o < cout; o++)
            {
                int g0 = o / coutG * cinG;
                for (int ci = 0; ci < cinG; ci++)
                    for (int y = 0; y < kh; y++)
                        for (int xk = 0; xk < kw; xk++)
                            wt[((o * kh + y) * kw + xk) * cin + g0 + ci] = (float)wd[((o * cinG + ci) * kh + y) * kw + xk];
            }
            node.Weights = wt;
        }
        if (w.Quant != null && (w.Quant.Axis == 0 || w.Quant.Axis == -1))
            node.WeightScales = w.Quant.Axis == 0 ? w.Quant.Scales : Enumerable.Repeat(w.Quant.Scales[0], cout).ToArray();
        var outLogical = new[] { x.Logical[0], cout }.Concat(outSp).ToArray();
        Emit(node, ShapeUtil.Permute(outLogical, ShapeUtil.ChannelsLastPerm(r)));
        Set(n, 0, ChannelsLastVal(node.Output, outLogical));
    }

    /// <summary>Emits y[.., m] = x[.., k]·W[m][k] + bias for an activation whose last logical axis is K, with
    /// W given in logical column order; the columns are reordered to the physical order of x.</summary>
    private void FullyConnected(OnnxNode n, Val x, float[] w, float[] bias, int m, int k, float[]? scales)
    {
        if (x.Logical[^1] != k) throw new OnnxFormatException($"{n.Label}: input {ShapeUtil.Format(x.Logical)} has no {k} features");
        var map = MapOf(x);
        var colPerm = new int[k];
        for (int i = 0; i < map.Length; i++)
        {
            int row = i / k, p = i % k;
            int lr = map[i] / k, lc = map[i] % k;
            if (lr != row || (row > 0 && colPerm[p] != lc))
                throw new OnnxUnsupportedException(
                    $"{n.Label}: input '{x.Name}' {ShapeUtil.Format(x.Logical)} is stored in an order that mixes samples and features (a Transpose before it?); Micro cannot feed it to a fully connected layer");
            colPerm[p] = lc;
        }
        float[] wt = w;
        if (!ShapeUtil.IsIdentity(colPerm))
        {
            wt = new float[w.Length];
            for (int o = 0; o < m; o++)
                for (int p = 0; p < k; p++) wt[o * k + p] = w[o * k + colPerm[p]];
        }
        int[] physIn = x.Logical.Length >= 2 ? x.Logical : new[] { 1, k };
        string input = View(x, physIn, n.Label);
        var node = new FullyConnectedNode(n.Name, n.Label, input, OutName(n), wt, bias, m, k) { WeightScales = scales };
        var outLogical = (int[])x.Logical.Clone();
        outLogical[^1] = m;
        var physOut = (int[])physIn.Clone();
        physOut[^1] = m;
        Emit(node, physOut);
        Set(n, 0, ActVal(node.Output, outLogical, null));
    }

    private void Gemm(OnnxNode n)
    {
        var a = NeedAct(n, 0);
        var b = NeedConst(n, 1, "B (weights)");
        var c = ConstOrNull(n, 2);
        if (n.Input(2) != null && c == null) throw new OnnxUnsupportedException($"{n.Label}: C (bias) must be a constant");
        if (n.GetInt("transA", 0) != 0) throw new OnnxUnsupportedException($"{n.Label}: transA=1 is not supported");
        if (a.Logical.Length != 2 || b.Shape.Length != 2) throw new OnnxFormatException($"{n.Label}: Gemm needs rank-2 A and B, got {ShapeUtil.Format(a.Logical)} and {ShapeUtil.Format(b.Shape)}");
        bool transB = n.GetInt("transB", 0) != 0;
        float alpha = n.GetFloat("alpha", 1f), beta = n.GetFloat("beta", 1f);
        int k = a.Logical[1];
        int m = transB ? b.Shape[0] : b.Shape[1];
        if ((transB ? b.Shape[1] : b.Shape[0]) != k) throw new OnnxFormatException($"{n.Label}: A {ShapeUtil.Format(a.Logical)} and B {ShapeUtil.Format(b.Shape)} do not multiply (transB={(transB ? 1 : 0)})");
        var w = new float[m * k];
        for (int o = 0; o < m; o++)
            for (int i = 0; i < k; i++)
                w[o * k + i] = alpha * (float)(transB ? b.Data[o * k + i] : b.Data[i * m + o]);
        var bias = new float[m];
        if (c != null)
        {
            var rows = a.Logical[0];
            var full = ShapeUtil.Broadcast(c.Shape, new[] { rows, m });
            if (full == null || full.Length != 2 || full[0] != rows || full[1] != m)
                throw new OnnxFormatException($"{n.Label}: C {ShapeUtil.Format(c.Shape)} does not broadcast to [{rows},{m}]");
            var cd = ShapeUtil.BroadcastTo(c.Data, c.Shape, new[] { rows, m });
            for (int o = 0; o < m; o++)
            {
                bias[o] = beta * (float)cd[o];
                for (int r = 1; r < rows; r++)
                    if (cd[r * m + o] != cd[o]) throw new OnnxUnsupportedException($"{n.Label}: C differs between rows");
            }
        }
        float[]? scales = null;
        if (b.Quant != null && alpha == 1f)
        {
            int outAxis = transB ? 0 : 1;
            if (b.Quant.Axis == -1) scales = Enumerable.Repeat(b.Quant.Scales[0], m).ToArray();
            else if (b.Quant.Axis == outAxis) scales = b.Quant.Scales;
        }
        FullyConnected(n, a, w, bias, m, k, scales);
    }

    private void MatMul(OnnxNode n)
    {
        var aName = n.Input(0)!;
        var bName = n.Input(1) ?? throw new OnnxFormatException($"{n.Label}: input 1 is missing");
        if (_vals[aName].Const != null)
            throw new OnnxUnsupportedException($"{n.Label}: constant × activation MatMul is not supported (only activation × constant weights)");
        var a = NeedAct(n, 0);
        var b = _vals[bName].Const ?? throw new OnnxUnsupportedException($"{n.Label}: MatMul of two activations is not supported (the second input must be constant weights)");
        if (b.Shape.Length != 2) throw new OnnxUnsupportedException($"{n.Label}: weights {ShapeUtil.Format(b.Shape)} must have rank 2");
        if (a.Logical.Length < 2) throw new OnnxUnsupportedException($"{n.Label}: input {ShapeUtil.Format(a.Logical)} must have rank ≥ 2");
        int k = b.Shape[0], m = b.Shape[1];
        var w = new float[m * k];
        for (int o = 0; o < m; o++)
            for (int i = 0; i < k; i++) w[o * k + i] = (float)b.Data[i * m + o];
        float[]? scales = b.Quant == null ? null : b.Quant.Axis == 1 ? b.Quant.Scales
            : b.Quant.Axis == -1 ? Enumerable.Repeat(b.Quant.Scales[0], m).ToArray() : null;
        FullyConnected(n, a, w, new float[m], m, k, scales);
    }

    // ---- element-wise

    private void Binary(OnnxNode n)
    {
        var an = n.Input(0) ?? throw new OnnxFormatException($"{n.Label}: input 0 is missing");
        var bn = n.Input(1) ?? throw new OnnxFormatException($"{n.Label}: input 1 is missing");
        var av = _vals[an];
        var bv = _vals[bn];
        if (av.Const == null && bv.Const == null)
        {
            if (n.OpType != "Add")
                throw new OnnxUnsupportedException($"{n.Label}: {n.OpType} of two activations is not supported (only Add, or {n.OpType} by a constant)");
            var a = NeedAct(n, 0);
            var b = NeedAct(n, 1);
            if (!ShapeUtil.Equal(a.Logical, b.Logical))
                throw new OnnxUnsupportedException($"{n.Label}: Add of {ShapeUtil.Format(a.Logical)} and {ShapeUtil.Format(b.Logical)} needs broadcasting, which is not supported");
            if (!MapIs(b, MapOf(a)))
                throw new OnnxUnsupportedException($"{n.Label}: the two inputs of Add are stored in different layouts");
            var phys = _g.Tensor(a.Ir).Shape;
            var node = new AddNode(n.Name, n.Label, a.Ir, View(b, phys, n.Label), OutName(n));
            Emit(node, phys);
            Set(n, 0, ActVal(node.Output, a.Logical, a.Map));
            return;
        }
        bool constFirst = av.Const != null;
        var x = NeedAct(n, constFirst ? 1 : 0);
        var c = constFirst ? av.Const! : bv.Const!;
        var (cs, ok) = PerChannel(x, c);
        if (!ok)
            throw new OnnxUnsupportedException(
                $"{n.Label}: {n.OpType} by a constant {ShapeUtil.Format(c.Shape)} that varies along other than the channel axis (or broadcasts the activation {ShapeUtil.Format(x.Logical)}) is not supported");
        float[] scale, shift;
        switch (n.OpType)
        {
            case "Add": scale = new[] { 1f }; shift = cs; break;
            case "Mul": scale = cs; shift = new[] { 0f }; break;
            case "Sub" when !constFirst: scale = new[] { 1f }; shift = cs.Select(v => -v).ToArray(); break;
            case "Sub": scale = new[] { -1f }; shift = cs; break;
            case "Div" when !constFirst: scale = cs.Select(v => 1f / v).ToArray(); shift = new[] { 0f }; break;
            default: throw new OnnxUnsupportedException($"{n.Label}: constant ÷ activation is not supported");
        }
        Affine(n, x, scale, shift);
    }

    /// <summary>A constant broadcast against activation <paramref name="x"/> as values per physical channel
    /// (the last physical axis), or one value when it is uniform; ok = false when it varies otherwise.</summary>
    private (float[] Values, bool Ok) PerChannel(Val x, ConstTensor c)
    {
        var shape = ShapeUtil.Broadcast(x.Logical, c.Shape);
        if (shape == null || !ShapeUtil.Equal(shape, x.Logical)) return (Array.Empty<float>(), false);
        var full = ShapeUtil.BroadcastTo(c.Data, c.Shape, x.Logical);
        var map = MapOf(x);
        var phys = _g.Tensor(x.Ir).Shape;
        int ch = phys[^1];
        var per = new float[ch];
        for (int i = 0; i < ch; i++) per[i] = (float)full[map[i]];
        for (int i = 0; i < map.Length; i++)
            if ((float)full[map[i]] != per[i % ch]) return (Array.Empty<float>(), false);
        return per.All(v => v == per[0]) ? (new[] { per[0] }, true) : (per, true);
    }

    private void Affine(OnnxNode n, Val x, float[] scale, float[] shift)
    {
        var node = new ChannelAffineNode(n.Name, n.Label, x.Ir, OutName(n), scale, shift);
        Emit(node, _g.Tensor(x.Ir).Shape);
        Set(n, 0, ActVal(node.Output, x.Logical, x.Map));
    }

    private void BatchNorm(OnnxNode n)
    {
        var x = NeedAct(n, 0);
        var gamma = NeedConst(n, 1, "scale");
        var beta = NeedConst(n, 2, "bias");
        var mean = NeedConst(n, 3, "mean");
        var vr = NeedConst(n, 4, "var");
        if (n.GetInt("training_mode", 0) != 0) throw new OnnxUnsupportedException($"{n.Label}: training_mode=1 is not supported");
        NoExtraOutputs(n, 1);
        if (x.Logical.Length < 2) throw new OnnxFormatException($"{n.Label}: input {ShapeUtil.Format(x.Logical)} has no channel axis");
        int ch = x.Logical[1];
        foreach (var t in new[] { gamma, beta, mean, vr })
            if (t.Count != ch) throw new OnnxFormatException($"{n.Label}: {t.Count} values for {ch} channels");
        double eps = n.GetFloat("epsilon", 1e-5f);
        var s = new double[ch];
        var sh = new double[ch];
        for (int i = 0; i < ch; i++)
        {
            s[i] = gamma.Data[i] / Math.Sqrt(vr.Data[i] + eps);
            sh[i] = beta.Data[i] - mean.Data[i] * s[i];
        }
        var cshape = new int[x.Logical.Length - 1];
        cshape[0] = ch;
        for (int i = 1; i < cshape.Length; i++) cshape[i] = 1;
        var (scale, ok1) = PerChannel(x, new ConstTensor(OnnxDataType.Float, cshape, s.Select(v => (double)(float)v).ToArray()));
        var (shift, ok2) = PerChannel(x, new ConstTensor(OnnxDataType.Float, cshape, sh.Select(v => (double)(float)v).ToArray()));
        if (!ok1 || !ok2)
            throw new OnnxUnsupportedException($"{n.Label}: input '{x.Name}' is not stored channels-last, so its channels cannot be scaled");
        Affine(n, x, scale, shift);
    }

    private ActivationNode Activation(OnnxNode n, FloatOp op, float min, float max)
    {
        var x = NeedAct(n, 0);
        var node = new ActivationNode(op, n.Name, n.Label, x.Ir, OutName(n));
        if (op == FloatOp.Clamp) { node.ActMin = min; node.ActMax = max; }
        Emit(node, _g.Tensor(x.Ir).Shape);
        Set(n, 0, ActVal(node.Output, x.Logical, x.Map));
        return node;
    }

    private void Clip(OnnxNode n)
    {
        float min = float.NegativeInfinity, max = float.PositiveInfinity;
        if (n.Has("min")) min = n.GetFloat("min", min);
        if (n.Has("max")) max = n.GetFloat("max", max);
        if (n.Input(1) != null) min = (float)NeedScalar(n, 1, "min");
        if (n.Input(2) != null) max = (float)NeedScalar(n, 2, "max");
        if (!(min <= max)) throw new OnnxFormatException($"{n.Label}: min {min} > max {max}");
        Activation(n, FloatOp.Clamp, min, max);
    }

    private double NeedScalar(OnnxNode n, int i, string what)
    {
        var c = NeedConst(n, i, what);
        if (c.Count != 1) throw new OnnxFormatException($"{n.Label}: {what} must be a scalar, got {ShapeUtil.Format(c.Shape)}");
        return c.Data[0];
    }

    private void Softmax(OnnxNode n)
    {
        var x = NeedAct(n, 0);
        int r = x.Logical.Length;
        long axisAttr = n.GetInt("axis", _m.Opset >= 13 ? -1 : 1);
        int axis = ConstFolder.NormAxis(n, axisAttr, r);
        // Opset 13 normalizes along one axis; earlier opsets over the flattened axes [axis, r).
        var reduced = new bool[r];
        for (int d = axis; d < (_m.Opset >= 13 ? axis + 1 : r); d++) reduced[d] = true;
        int groupSize = 1;
        for (int d = 0; d < r; d++) if (reduced[d]) groupSize *= x.Logical[d];
        var phys = _g.Tensor(x.Ir).Shape;
        var map = MapOf(x);
        int last = phys[^1];
        bool ok = last == groupSize;
        for (int i = 0; ok && i < map.Length; i++)
        {
            var li = ShapeUtil.Unravel(map[i], x.Logical);
            var l0 = ShapeUtil.Unravel(map[i - i % last], x.Logical);
            for (int d = 0; d < r; d++) if (!reduced[d] && li[d] != l0[d]) { ok = false; break; }
        }
        if (!ok)
            throw new OnnxUnsupportedException($"{n.Label}: softmax over axis {axisAttr} of {ShapeUtil.Format(x.Logical)} is not along the innermost stored axis");
        var node = new SoftmaxNode(n.Name, n.Label, x.Ir, OutName(n));
        Emit(node, phys);
        Set(n, 0, ActVal(node.Output, x.Logical, x.Map));
    }

    private void Pool(OnnxNode n, bool max)
    {
        var x = NeedAct(n, 0);
        int r = x.Logical.Length;
        if (r is not (3 or 4)) throw new OnnxUnsupportedException($"{n.Label}: {r - 2}D pooling is not supported");
        int s = r - 2;
        if (max) NoExtraOutputs(n, 1);
        var kernel = IntsAttr(n, "kernel_shape", s, 0);
        if (!n.Has("kernel_shape")) throw new OnnxFormatException($"{n.Label} has no kernel_shape");
        var strides = IntsAttr(n, "strides", s, 1);
        var dil = IntsAttr(n, "dilations", s, 1);
        if (dil.Any(d => d != 1)) throw new OnnxUnsupportedException($"{n.Label}: dilated pooling is not supported");
        if (max && n.GetInt("storage_order", 0) != 0) throw new OnnxUnsupportedException($"{n.Label}: storage_order=1 is not supported");
        bool ceil = n.GetInt("ceil_mode", 0) != 0;
        var inSp = x.Logical.Skip(2).ToArray();
        Window(n, inSp, kernel, strides, dil, ceil, out var pb, out var pe, out var outSp);
        if (!max && n.GetInt("count_include_pad", 0) != 0 && (pb.Any(p => p != 0) || pe.Any(p => p != 0) || ceil))
            throw new OnnxUnsupportedException($"{n.Label}: count_include_pad=1 with padding is not supported (the runtime averages the valid taps only)");
        string input = NeedChannelsLast(n, x);
        var node = new PoolNode(max, n.Name, n.Label, input, OutName(n));
        SetWindow(node, kernel, strides, dil, pb, pe);
        var outLogical = new[] { x.Logical[0], x.Logical[1] }.Concat(outSp).ToArray();
        Emit(node, ShapeUtil.Permute(outLogical, ShapeUtil.ChannelsLastPerm(r)));
        Set(n, 0, ChannelsLastVal(node.Output, outLogical));
    }

    private void GlobalAveragePool(OnnxNode n)
    {
        var x = NeedAct(n, 0);
        int r = x.Logical.Length;
        if (r is not (3 or 4)) throw new OnnxUnsupportedException($"{n.Label}: input rank {r} is not supported");
        string input = NeedChannelsLast(n, x);
        var node = new MeanNode(n.Name, n.Label, input, OutName(n)) { KeepDims = true };
        var outLogical = x.Logical.Select((d, i) => i < 2 ? d : 1).ToArray();
        Emit(node, ShapeUtil.Permute(outLogical, ShapeUtil.ChannelsLastPerm(r)));
        Set(n, 0, ChannelsLastVal(node.Output, outLogical));
    }

    private void ReduceMean(OnnxNode n)
    {
        var x = NeedAct(n, 0);
        int r = x.Logical.Length;
        var axesL = n.GetInts("axes");
        if (axesL == null && n.Input(1) != null) axesL = NeedConst(n, 1, "axes").ToLongs();
        bool keep = n.GetInt("keepdims", 1) != 0;
        var axes = new bool[r];
        if (axesL == null || axesL.Length == 0) { for (int d = 0; d < r; d++) axes[d] = true; }
        else foreach (var a in axesL) axes[ConstFolder.NormAxis(n, a, r)] = true;
        var outLogical = keep ? x.Logical.Select((d, i) => axes[i] ? 1 : d).ToArray()
                              : x.Logical.Where((_, i) => !axes[i]).ToArray();
        var perm = FindPerm(x);
        if (perm == null)
            throw new OnnxUnsupportedException($"{n.Label}: input '{x.Name}' is stored in a layout Micro cannot reduce");
        var phys = ShapeUtil.Permute(x.Logical, perm);
        bool ok = r >= 3;
        for (int j = 0; j < r && ok; j++)
        {
            bool red = axes[perm[j]];
            bool spatial = j >= 1 && j <= r - 2;
            if (red && !spatial && phys[j] != 1) ok = false;
            if (!red && spatial && phys[j] != 1) ok = false;
        }
        if (!ok)
            throw new OnnxUnsupportedException(
                $"{n.Label}: mean over axes [{string.Join(",", axesL ?? Array.Empty<long>())}] of {ShapeUtil.Format(x.Logical)}; the runtime averages over all spatial axes of a channels-last tensor only");
        string input = View(x, phys, n.Label);
        var node = new MeanNode(n.Name, n.Label, input, OutName(n)) { KeepDims = keep };
        int[] physOut = keep ? phys.Select((d, j) => j >= 1 && j <= r - 2 ? 1 : d).ToArray() : new[] { phys[0], phys[^1] };
        // Output map: physical (n, 1…, c) ← input physical (n, 0…, c), with the reduced logical axes dropped.
        var inMap = ShapeUtil.PermMap(x.Logical, perm);
        var outMap = new int[ShapeUtil.Count(physOut)];
        int ch = phys[^1];
        int spatialCount = ShapeUtil.Count(phys) / (phys[0] * ch);
        for (int i = 0; i < outMap.Length; i++)
        {
            int b = i / ch, c = i % ch;
            var li = ShapeUtil.Unravel(inMap[(b * spatialCount) * ch + c], x.Logical);
            var lo = keep ? li.Select((v, d) => axes[d] ? 0 : v).ToArray() : li.Where((_, d) => !axes[d]).ToArray();
            outMap[i] = ShapeUtil.Ravel(lo, outLogical);
        }
        Emit(node, physOut);
        Set(n, 0, ActVal(node.Output, outLogical, outMap));
    }

    private void Transpose(OnnxNode n)
    {
        var x = NeedAct(n, 0);
        var perm = ConstFolder.TransposePerm(n, x.Logical.Length);
        var outLogical = ShapeUtil.Permute(x.Logical, perm);
        var map = MapOf(x);
        var outMap = new int[map.Length];
        int r = perm.Length;
        var b = new int[r];
        for (int i = 0; i < map.Length; i++)
        {
            var a = ShapeUtil.Unravel(map[i], x.Logical);
            for (int j = 0; j < r; j++) b[j] = a[perm[j]];
            outMap[i] = ShapeUtil.Ravel(b, outLogical);
        }
        Set(n, 0, new Val { Ir = x.Ir, Logical = outLogical, Map = NullIfIdentity(outMap) });
    }

    private void Dropout(OnnxNode n)
    {
        var x = NeedAct(n, 0);
        if (n.Input(2) != null)
        {
            var tm = ConstOrNull(n, 2) ?? throw new OnnxUnsupportedException($"{n.Label}: training_mode must be a constant");
            if (tm.Data[0] != 0) throw new OnnxUnsupportedException($"{n.Label}: training_mode=true is not supported");
        }
        NoExtraOutputs(n, 1);
        Set(n, 0, x);
    }

    private void Concat(OnnxNode n)
    {
        var parts = new List<Val>();
        for (int i = 0; i < n.Inputs.Length; i++)
            if (n.Input(i) != null) parts.Add(NeedAct(n, i));
        if (parts.Count == 0) throw new OnnxFormatException($"{n.Label} has no inputs");
        int r = parts[0].Logical.Length;
        int axis = ConstFolder.NormAxis(n, n.GetInt("axis", 0), r);
        var outLogical = (int[])parts[0].Logical.Clone();
        outLogical[axis] = 0;
        foreach (var p in parts)
        {
            if (p.Logical.Length != r) throw new OnnxFormatException($"{n.Label}: inputs of different ranks");
            for (int d = 0; d < r; d++)
                if (d != axis && p.Logical[d] != parts[0].Logical[d])
                    throw new OnnxFormatException($"{n.Label}: shapes {ShapeUtil.Format(parts[0].Logical)} and {ShapeUtil.Format(p.Logical)} differ outside axis {axis}");
            outLogical[axis] += p.Logical[axis];
        }
        int[]? perm = null;
        foreach (var cand in new[] { ShapeUtil.ChannelsLastPerm(r), ShapeUtil.Identity(r) })
            if (parts.All(p => MapIs(p, ShapeUtil.PermMap(p.Logical, cand)))) { perm = cand; break; }
        if (perm == null) throw new OnnxUnsupportedException($"{n.Label}: the inputs of Concat are stored in different layouts");
        int physAxis = Array.IndexOf(perm, axis);
        var inputs = parts.Select(p => View(p, ShapeUtil.Permute(p.Logical, perm), n.Label)).ToArray();
        var node = new ConcatNode(n.Name, n.Label, inputs, OutName(n), physAxis);
        Emit(node, ShapeUtil.Permute(outLogical, perm));
        Set(n, 0, ActVal(node.Output, outLogical, ShapeUtil.PermMap(outLogical, perm)));
    }

    private void Pad(OnnxNode n)
    {
        var x = NeedAct(n, 0);
        int r = x.Logical.Length;
        string mode = n.GetString("mode", "constant");
        if (mode != "constant") throw new OnnxUnsupportedException($"{n.Label}: pad mode '{mode}' is not supported (only constant zero padding)");
        long[] pads = n.Input(1) != null ? NeedConst(n, 1, "pads").ToLongs()
            : n.GetInts("pads") ?? throw new OnnxFormatException($"{n.Label} has no pads");
        double value = n.Input(2) != null ? NeedScalar(n, 2, "constant_value") : n.GetFloat("value", 0f);
        if (n.Input(3) != null) throw new OnnxUnsupportedException($"{n.Label}: the axes input is not supported");
        if (pads.Length != 2 * r) throw new OnnxFormatException($"{n.Label}: {pads.Length} pads for rank {r}");
        if (pads.Any(p => p < 0)) throw new OnnxUnsupportedException($"{n.Label}: negative padding (cropping) is not supported");
        if (pads.All(p => p == 0)) { Set(n, 0, x); return; }
        if (value != 0) throw new OnnxUnsupportedException($"{n.Label}: padding with {value} is not supported (only zero)");
        var perm = FindPerm(x) ?? throw new OnnxUnsupportedException($"{n.Label}: input '{x.Name}' is stored in a layout Micro cannot pad");
        var before = new int[r];
        var after = new int[r];
        for (int j = 0; j < r; j++) { before[j] = (int)pads[perm[j]]; after[j] = (int)pads[r + perm[j]]; }
        var outLogical = x.Logical.Select((d, i) => d + (int)pads[i] + (int)pads[r + i]).ToArray();
        string input = View(x, ShapeUtil.Permute(x.Logical, perm), n.Label);
        var node = new PadNode(n.Name, n.Label, input, OutName(n), before, after);
        Emit(node, ShapeUtil.Permute(outLogical, perm));
        Set(n, 0, ActVal(node.Output, outLogical, ShapeUtil.PermMap(outLogical, perm)));
    }

    private void QuantizeLinear(OnnxNode n)
    {
        var x = NeedAct(n, 0);
        var scale = NeedConst(n, 1, "y_scale");
        var zp = ConstOrNull(n, 2);
        if (n.Input(2) != null && zp == null) throw new OnnxUnsupportedException($"{n.Label}: y_zero_point must be a constant");
        if (scale.Count != 1 || (zp != null && zp.Count != 1))
            throw new OnnxUnsupportedException($"{n.Label}: per-axis quantization of an activation is not supported");
        if (!(scale.Data[0] > 0) || double.IsInfinity(scale.Data[0])) throw new OnnxFormatException($"{n.Label}: scale {scale.Data[0]}");
        var (qmin, qmax, _) = ConstFolder.QuantRange(n, zp);
        Set(n, 0, new Val { Quant = new PendingQuant(x, (float)scale.Data[0], (int)(zp?.Data[0] ?? 0), qmin, qmax, n), Logical = x.Logical });
    }

    private void DequantizeLinear(OnnxNode n)
    {
        var name = n.Input(0) ?? throw new OnnxFormatException($"{n.Label}: input 0 is missing");
        var q = _vals[name].Quant ?? throw new OnnxUnsupportedException($"{n.Label}: DequantizeLinear of '{name}', which no QuantizeLinear produced, is not supported");
        var scale = NeedConst(n, 1, "x_scale");
        var zp = ConstOrNull(n, 2);
        if (scale.Count != 1 || (float)scale.Data[0] != q.Scale || (int)(zp?.Data[0] ?? 0) != q.ZeroPoint)
            throw new OnnxUnsupportedException($"{n.Label}: its scale and zero point differ from those of {q.Node.Label}");
        var x = q.Source;
        var node = new FakeQuantizeNode(n.Name, $"{q.Node.Label} + {n.Label}", x.Ir, OutName(n), q.Scale, q.ZeroPoint, q.QMin, q.QMax);
        Emit(node, _g.Tensor(x.Ir).Shape);
        Set(n, 0, ActVal(node.Output, x.Logical, x.Map));
    }
}
