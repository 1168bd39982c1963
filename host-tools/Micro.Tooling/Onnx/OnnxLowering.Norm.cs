namespace Micro.Tooling.Onnx;

// LayerNormalization over the last axis, or the ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div(/Mul/Add) chain
// exporters write for it before opset 17: a LAYER_NORM node.
internal sealed partial class OnnxLowering
{
    private void LayerNormalization(OnnxNode n)
    {
        var x = NeedAct(n, 0);
        int r = x.Logical.Length;
        int axis = ConstFolder.NormAxis(n, n.GetInt("axis", -1), r);
        if (axis != r - 1)
            throw new OnnxUnsupportedException($"{n.Label}: LayerNormalization over axes {axis}..{r - 1}; Micro normalizes over the last axis only");
        NoExtraOutputs(n, 1);
        int c = x.Logical[^1];
        var gamma = NeedConst(n, 1, "scale");
        var beta = n.Input(2) != null ? NeedConst(n, 2, "bias") : null;
        float[] Expand(ConstTensor t, string what)
        {
            if (t.Count == c) return t.ToFloats();
            if (t.Count == 1) return Enumerable.Repeat((float)t.Data[0], c).ToArray();
            throw new OnnxFormatException($"{n.Label}: {what} has {t.Count} values for a last axis of {c}");
        }
        var g = Expand(gamma, "scale");
        var b = beta == null ? new float[c] : Expand(beta, "bias");
        // The rows must be contiguous: the data in its own (logical) order, transposed into it if stored otherwise.
        var identity = ShapeUtil.Identity(r);
        if (!MapIs(x, ShapeUtil.PermMap(x.Logical, identity)))
            x = Transposed(n, x, identity) ?? throw new OnnxUnsupportedException($"{n.Label}: input '{x.Name}' is stored in a layout Micro cannot normalize");
        string input = View(x, x.Logical, n.Label);
        var node = new LayerNormNode(n.Name, n.Label, input, OutName(n), g, b, n.GetFloat("epsilon", 1e-5f));
        Emit(node, x.Logical);
        Set(n, 0, ActVal(node.Output, x.Logical, null));
    }

    /// <summary>Nodes lowered as part of an earlier fused pattern (skipped when their turn comes).</summary>
    private readonly HashSet<OnnxNode> _fused = new();

    /// <summary>
    /// The decomposed LayerNorm PyTorch exports before opset 17, starting at its first ReduceMean <paramref name="n"/>:
    /// mean = ReduceMean(x, −1); d = x − mean; v = ReduceMean(d², −1); y = d / Sqrt(v + ε) [· γ] [+ β]
    /// (constants ε, γ, β; every intermediate used only inside the chain). Lowers the whole chain to one
    /// LAYER_NORM and returns true; false (nothing done) when the nodes around <paramref name="n"/> differ.
    /// </summary>
    private bool DecomposedLayerNorm(OnnxNode n)
    {
        if (n.Input(0) is not { } xName || _vals[xName].Const != null || _vals[xName].Quant != null) return false;
        var x = _vals[xName];
        int r = x.Logical.Length;
        if (!LastAxisOnly(n, r)) return false;
        var sub = Only(n.Outputs[0]);
        if (sub?.OpType != "Sub" || sub.Input(0) != xName || sub.Input(1) != n.Outputs[0]) return false;
        if (!_consumers.TryGetValue(sub.Outputs[0], out var dUsers) || dUsers.Count != 2 || IsGraphOutput(sub.Outputs[0])) return false;
        var pow = dUsers.FirstOrDefault(u => u.OpType == "Pow");
        var div = dUsers.FirstOrDefault(u => u.OpType == "Div");
        if (pow == null || div == null || pow.Input(0) != sub.Outputs[0] || div.Input(0) != sub.Outputs[0]) return false;
        if (ConstNow(pow.Input(1)) is not { Count: 1 } two || two.Data[0] != 2) return false;
        var mean2 = Only(pow.Outputs[0]);
        if (mean2?.OpType != "ReduceMean" || !LastAxisOnly(mean2, r)) return false;
        var add = Only(mean2.Outputs[0]);
        if (add?.OpType != "Add") return false;
        var epsName = add.Input(0) == mean2.Outputs[0] ? add.Input(1) : add.Input(0);
        if (ConstNow(epsName) is not { Count: 1 } eps || eps.Data[0] < 0) return false;
        var sqrt = Only(add.Outputs[0]);
        if (sqrt?.OpType != "Sqrt" || Only(sqrt.Outputs[0]) != div || div.Input(1) != sqrt.Outputs[0]) return false;
        var chain = new List<OnnxNode> { sub, pow, mean2, add, sqrt, div };
        int c = x.Logical[^1];
        float[]? Channel(OnnxNode node, string output)
        {
            var other = node.Input(0) == output ? node.Input(1) : node.Input(0);
            if (ConstNow(other) is not { } t) return null;
            if (t.Count == c && t.Shape.Length >= 1 && t.Shape[^1] == c) return t.ToFloats();
            return t.Count == 1 ? Enumerable.Repeat((float)t.Data[0], c).ToArray() : null;
        }
        var gamma = Enumerable.Repeat(1f, c).ToArray();
        var beta = new float[c];
        var last = div;
        if (Only(last.Outputs[0]) is { OpType: "Mul" } mul && Channel(mul, last.Outputs[0]) is { } g)
        {
            gamma = g;
            chain.Add(mul);
            last = mul;
            if (Only(last.Outputs[0]) is { OpType: "Add" } addB && Channel(addB, last.Outputs[0]) is { } b)
            {
                beta = b;
                chain.Add(addB);
                last = addB;
            }
        }
        var identity = ShapeUtil.Identity(r);
        if (!MapIs(x, ShapeUtil.PermMap(x.Logical, identity)))
            x = Transposed(n, x, identity) ?? throw new OnnxUnsupportedException($"{n.Label}: input '{x.Name}' is stored in a layout Micro cannot normalize");
        string input = View(x, x.Logical, n.Label);
        string label = $"{n.Label} … {last.Label} (LayerNorm)";
        var node = new LayerNormNode(n.Name, label, input, _g.FreshName(last.Outputs[0]), gamma, beta, (float)eps.Data[0]);
        Emit(node, x.Logical);
        Set(last, 0, ActVal(node.Output, x.Logical, null));
        foreach (var f in chain) _fused.Add(f);
        return true;
    }

    /// <summary>ReduceMean over the last axis only, keeping it (axes as an attribute or, from opset 18, a constant input).</summary>
    private bool LastAxisOnly(OnnxNode n, int rank)
    {
        long[]? axes = n.GetInts("axes") ?? (n.Input(1) != null ? ConstNow(n.Input(1))?.ToLongs() : null);
        return axes is { Length: 1 } && (axes[0] == -1 || axes[0] == rank - 1) && n.GetInt("keepdims", 1) == 1;
    }

    /// <summary>The one node reading <paramref name="value"/>, or null (none, several, or a graph output).</summary>
    private OnnxNode? Only(string value) =>
        _consumers.TryGetValue(value, out var l) && l.Count == 1 && !IsGraphOutput(value) ? l[0] : null;

    private bool IsGraphOutput(string value) => _m.Outputs.Any(o => o.Name == value);

    /// <summary>A constant's value before its turn in the node order: an initializer, a folded value, or a Constant node's.</summary>
    private ConstTensor? ConstNow(string? name)
    {
        if (name == null) return null;
        if (_vals.TryGetValue(name, out var v)) return v.Const;
        var producer = _m.Nodes.FirstOrDefault(p => p.Outputs.Contains(name));
        return producer?.OpType == "Constant" ? ConstFolder.ConstantValue(producer) : null;
    }
}
