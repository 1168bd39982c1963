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

// Slice of an activation; physical transposes where a consumer needs another layout.
internal sealed partial class OnnxLowering
{
    /// <summary>Slice with constant starts/ends/axes/steps (inputs from opset 10, attributes before), positive
    /// steps: a layout no-op when it keeps every element, else a STRIDED_SLICE on the physical tensor.</summary>
    private void Slice(OnnxNode n)
    {
        var x = NeedAct(n, 0);
        int r = x.Logical.Length;
        long[] starts, ends;
        long[]? axes, steps = null;
        if (_m.Opset < 10 && n.Input(1) == null)
        {
            starts = n.GetInts("starts") ?? throw new OnnxFormatException($"{n.Label} has no starts");
            ends = n.GetInts("ends") ?? throw new OnnxFormatException($"{n.Label} has no ends");
            axes = n.GetInts("axes");
        }
        else
        {
            starts = NeedConst(n, 1, "starts").ToLongs();
            ends = NeedConst(n, 2, "ends").ToLongs();
            axes = n.Input(3) != null ? NeedConst(n, 3, "axes").ToLongs() : null;
            steps = n.Input(4) != null ? NeedConst(n, 4, "steps").ToLongs() : null;
        }
        axes ??= Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        steps ??= Enumerable.Repeat(1L, starts.Length).ToArray();
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length)
            throw new OnnxFormatException($"{n.Label}: starts, ends, axes and steps differ in length");
        var begin = new int[r];
        var step = Enumerable.Repeat(1, r).ToArray();
        var outLogical = (int[])x.Logical.Clone();
        for (int i = 0; i < starts.Length; i++)
        {
            int d = ConstFolder.NormAxis(n, axes[i], r);
            long dim = x.Logical[d], s = steps[i];
            if (s <= 0) throw new OnnxUnsupportedException($"{n.Label}: step {s} on axis {d}; Micro slices activations with positive steps only");
            long b = Math.Clamp(starts[i] < 0 ? starts[i] + dim : starts[i], 0, dim);
            long e = Math.Clamp(ends[i] < 0 ? ends[i] + dim : ends[i], 0, dim);
            long count = (e - b + s - 1) / s;
            if (count < 1) throw new OnnxUnsupportedException($"{n.Label}: the slice of axis {d} is empty");
            begin[d] = (int)b;
            step[d] = (int)Math.Min(s, dim);
            outLogical[d] = (int)count;
        }
        if (ShapeUtil.Equal(outLogical, x.Logical)) { Set(n, 0, x); return; }
        var perm = FindPerm(x) ?? throw new OnnxUnsupportedException($"{n.Label}: input '{x.Name}' is stored in a layout Micro cannot slice");
        string input = View(x, ShapeUtil.Permute(x.Logical, perm), n.Label);
        var node = new StridedSliceNode(n.Name, n.Label, input, OutName(n),
            perm.Select(a => begin[a]).ToArray(), perm.Select(a => step[a]).ToArray());
        Emit(node, ShapeUtil.Permute(outLogical, perm));
        Set(n, 0, ActVal(node.Output, outLogical, ShapeUtil.PermMap(outLogical, perm)));
    }

    /// <summary>The axis permutation p with <paramref name="v"/>'s data stored as Permute(Logical, p), or null.</summary>
    private static int[]? AnyPerm(Val v)
    {
        // Channels-last and identity first: with dims of size 1 several permutations give the same map.
        if (FindPerm(v) is { } known) return known;
        foreach (var p in Permutations(v.Logical.Length))
            if (MapIs(v, ShapeUtil.PermMap(v.Logical, p))) return p;
        return null;
    }

    private static IEnumerable<int[]> Permutations(int r)
    {
        if (r == 0) { yield return Array.Empty<int>(); yield break; }
        foreach (var rest in Permutations(r - 1))
            for (int k = 0; k <= rest.Length; k++)
            {
                var p = new int[r];
                for (int i = 0, j = 0; i < r; i++) p[i] = i == k ? r - 1 : rest[j++];
                yield return p;
            }
    }

    /// <summary>
    /// A physical TRANSPOSE of <paramref name="v"/> into layout <paramref name="target"/> (physical axis k
    /// holds logical axis target[k]) when its data is some other axis permutation; null when it is not one.
    /// </summary>
    private Val? Transposed(OnnxNode n, Val v, int[] target)
    {
        var p = AnyPerm(v);
        if (p == null) return null;
        var t = target.Select(a => Array.IndexOf(p, a)).ToArray();
        string input = View(v, ShapeUtil.Permute(v.Logical, p), n.Label);
        var node = new TransposeNode(_g.FreshName(v.Ir + "_transposed"), n.Label, input, _g.FreshName(v.Ir + "_transposed"), t);
        Emit(node, ShapeUtil.Permute(v.Logical, target));
        return new Val { Ir = node.Output, Logical = v.Logical, Map = NullIfIdentity(ShapeUtil.PermMap(v.Logical, target)), Name = v.Name };
    }
}
