namespace Micro.Tooling.Onnx;

// Conv, MaxPool, AveragePool, GlobalAveragePool, ReduceMean: the ops that need channels-last data.
internal sealed partial class OnnxLowering
{
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
            InChannels = cin,
            OutChannels = cout,
            DepthMultiplier = depthwise ? cout / cin : 1,
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
            // OHWI [Cout][Kh][Kw][Cin/group]: a grouped convolution keeps its own weights (GROUPED_CONV).
            node.Groups = group;
            var wt = new float[cout * kh * kw * cinG];
            for (int o = 0; o < cout; o++)
                for (int ci = 0; ci < cinG; ci++)
                    for (int y = 0; y < kh; y++)
                        for (int xk = 0; xk < kw; xk++)
                            wt[((o * kh + y) * kw + xk) * cinG + ci] = (float)wd[((o * cinG + ci) * kh + y) * kw + xk];
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
}
