namespace Micro.Tooling.Onnx;

// Resize / Upsample with mode nearest: a RESIZE_NEAREST node whose index tables follow ONNX's own rounding.
internal sealed partial class OnnxLowering
{
    private void Resize(OnnxNode n)
    {
        var x = NeedAct(n, 0);
        int r = x.Logical.Length;
        string mode = n.GetString("mode", "nearest");
        if (mode != "nearest")
            throw new OnnxUnsupportedException($"{n.Label}: {n.OpType} mode '{mode}' is not supported (only mode='nearest', e.g. nn.Upsample(mode='nearest'))");
        if (r is not (3 or 4))
            throw new OnnxUnsupportedException($"{n.Label}: {n.OpType} of a rank-{r} tensor {ShapeUtil.Format(x.Logical)}; Micro resizes NCW and NCHW tensors");
        // Opset ≥ 11 Resize: (X, roi, scales, sizes); opset 10 Resize and Upsample ≥ 9: (X, scales); Upsample 7: attribute.
        bool v11 = n.OpType == "Resize" && _m.Opset >= 11;
        string ctm = v11 ? n.GetString("coordinate_transformation_mode", "half_pixel") : "asymmetric";
        string nearest = v11 ? n.GetString("nearest_mode", "round_prefer_floor") : "floor";
        if (v11 && n.GetInt("exclude_outside", 0) != 0) throw new OnnxUnsupportedException($"{n.Label}: exclude_outside=1 is not supported");
        if (v11 && n.Has("axes")) throw new OnnxUnsupportedException($"{n.Label}: the axes attribute is not supported");
        if (v11 && n.GetString("keep_aspect_ratio_policy", "stretch") != "stretch")
            throw new OnnxUnsupportedException($"{n.Label}: keep_aspect_ratio_policy other than 'stretch' is not supported");
        double[]? scales = null;
        long[]? sizes = null;
        int scalesInput = v11 ? 2 : 1;
        if (n.OpType == "Upsample" && _m.Opset < 9)
            scales = (n.GetFloats("scales") ?? throw new OnnxFormatException($"{n.Label} has no scales")).Select(v => (double)v).ToArray();
        else if (n.Input(scalesInput) != null && ConstOrNull(n, scalesInput) is { Count: > 0 } sc) scales = sc.Data.ToArray();
        else if (n.Input(scalesInput) != null && ConstOrNull(n, scalesInput) == null)
            throw new OnnxUnsupportedException($"{n.Label}: scales must be a constant");
        if (scales == null && v11 && n.Input(3) != null) sizes = NeedConst(n, 3, "sizes").ToLongs();
        if (scales == null && sizes == null) throw new OnnxFormatException($"{n.Label} has neither scales nor sizes");
        if ((scales?.Length ?? sizes!.Length) != r) throw new OnnxFormatException($"{n.Label}: {scales?.Length ?? sizes!.Length} scales or sizes for rank {r}");
        var outLogical = new int[r];
        var scale = new double[r];
        for (int d = 0; d < r; d++)
        {
            if (sizes != null)
            {
                if (sizes[d] < 1 || sizes[d] > MaxDim) throw new OnnxFormatException($"{n.Label}: size {sizes[d]} on axis {d}");
                outLogical[d] = (int)sizes[d];
                scale[d] = (double)sizes[d] / x.Logical[d];
            }
            else
            {
                if (!(scales![d] > 0) || double.IsInfinity(scales[d])) throw new OnnxFormatException($"{n.Label}: scale {scales[d]} on axis {d}");
                scale[d] = scales[d];
                outLogical[d] = (int)Math.Floor(x.Logical[d] * scales[d]);
                if (outLogical[d] < 1) throw new OnnxFormatException($"{n.Label}: axis {d} resizes {x.Logical[d]} to nothing");
            }
            if (d < 2 && outLogical[d] != x.Logical[d])
                throw new OnnxUnsupportedException($"{n.Label}: resizing the {(d == 0 ? "batch" : "channel")} axis is not supported (only the spatial axes)");
        }
        int[] Table(int d) => Enumerable.Range(0, outLogical[d])
            .Select(o => NearestSource(n, o, x.Logical[d], outLogical[d], scale[d], ctm, nearest)).ToArray();
        int[] rows = r == 4 ? Table(2) : new[] { 0 };
        int[] cols = Table(r - 1);
        string input = NeedChannelsLast(n, x);
        var node = new ResizeNearestNode(n.Name, n.Label, input, OutName(n), rows, cols);
        Emit(node, ShapeUtil.Permute(outLogical, ShapeUtil.ChannelsLastPerm(r)));
        Set(n, 0, ChannelsLastVal(node.Output, outLogical));
    }

    /// <summary>ONNX Resize's source index of output index <paramref name="o"/> on one axis (the operator spec's
    /// coordinate transformation, then its nearest_mode rounding, clamped into the input).</summary>
    private static int NearestSource(OnnxNode n, int o, int inSize, int outSize, double scale, string ctm, string nearest)
    {
        double c = ctm switch
        {
            "half_pixel" => (o + 0.5) / scale - 0.5,
            "pytorch_half_pixel" => outSize > 1 ? (o + 0.5) / scale - 0.5 : 0,
            "align_corners" => outSize == 1 ? 0 : o * (inSize - 1) / (double)(outSize - 1),
            "asymmetric" => o / scale,
            "tf_half_pixel_for_nn" => (o + 0.5) / scale,
            "half_pixel_symmetric" => HalfPixelSymmetric(o, inSize, outSize, scale),
            _ => throw new OnnxUnsupportedException($"{n.Label}: coordinate_transformation_mode '{ctm}' is not supported"),
        };
        double f = Math.Floor(c);
        double i = nearest switch
        {
            "round_prefer_floor" => c - f == 0.5 ? f : Math.Round(c, MidpointRounding.AwayFromZero),
            "round_prefer_ceil" => c - f == 0.5 ? f + 1 : Math.Round(c, MidpointRounding.AwayFromZero),
            "floor" => f,
            "ceil" => Math.Ceiling(c),
            _ => throw new OnnxUnsupportedException($"{n.Label}: nearest_mode '{nearest}' is not supported"),
        };
        return (int)Math.Clamp(i, 0, inSize - 1);
    }

    private static double HalfPixelSymmetric(int o, int inSize, int outSize, double scale)
    {
        double adjustment = outSize / (scale * inSize);
        double center = inSize / 2.0;
        double offset = center * (1 - adjustment);
        return offset + (o + 0.5) / scale - 0.5;
    }
}
