namespace Micro.Tooling.Onnx;

/// <summary>Evaluates nodes whose inputs are all constants (Constant, Identity, Dropout, shape arithmetic
/// such as Gather/Concat/Slice/Cast/Reshape, element-wise arithmetic, QuantizeLinear/DequantizeLinear of
/// weights), so they vanish from the graph.</summary>
internal static class ConstFolder
{
    private static readonly HashSet<string> Foldable = new(StringComparer.Ordinal)
    {
        "Constant", "Identity", "Dropout", "Cast", "Gather", "Unsqueeze", "Squeeze", "Concat", "Reshape",
        "Flatten", "Transpose", "Slice", "ConstantOfShape", "Add", "Sub", "Mul", "Div", "Neg", "Sqrt",
        "QuantizeLinear", "DequantizeLinear", "Shape",
    };

    public static bool CanFold(string opType) => Foldable.Contains(opType);

    /// <summary>Outputs of <paramref name="n"/> from constant inputs (null entries are omitted inputs).</summary>
    public static ConstTensor[] Evaluate(OnnxNode n, ConstTensor?[] x, int opset)
    {
        ConstTensor In(int i) => i < x.Length && x[i] != null ? x[i]!
            : throw new OnnxFormatException($"{n.Label}: input {i} is missing");
        switch (n.OpType)
        {
            case "Constant": return new[] { ConstantValue(n) };
            case "Identity": return new[] { In(0) };
            case "Dropout":
                return n.Outputs.Length > 1 && n.Outputs[1].Length > 0
                    ? new[] { In(0), new ConstTensor(OnnxDataType.Bool, In(0).Shape, Enumerable.Repeat(1.0, In(0).Count).ToArray()) }
                    : new[] { In(0) };
            case "Shape": return new[] { ShapeOf(n, In(0).Shape) };
            case "Cast": return new[] { Cast(In(0), (OnnxDataType)n.GetInt("to", 1)) };
            case "Gather": return new[] { Gather(n, In(0), In(1)) };
            case "Unsqueeze":
                {
                    var t = In(0);
                    return new[] { new ConstTensor(t.Type, UnsqueezeShape(n, t.Shape, AxesOf(n, x)), t.Data) { Quant = t.Quant } };
                }
            case "Squeeze":
                {
                    var t = In(0);
                    return new[] { new ConstTensor(t.Type, SqueezeShape(n, t.Shape, AxesOf(n, x)), t.Data) { Quant = t.Quant } };
                }
            case "Reshape":
                {
                    var t = In(0);
                    return new[] { new ConstTensor(t.Type, ReshapeShape(n, t.Shape, In(1)), t.Data) { Quant = t.Quant } };
                }
            case "Flatten":
                {
                    var t = In(0);
                    return new[] { new ConstTensor(t.Type, FlattenShape(n, t.Shape), t.Data) { Quant = t.Quant } };
                }
            case "Concat": return new[] { Concat(n, x.Where(t => t != null).Select(t => t!).ToArray()) };
            case "Transpose":
                {
                    var t = In(0);
                    var perm = TransposePerm(n, t.Shape.Length);
                    var map = ShapeUtil.PermMap(t.Shape, perm);
                    var d = new double[map.Length];
                    for (int i = 0; i < d.Length; i++) d[i] = t.Data[map[i]];
                    return new[] { new ConstTensor(t.Type, ShapeUtil.Permute(t.Shape, perm), d) };
                }
            case "Slice": return new[] { Slice(n, In(0), In(1), In(2), x.Length > 3 ? x[3] : null, x.Length > 4 ? x[4] : null) };
            case "ConstantOfShape":
                {
                    var shape = CheckShape(n, In(0).ToLongs());
                    var value = n.GetTensor("value");
                    var vt = value == null ? new ConstTensor(OnnxDataType.Float, new[] { 1 }, new[] { 0.0 })
                        : OnnxModelReader.DecodeTensor(value, $"{n.Label} attribute 'value'");
                    if (vt.Count != 1) throw new OnnxFormatException($"{n.Label}: 'value' must hold one element");
                    return new[] { new ConstTensor(vt.Type, shape, Enumerable.Repeat(vt.Data[0], ShapeUtil.Count(shape)).ToArray()) };
                }
            case "Add": return new[] { Binary(n, In(0), In(1), (a, b) => a + b) };
            case "Sub": return new[] { Binary(n, In(0), In(1), (a, b) => a - b) };
            case "Mul": return new[] { Binary(n, In(0), In(1), (a, b) => a * b) };
            case "Div":
                return new[]
                {
                    Binary(n, In(0), In(1), (a, b) => In(0).IsInteger
                        ? (b == 0 ? throw new OnnxFormatException($"{n.Label}: integer division by zero") : Math.Truncate(a / b))
                        : a / b),
                };
            case "Neg": return new[] { Unary(In(0), v => -v) };
            case "Sqrt": return new[] { Unary(In(0), Math.Sqrt) };
            case "QuantizeLinear": return new[] { Quantize(n, In(0), In(1), x.Length > 2 ? x[2] : null) };
            case "DequantizeLinear": return new[] { Dequantize(n, In(0), In(1), x.Length > 2 ? x[2] : null) };
        }
        throw new OnnxUnsupportedException($"{n.Label}: all inputs are constants and Micro cannot fold {n.OpType}");
    }

    /// <summary>Largest constant the folder builds (16 Mi elements).</summary>
    public const int MaxConstElements = 1 << 24;

    private static int[] CheckShape(OnnxNode n, long[] dims)
    {
        long count = 1;
        foreach (var d in dims)
        {
            if (d < 0) throw new OnnxFormatException($"{n.Label}: negative dimension {d}");
            count *= Math.Min(d, MaxConstElements + 1L);
            if (count > MaxConstElements) throw new OnnxUnsupportedException($"{n.Label}: a constant of shape [{string.Join(",", dims)}] is too large");
        }
        return dims.Select(d => (int)d).ToArray();
    }

    public static ConstTensor ConstantValue(OnnxNode n)
    {
        var t = n.GetTensor("value");
        if (t != null) return OnnxModelReader.DecodeTensor(t, $"{n.Label} attribute 'value'");
        if (n.Has("value_float")) return new ConstTensor(OnnxDataType.Float, Array.Empty<int>(), new double[] { n.GetFloat("value_float", 0) });
        if (n.Has("value_int")) return new ConstTensor(OnnxDataType.Int64, Array.Empty<int>(), new double[] { n.GetInt("value_int", 0) });
        var fs = n.GetFloats("value_floats");
        if (fs != null) return new ConstTensor(OnnxDataType.Float, new[] { fs.Length }, fs.Select(f => (double)f).ToArray());
        var ls = n.GetInts("value_ints");
        if (ls != null) return new ConstTensor(OnnxDataType.Int64, new[] { ls.Length }, ls.Select(v => (double)v).ToArray());
        if (n.Attributes.Count > 0)
            throw new OnnxUnsupportedException($"{n.Label}: constant attribute '{n.Attributes.Keys.First()}' is not supported");
        throw new OnnxFormatException($"{n.Label} has no value");
    }

    public static ConstTensor ShapeOf(OnnxNode n, int[] shape)
    {
        int r = shape.Length;
        long start = n.GetInt("start", 0), end = n.GetInt("end", r);
        if (start < 0) start += r;
        if (end < 0) end += r;
        start = Math.Clamp(start, 0, r);
        end = Math.Clamp(end, start, r);
        var dims = shape.Skip((int)start).Take((int)(end - start)).Select(d => (long)d).ToArray();
        return ConstTensor.FromLongs(new[] { dims.Length }, dims);
    }

    private static ConstTensor Cast(ConstTensor t, OnnxDataType to)
    {
        var d = new double[t.Count];
        for (int i = 0; i < d.Length; i++)
        {
            double v = t.Data[i];
            d[i] = to switch
            {
                OnnxDataType.Float or OnnxDataType.Double or OnnxDataType.Float16 => (float)v,
                OnnxDataType.Bool => v != 0 ? 1 : 0,
                _ => Math.Truncate(v),
            };
        }
        return new ConstTensor(to, t.Shape, d);
    }

    private static ConstTensor Unary(ConstTensor t, Func<double, double> f)
    {
        var d = new double[t.Count];
        for (int i = 0; i < d.Length; i++) d[i] = t.IsFloat ? (float)f(t.Data[i]) : f(t.Data[i]);
        return new ConstTensor(t.Type, t.Shape, d);
    }

    private static ConstTensor Binary(OnnxNode n, ConstTensor a, ConstTensor b, Func<double, double, double> f)
    {
        var shape = ShapeUtil.Broadcast(a.Shape, b.Shape)
            ?? throw new OnnxFormatException($"{n.Label}: shapes {ShapeUtil.Format(a.Shape)} and {ShapeUtil.Format(b.Shape)} do not broadcast");
        CheckShape(n, shape.Select(d => (long)d).ToArray());
        var da = ShapeUtil.BroadcastTo(a.Data, a.Shape, shape);
        var db = ShapeUtil.BroadcastTo(b.Data, b.Shape, shape);
        var d = new double[da.Length];
        bool isFloat = a.IsFloat;
        // ONNX computes float tensors in float32.
        for (int i = 0; i < d.Length; i++) d[i] = isFloat ? (float)f((float)da[i], (float)db[i]) : f(da[i], db[i]);
        return new ConstTensor(a.Type, shape, d);
    }

    private static ConstTensor Gather(OnnxNode n, ConstTensor data, ConstTensor indices)
    {
        int r = data.Shape.Length;
        int axis = NormAxis(n, n.GetInt("axis", 0), r);
        int dim = data.Shape[axis];
        var outShape = data.Shape.Take(axis).Concat(indices.Shape).Concat(data.Shape.Skip(axis + 1)).ToArray();
        int outer = data.Shape.Take(axis).Aggregate(1, (p, v) => p * v);
        int inner = data.Shape.Skip(axis + 1).Aggregate(1, (p, v) => p * v);
        var d = new double[ShapeUtil.Count(outShape)];
        int k = 0;
        for (int o = 0; o < outer; o++)
            foreach (var iv in indices.Data)
            {
                long idx = (long)iv;
                if (idx < 0) idx += dim;
                if (idx < 0 || idx >= dim) throw new OnnxFormatException($"{n.Label}: index {iv} out of range for dimension {dim}");
                for (int j = 0; j < inner; j++) d[k++] = data.Data[(o * dim + idx) * inner + j];
            }
        return new ConstTensor(data.Type, outShape, d);
    }

    private static ConstTensor Concat(OnnxNode n, ConstTensor[] parts)
    {
        if (parts.Length == 0) throw new OnnxFormatException($"{n.Label} has no inputs");
        int r = parts[0].Shape.Length;
        int axis = NormAxis(n, n.GetInt("axis", 0), r);
        var outShape = (int[])parts[0].Shape.Clone();
        outShape[axis] = 0;
        foreach (var p in parts)
        {
            if (p.Shape.Length != r) throw new OnnxFormatException($"{n.Label}: inputs of different ranks");
            for (int d = 0; d < r; d++)
                if (d != axis && p.Shape[d] != parts[0].Shape[d])
                    throw new OnnxFormatException($"{n.Label}: shapes {ShapeUtil.Format(parts[0].Shape)} and {ShapeUtil.Format(p.Shape)} differ outside axis {axis}");
            outShape[axis] += p.Shape[axis];
        }
        int outer = outShape.Take(axis).Aggregate(1, (a, b) => a * b);
        int inner = outShape.Skip(axis + 1).Aggregate(1, (a, b) => a * b);
        var d2 = new double[ShapeUtil.Count(outShape)];
        int k = 0;
        for (int o = 0; o < outer; o++)
            foreach (var p in parts)
            {
                int len = p.Shape[axis] * inner;
                Array.Copy(p.Data, o * len, d2, k, len);
                k += len;
            }
        return new ConstTensor(parts[0].Type, outShape, d2);
    }

    private static ConstTensor Slice(OnnxNode n, ConstTensor data, ConstTensor starts, ConstTensor ends, ConstTensor? axes, ConstTensor? steps)
    {
        int r = data.Shape.Length;
        var st = starts.ToLongs();
        var en = ends.ToLongs();
        var ax = axes?.ToLongs() ?? Enumerable.Range(0, st.Length).Select(i => (long)i).ToArray();
        var sp = steps?.ToLongs() ?? Enumerable.Repeat(1L, st.Length).ToArray();
        if (en.Length != st.Length || ax.Length != st.Length || sp.Length != st.Length)
            throw new OnnxFormatException($"{n.Label}: starts, ends, axes and steps differ in length");
        var begin = new long[r];
        var step = new long[r];
        var count = new int[r];
        for (int d = 0; d < r; d++) { begin[d] = 0; step[d] = 1; count[d] = data.Shape[d]; }
        for (int i = 0; i < st.Length; i++)
        {
            int d = NormAxis(n, ax[i], r);
            long dim = data.Shape[d];
            long s = sp[i];
            if (s == 0) throw new OnnxFormatException($"{n.Label}: step 0");
            long b = st[i] < 0 ? st[i] + dim : st[i];
            long e = en[i] < 0 ? en[i] + dim : en[i];
            if (s > 0) { b = Math.Clamp(b, 0, dim); e = Math.Clamp(e, 0, dim); }
            else { b = Math.Clamp(b, 0, dim - 1); e = Math.Clamp(e, -1, dim - 1); }
            long c = s > 0 ? (e - b + s - 1) / s : (b - e + (-s) - 1) / (-s);
            begin[d] = b; step[d] = s; count[d] = (int)Math.Max(0, c);
        }
        var strides = ShapeUtil.Strides(data.Shape);
        var d2 = new double[ShapeUtil.Count(count)];
        var idx = new int[r];
        for (int k = 0; k < d2.Length; k++)
        {
            long src = 0;
            for (int d = 0; d < r; d++) src += (begin[d] + idx[d] * step[d]) * strides[d];
            d2[k] = data.Data[src];
            for (int d = r - 1; d >= 0; d--) { if (++idx[d] < count[d]) break; idx[d] = 0; }
        }
        return new ConstTensor(data.Type, count, d2);
    }

    /// <summary>Quantization range of a QuantizeLinear output, from the zero point's type.</summary>
    public static (int Min, int Max, OnnxDataType Type) QuantRange(OnnxNode n, ConstTensor? zp)
    {
        var t = zp?.Type ?? OnnxDataType.UInt8;
        return t switch
        {
            OnnxDataType.UInt8 => (0, 255, t),
            OnnxDataType.Int8 => (-128, 127, t),
            OnnxDataType.Int16 => (-32768, 32767, t),
            OnnxDataType.UInt16 => (0, 65535, t),
            OnnxDataType.Int32 => (int.MinValue, int.MaxValue, t),
            _ => throw new OnnxUnsupportedException($"{n.Label}: zero point of type {t} is not supported"),
        };
    }

    /// <summary>Per-element scale and zero point of a (De)QuantizeLinear over <paramref name="shape"/>.</summary>
    private static (double[] Scale, double[] Zp, int Axis) QuantParams(OnnxNode n, int[] shape, ConstTensor scale, ConstTensor? zp)
    {
        int r = shape.Length;
        int count = ShapeUtil.Count(shape);
        if (scale.Count == 1)
            return (Enumerable.Repeat(scale.Data[0], count).ToArray(), Enumerable.Repeat(zp?.Data[0] ?? 0, count).ToArray(), -1);
        int axis = NormAxis(n, n.GetInt("axis", 1), r);
        if (scale.Shape.Length != 1 || scale.Count != shape[axis])
            throw new OnnxFormatException($"{n.Label}: {scale.Count} scales for axis {axis} of {ShapeUtil.Format(shape)}");
        if (zp != null && zp.Count != scale.Count)
            throw new OnnxFormatException($"{n.Label}: {zp.Count} zero points for {scale.Count} scales");
        var bshape = new int[r];
        for (int d = 0; d < r; d++) bshape[d] = d == axis ? shape[d] : 1;
        return (ShapeUtil.BroadcastTo(scale.Data, bshape, shape),
                zp == null ? new double[count] : ShapeUtil.BroadcastTo(zp.Data, bshape, shape), axis);
    }

    private static ConstTensor Quantize(OnnxNode n, ConstTensor x, ConstTensor scale, ConstTensor? zp)
    {
        var (qmin, qmax, qt) = QuantRange(n, zp);
        var (s, z, _) = QuantParams(n, x.Shape, scale, zp);
        var d = new double[x.Count];
        for (int i = 0; i < d.Length; i++)
            d[i] = Math.Clamp(MathF.Round((float)x.Data[i] / (float)s[i]) + z[i], qmin, qmax);
        return new ConstTensor(qt, x.Shape, d);
    }

    private static ConstTensor Dequantize(OnnxNode n, ConstTensor x, ConstTensor scale, ConstTensor? zp)
    {
        var (s, z, axis) = QuantParams(n, x.Shape, scale, zp);
        var d = new double[x.Count];
        for (int i = 0; i < d.Length; i++) d[i] = (float)((x.Data[i] - z[i]) * (float)s[i]);
        var info = new ConstQuantInfo(scale.ToFloats(), zp == null ? new int[scale.Count] : zp.ToLongs().Select(v => (int)v).ToArray(), axis);
        return new ConstTensor(OnnxDataType.Float, x.Shape, d) { Quant = info };
    }

    // ---- shape rules shared with the activation lowering

    public static int NormAxis(OnnxNode n, long axis, int rank)
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new OnnxFormatException($"{n.Label}: axis {axis} is out of range for rank {rank}");
        return (int)a;
    }

    /// <summary>Axes given as an attribute (opsets before 13) or as input 1 (opset 13 on).</summary>
    public static long[]? AxesOf(OnnxNode n, ConstTensor?[] inputs)
    {
        var attr = n.GetInts("axes");
        if (attr != null) return attr;
        if (inputs.Length > 1 && inputs[1] != null) return inputs[1]!.ToLongs();
        return null;
    }

    public static int[] SqueezeShape(OnnxNode n, int[] shape, long[]? axes)
    {
        int r = shape.Length;
        var drop = new bool[r];
        if (axes == null || axes.Length == 0) { for (int d = 0; d < r; d++) drop[d] = shape[d] == 1; }
        else
            foreach (var a in axes)
            {
                int d = NormAxis(n, a, r);
                if (shape[d] != 1) throw new OnnxFormatException($"{n.Label}: cannot squeeze axis {a} of {ShapeUtil.Format(shape)}");
                drop[d] = true;
            }
        return shape.Where((_, d) => !drop[d]).ToArray();
    }

    public static int[] UnsqueezeShape(OnnxNode n, int[] shape, long[]? axes)
    {
        if (axes == null) throw new OnnxFormatException($"{n.Label} has no axes");
        int r = shape.Length + axes.Length;
        var ins = new bool[r];
        foreach (var a in axes)
        {
            int d = NormAxis(n, a, r);
            if (ins[d]) throw new OnnxFormatException($"{n.Label}: axis {a} given twice");
            ins[d] = true;
        }
        var o = new int[r];
        int k = 0;
        for (int d = 0; d < r; d++) o[d] = ins[d] ? 1 : shape[k++];
        return o;
    }

    public static int[] ReshapeShape(OnnxNode n, int[] input, ConstTensor shapeTensor)
    {
        var s = shapeTensor.ToLongs();
        bool allowZero = n.GetInt("allowzero", 0) != 0;
        var o = new int[s.Length];
        int infer = -1;
        long known = 1;
        for (int d = 0; d < s.Length; d++)
        {
            long v = s[d];
            if (v == 0 && !allowZero)
            {
                if (d >= input.Length) throw new OnnxFormatException($"{n.Label}: 0 at axis {d} copies no input dimension");
                v = input[d];
            }
            if (v == -1)
            {
                if (infer >= 0) throw new OnnxFormatException($"{n.Label}: more than one -1 in the shape");
                infer = d;
                continue;
            }
            if (v < 0) throw new OnnxFormatException($"{n.Label}: dimension {v} in the shape");
            o[d] = (int)v;
            known *= v;
        }
        int count = ShapeUtil.Count(input);
        if (infer >= 0)
        {
            if (known == 0 || count % known != 0)
                throw new OnnxFormatException($"{n.Label}: cannot reshape {ShapeUtil.Format(input)} to {string.Join(",", s)}");
            o[infer] = (int)(count / known);
        }
        if (ShapeUtil.Count(o) != count)
            throw new OnnxFormatException($"{n.Label}: cannot reshape {ShapeUtil.Format(input)} ({count} elements) to {ShapeUtil.Format(o)}");
        return o;
    }

    public static int[] FlattenShape(OnnxNode n, int[] shape)
    {
        int r = shape.Length;
        long axis = n.GetInt("axis", 1);
        if (axis < 0) axis += r;
        if (axis < 0 || axis > r) throw new OnnxFormatException($"{n.Label}: axis {axis} is out of range for rank {r}");
        int a = shape.Take((int)axis).Aggregate(1, (p, v) => p * v);
        int b = shape.Skip((int)axis).Aggregate(1, (p, v) => p * v);
        return new[] { a, b };
    }

    public static int[] TransposePerm(OnnxNode n, int rank)
    {
        var p = n.GetInts("perm");
        if (p == null) return Enumerable.Range(0, rank).Reverse().ToArray();
        if (p.Length != rank || p.Distinct().Count() != rank || p.Any(v => v < 0 || v >= rank))
            throw new OnnxFormatException($"{n.Label}: perm [{string.Join(",", p)}] is not a permutation of rank {rank}");
        return p.Select(v => (int)v).ToArray();
    }
}
