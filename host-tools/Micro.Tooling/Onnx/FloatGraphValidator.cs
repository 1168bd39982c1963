namespace Micro.Tooling.Onnx;

/// <summary>Checks a <see cref="FloatGraph"/>'s internal consistency: execution order, tensor shapes against
/// each node's parameters, weight and bias sizes. A failure here is a bug in the importer or in code that
/// edited the graph, so it throws <see cref="InvalidOperationException"/>.</summary>
public static class FloatGraphValidator
{
    public static void Validate(FloatGraph g)
    {
        var defined = new HashSet<string>(g.Inputs.Select(i => i.Tensor), StringComparer.Ordinal);
        foreach (var n in g.Nodes)
        {
            foreach (var i in n.Inputs)
                if (!defined.Contains(i)) Fail(n, $"reads '{i}' before it is written");
            if (!defined.Add(n.Output)) Fail(n, $"writes '{n.Output}', which is already written");
            CheckShapes(g, n);
        }
        foreach (var o in g.Outputs)
            if (!defined.Contains(o.Tensor)) throw new InvalidOperationException($"output '{o.Tensor}' is never written");
    }

    private static void Fail(FloatNode n, string what) => throw new InvalidOperationException($"{n.Op} '{n.Name}' ({n.Source}): {what}");

    private static int WindowOut(int input, int k, int s, int d, int pb, int pe) => (input + pb + pe - d * (k - 1) - 1) / s + 1;

    private static void CheckShapes(FloatGraph g, FloatNode n)
    {
        var x = g.Tensor(n.Inputs[0]).Shape;
        var y = g.Tensor(n.Output).Shape;
        switch (n)
        {
            case FullyConnectedNode fc:
                if (x[^1] != fc.InFeatures || y[^1] != fc.OutFeatures || fc.Weights.Length != fc.InFeatures * fc.OutFeatures || fc.Bias.Length != fc.OutFeatures)
                    Fail(n, "shapes do not match the weights");
                if (ShapeUtil.Count(x) / fc.InFeatures != ShapeUtil.Count(y) / fc.OutFeatures) Fail(n, "leading dimensions differ");
                break;
            case WindowNode w:
                {
                    int r = x.Length;
                    if (r != (w.Is1D ? 3 : 4) || y.Length != r) Fail(n, $"rank {r}");
                    int h = w.Is1D ? 1 : x[1], wd = x[r - 2];
                    int oh = w.Is1D ? 1 : y[1], ow = y[r - 2];
                    // Ceil-mode pools may have one window more than the floor formula.
                    int fh = WindowOut(h, w.KernelH, w.StrideH, w.DilationH, w.PadTop, w.PadBottom);
                    int fw = WindowOut(wd, w.KernelW, w.StrideW, w.DilationW, w.PadLeft, w.PadRight);
                    bool okH = oh == fh || (n is PoolNode && oh == fh + 1);
                    bool okW = ow == fw || (n is PoolNode && ow == fw + 1);
                    if (!okH || !okW) Fail(n, $"output {ShapeUtil.Format(y)} does not follow from input {ShapeUtil.Format(x)}");
                    if (n is ConvNode c)
                    {
                        if (x[^1] != c.InChannels || y[^1] != c.OutChannels || c.Bias.Length != c.OutChannels) Fail(n, "channel counts");
                        int expected = c.Depthwise ? c.KernelH * c.KernelW * c.OutChannels : c.OutChannels * c.KernelH * c.KernelW * (c.InChannels / c.Groups);
                        if (c.Groups < 1 || c.InChannels % c.Groups != 0 || c.OutChannels % c.Groups != 0 || (c.Depthwise && c.Groups != 1)) Fail(n, "groups");
                        if (c.Weights.Length != expected) Fail(n, "weight count");
                        if (c.Depthwise && c.OutChannels != c.InChannels * c.DepthMultiplier) Fail(n, "depth multiplier");
                    }
                    else if (x[^1] != y[^1]) Fail(n, "pooling changes the channel count");
                    break;
                }
            case MeanNode m:
                if (x.Length < 3 || y[^1] != x[^1] || ShapeUtil.Count(y) != x[0] * x[^1]) Fail(n, "shapes");
                break;
            case ConcatNode c:
                {
                    int sum = 0;
                    foreach (var i in c.Inputs)
                    {
                        var s = g.Tensor(i).Shape;
                        if (s.Length != y.Length) Fail(n, "ranks");
                        for (int d = 0; d < s.Length; d++) if (d != c.Axis && s[d] != y[d]) Fail(n, "shapes");
                        sum += s[c.Axis];
                    }
                    if (sum != y[c.Axis]) Fail(n, "axis sizes");
                    break;
                }
            case PadNode p:
                for (int d = 0; d < x.Length; d++) if (y[d] != x[d] + p.Before[d] + p.After[d]) Fail(n, "padded shape");
                break;
            case ReshapeNode:
                if (ShapeUtil.Count(x) != ShapeUtil.Count(y)) Fail(n, "element counts differ");
                break;
            case AddNode:
                if (!ShapeUtil.Equal(x, y) || !ShapeUtil.Equal(g.Tensor(n.Inputs[1]).Shape, y)) Fail(n, "shapes differ");
                break;
            case BinaryNode:
                {
                    var b = g.Tensor(n.Inputs[1]).Shape;
                    if (x.Length != y.Length || b.Length != y.Length) Fail(n, "ranks differ");
                    var bc = ShapeUtil.Broadcast(x, b);
                    if (bc == null || !ShapeUtil.Equal(bc, y)) Fail(n, $"{ShapeUtil.Format(x)} and {ShapeUtil.Format(b)} do not broadcast to {ShapeUtil.Format(y)}");
                    break;
                }
            case ChannelAffineNode a:
                if (!ShapeUtil.Equal(x, y) || (a.Scale.Length != 1 && a.Scale.Length != x[^1]) || (a.Shift.Length != 1 && a.Shift.Length != x[^1]))
                    Fail(n, "channel counts");
                break;
            case ResizeNearestNode rn:
                if (x.Length is not (3 or 4) || y.Length != x.Length || x[0] != y[0] || x[^1] != y[^1]
                    || rn.Cols.Length != y[^2] || rn.Rows.Length != (x.Length == 4 ? y[1] : 1)
                    || rn.Cols.Any(c => c < 0 || c >= x[^2]) || rn.Rows.Any(r => r < 0 || r >= (x.Length == 4 ? x[1] : 1)))
                    Fail(n, "shapes or index tables");
                break;
            case StridedSliceNode sl:
                for (int d = 0; d < x.Length; d++)
                    if (y.Length != x.Length || sl.Stride[d] < 1 || sl.Begin[d] < 0 || sl.Begin[d] + (long)sl.Stride[d] * (y[d] - 1) >= x[d]) Fail(n, "slice outside the input");
                break;
            case LayerNormNode ln:
                if (!ShapeUtil.Equal(x, y) || ln.Gamma.Length != x[^1] || ln.Beta.Length != x[^1]) Fail(n, "shapes or gamma/beta lengths");
                break;
            case TransposeNode tp:
                if (y.Length != x.Length || !tp.Perm.OrderBy(v => v).SequenceEqual(Enumerable.Range(0, x.Length))
                    || Enumerable.Range(0, x.Length).Any(d => y[d] != x[tp.Perm[d]])) Fail(n, "permutation");
                break;
            default:
                if (!ShapeUtil.Equal(x, y)) Fail(n, "shapes differ");
                break;
        }
    }
}
