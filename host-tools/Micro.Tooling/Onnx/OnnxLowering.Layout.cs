namespace Micro.Tooling.Onnx;

// Transpose, Dropout, Concat, Pad, QuantizeLinear/DequantizeLinear.
internal sealed partial class OnnxLowering
{
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
