namespace Micro.Tooling.Onnx;

// Add/Sub/Mul/Div, BatchNormalization, activations, Softmax.
internal sealed partial class OnnxLowering
{
    // ---- element-wise

    private void Binary(OnnxNode n)
    {
        var an = n.Input(0) ?? throw new OnnxFormatException($"{n.Label}: input 0 is missing");
        var bn = n.Input(1) ?? throw new OnnxFormatException($"{n.Label}: input 1 is missing");
        var av = _vals[an];
        var bv = _vals[bn];
        if (av.Const == null && bv.Const == null)
        {
            var a = NeedAct(n, 0);
            var b = NeedAct(n, 1);
            if (n.OpType != "Add" || !ShapeUtil.Equal(a.Logical, b.Logical) || !MapIs(b, MapOf(a)))
            {
                BinaryOfActivations(n);
                return;
            }
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
}

// Element-wise ops of two activations (broadcasting) and the activations that run as a lookup table.
internal sealed partial class OnnxLowering
{
    /// <summary>Add (of other shapes), Sub, Mul or Div of two activations. Broadcasting follows NumPy on the ONNX
    /// shapes; both operands must be stored in the same axis order (channels-last or as is), so broadcasting
    /// on the physical shapes is the same. A per-channel gate [N,C,1,1] against [N,C,H,W] is.</summary>
    private void BinaryOfActivations(OnnxNode n)
    {
        var a = NeedAct(n, 0);
        var b = NeedAct(n, 1);
        int r = Math.Max(a.Logical.Length, b.Logical.Length);
        a = WithRank(a, r);
        b = WithRank(b, r);
        var outLogical = ShapeUtil.Broadcast(a.Logical, b.Logical)
            ?? throw new OnnxFormatException($"{n.Label}: shapes {ShapeUtil.Format(a.Logical)} and {ShapeUtil.Format(b.Logical)} do not broadcast");
        int[]? perm = null;
        foreach (var cand in new[] { ShapeUtil.ChannelsLastPerm(r), ShapeUtil.Identity(r) })
            if (MapIs(a, ShapeUtil.PermMap(a.Logical, cand)) && MapIs(b, ShapeUtil.PermMap(b.Logical, cand))) { perm = cand; break; }
        if (perm == null)
            throw new OnnxUnsupportedException($"{n.Label}: the two inputs of {n.OpType} ({ShapeUtil.Format(a.Logical)}, {ShapeUtil.Format(b.Logical)}) are stored in different layouts");
        var pa = ShapeUtil.Permute(a.Logical, perm);
        var pb = ShapeUtil.Permute(b.Logical, perm);
        var py = ShapeUtil.Permute(outLogical, perm);
        var op = n.OpType switch
        {
            "Mul" => FloatOp.Mul,
            "Sub" => FloatOp.Sub,
            "Div" => FloatOp.Div,
            _ => FloatOp.BroadcastAdd,
        };
        var node = new BinaryNode(op, n.Name, n.Label, View(a, pa, n.Label), View(b, pb, n.Label), OutName(n));
        Emit(node, py);
        Set(n, 0, ActVal(node.Output, outLogical, ShapeUtil.PermMap(outLogical, perm)));
    }

    /// <summary><paramref name="v"/> with leading 1s up to rank <paramref name="r"/> (its data order is unchanged).</summary>
    private static Val WithRank(Val v, int r)
    {
        if (v.Logical.Length == r) return v;
        var logical = new int[r];
        int k = r - v.Logical.Length;
        for (int i = 0; i < r; i++) logical[i] = i < k ? 1 : v.Logical[i - k];
        return new Val { Ir = v.Ir, Logical = logical, Map = v.Map, Name = v.Name };
    }

    /// <summary>An activation computed as y = f(x) through a lookup table.</summary>
    private void Pointwise(OnnxNode n, Func<double, double> f, string description, (double Min, double Max)? outputRange = null)
    {
        var x = NeedAct(n, 0);
        var node = new PointwiseNode(n.Name, n.Label, x.Ir, OutName(n), f, description) { OutputRange = outputRange };
        Emit(node, _g.Tensor(x.Ir).Shape);
        Set(n, 0, ActVal(node.Output, x.Logical, x.Map));
    }

    /// <summary>Unary ONNX activations that run as a table (PointwiseNode); false when <paramref name="n"/> is none of them.</summary>
    private bool TryPointwise(OnnxNode n)
    {
        switch (n.OpType)
        {
            case "HardSigmoid":
                {
                    double alpha = n.GetFloat("alpha", 0.2f), beta = n.GetFloat("beta", 0.5f);
                    Pointwise(n, v => Math.Clamp(alpha * v + beta, 0, 1), $"HardSigmoid(α={alpha:G4}, β={beta:G4})", (0, 1));
                    return true;
                }
            case "HardSwish":
                Pointwise(n, v => v * Math.Clamp(v / 6 + 0.5, 0, 1), "HardSwish");
                return true;
            case "Erf":
                Pointwise(n, Erf, "Erf", (-1, 1));
                return true;
            case "Gelu":
                if (n.GetString("approximate", "none") == "tanh")
                    Pointwise(n, v => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))), "GELU(tanh)");
                else
                    Pointwise(n, v => 0.5 * v * (1 + Erf(v / Math.Sqrt(2))), "GELU(erf)");
                return true;
            case "Softplus":
                Pointwise(n, v => v > 30 ? v : Math.Log(1 + Math.Exp(v)), "Softplus");
                return true;
            case "Elu":
                {
                    double alpha = n.GetFloat("alpha", 1f);
                    Pointwise(n, v => v >= 0 ? v : alpha * (Math.Exp(v) - 1), $"Elu(α={alpha:G4})");
                    return true;
                }
            case "Exp":
                Pointwise(n, Math.Exp, "Exp");
                return true;
            case "Neg":
                Pointwise(n, v => -v, "Neg");
                return true;
            case "Abs":
                Pointwise(n, Math.Abs, "Abs");
                return true;
            case "Pow":
                {
                    var e = ConstOrNull(n, 1);
                    if (e == null || e.Count != 1)
                        throw new OnnxUnsupportedException($"{n.Label}: Pow needs a scalar constant exponent");
                    double p = e.Data[0];
                    Pointwise(n, v => Math.Pow(v, p), $"Pow({p:G4})");
                    return true;
                }
            default:
                return false;
        }
    }

    /// <summary>The error function (Abramowitz–Stegun 7.1.26 is too coarse for GELU tables; this is the
    /// complementary-error-function series of Numerical Recipes' erfc, relative error below 1.2e-7).</summary>
    internal static double Erf(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - r : r - 1;
    }
}
