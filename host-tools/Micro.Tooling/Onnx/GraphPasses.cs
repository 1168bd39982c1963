namespace Micro.Tooling.Onnx;

/// <summary>Simplifications of a <see cref="FloatGraph"/> that keep what it computes (up to float rounding):
/// fold per-channel affine ops (BatchNormalization, Mul/Add by constants) into the producing convolution or
/// fully connected layer, fold zero padding into the following convolution, fuse ReLU/ReLU6/Clip into
/// their producer, drop no-op reshapes and dead nodes.</summary>
public static class GraphPasses
{
    public static void Optimize(FloatGraph g)
    {
        bool changed = true;
        for (int round = 0; changed && round < 100; round++)
        {
            changed = false;
            changed |= PointwiseFusion.Fuse(g);
            changed |= FoldAffine(g);
            changed |= FoldAffineIntoConsumer(g);
            changed |= FoldPadIntoConv(g);
            changed |= FuseActivations(g);
            changed |= SimplifyReshapes(g);
            changed |= RemoveDeadNodes(g);
        }
    }

    private static bool SoleConsumer(FloatGraph g, string tensor, FloatNode consumer) =>
        !g.IsGraphOutput(tensor) && !g.IsGraphInput(tensor) && g.Consumers(tensor) is { Count: 1 } c && c[0] == consumer;

    /// <summary>The producer of <paramref name="node"/>'s first input now writes <paramref name="node"/>'s output,
    /// and <paramref name="node"/> goes.</summary>
    private static void Absorb(FloatGraph g, FloatNode producer, FloatNode node)
    {
        g.Tensors.Remove(producer.Output);
        producer.Output = node.Output;
        producer.Source += " + " + node.Source;
        g.Nodes.Remove(node);
    }

    private static float At(float[] v, int i) => v.Length == 1 ? v[0] : v[i];

    public static bool FoldAffine(FloatGraph g)
    {
        bool changed = false;
        foreach (var a in g.Nodes.OfType<ChannelAffineNode>().ToList())
        {
            var p = g.Producer(a.Inputs[0]);
            if (p == null || p.HasActivation || !SoleConsumer(g, p.Output, a)) continue;
            bool unitScale = a.Scale.All(s => s == 1f);
            switch (p)
            {
                case FullyConnectedNode fc:
                    for (int o = 0; o < fc.OutFeatures; o++)
                    {
                        float s = At(a.Scale, o);
                        for (int k = 0; k < fc.InFeatures; k++) fc.Weights[o * fc.InFeatures + k] *= s;
                        fc.Bias[o] = fc.Bias[o] * s + At(a.Shift, o);
                    }
                    if (!unitScale) fc.WeightScales = null;
                    break;
                case ConvNode cv:
                    {
                        int co = cv.OutChannels;
                        for (int i = 0; i < cv.Weights.Length; i++)
                            cv.Weights[i] *= At(a.Scale, cv.Depthwise ? i % co : i / (cv.Weights.Length / co));
                        for (int o = 0; o < co; o++) cv.Bias[o] = cv.Bias[o] * At(a.Scale, o) + At(a.Shift, o);
                        if (!unitScale) cv.WeightScales = null;
                        break;
                    }
                case ChannelAffineNode pa: // both per-channel over the same last axis: lengths are 1 or C
                    {
                        var s = new float[Math.Max(pa.Scale.Length, a.Scale.Length)];
                        var t = new float[new[] { pa.Shift.Length, a.Scale.Length, a.Shift.Length }.Max()];
                        for (int i = 0; i < s.Length; i++) s[i] = At(pa.Scale, i) * At(a.Scale, i);
                        for (int i = 0; i < t.Length; i++) t[i] = At(pa.Shift, i) * At(a.Scale, i) + At(a.Shift, i);
                        pa.Scale = s;
                        pa.Shift = t;
                        break;
                    }
                default:
                    continue;
            }
            Absorb(g, p, a);
            changed = true;
        }
        return changed;
    }

    /// <summary>An affine op whose only reader is a fully connected layer, or a convolution without padding,
    /// folds forward into it (input normalization such as (x − mean) / std before the first layer):
    /// W'[o][..][c] = W[o][..][c]·s[c], b'[o] = b[o] + Σ W[o][..][c]·t[c]. With padding it would not be exact
    /// (the padded taps would see t instead of 0), so it stays.</summary>
    public static bool FoldAffineIntoConsumer(FloatGraph g)
    {
        bool changed = false;
        foreach (var a in g.Nodes.OfType<ChannelAffineNode>().ToList())
        {
            var cons = g.Consumers(a.Output);
            if (cons.Count != 1 || g.IsGraphOutput(a.Output)) continue;
            var c = cons[0];
            switch (c)
            {
                case FullyConnectedNode fc:
                    {
                        int k = fc.InFeatures;
                        for (int o = 0; o < fc.OutFeatures; o++)
                        {
                            double add = 0;
                            for (int i = 0; i < k; i++)
                            {
                                add += (double)fc.Weights[o * k + i] * At(a.Shift, i);
                                fc.Weights[o * k + i] *= At(a.Scale, i);
                            }
                            fc.Bias[o] = (float)(fc.Bias[o] + add);
                        }
                        fc.WeightScales = null;
                        break;
                    }
                case ConvNode cv when cv.PadTop == 0 && cv.PadLeft == 0 && cv.PadBottom == 0 && cv.PadRight == 0:
                    {
                        int co = cv.OutChannels, ci = cv.InChannels;
                        var add = new double[co];
                        for (int i = 0; i < cv.Weights.Length; i++)
                        {
                            // OHWI: input channel i % Cin, output i / (Kh·Kw·Cin); depthwise [Kh][Kw][C·dm]:
                            // output i % Cout reads input channel (i % Cout) / dm.
                            int o = cv.Depthwise ? i % co : i / (cv.Weights.Length / co);
                            int cg = ci / cv.Groups; // grouped: output o reads channels of group o / (Cout/Groups)
                            int inC = cv.Depthwise ? o / cv.DepthMultiplier : o / (co / cv.Groups) * cg + i % cg;
                            add[o] += (double)cv.Weights[i] * At(a.Shift, inC);
                            cv.Weights[i] *= At(a.Scale, inC);
                        }
                        for (int o = 0; o < co; o++) cv.Bias[o] = (float)(cv.Bias[o] + add[o]);
                        cv.WeightScales = null;
                        break;
                    }
                default:
                    continue;
            }
            c.Inputs = c.Inputs.Select(i => i == a.Output ? a.Inputs[0] : i).ToArray();
            c.Source = a.Source + " + " + c.Source;
            g.Nodes.Remove(a);
            g.Tensors.Remove(a.Output);
            changed = true;
        }
        return changed;
    }

    public static bool FoldPadIntoConv(FloatGraph g)
    {
        bool changed = false;
        foreach (var pad in g.Nodes.OfType<PadNode>().ToList())
        {
            var cons = g.Consumers(pad.Output);
            if (cons.Count != 1 || cons[0] is not ConvNode cv || g.IsGraphOutput(pad.Output)) continue;
            int r = pad.Before.Length;
            if (pad.Before[0] != 0 || pad.After[0] != 0 || pad.Before[r - 1] != 0 || pad.After[r - 1] != 0) continue;
            // The runtime takes paddings smaller than the effective kernel d·(k−1)+1 only.
            int ekH = cv.DilationH * (cv.KernelH - 1) + 1, ekW = cv.DilationW * (cv.KernelW - 1) + 1;
            if (cv.PadLeft + pad.Before[r - 2] >= ekW || cv.PadRight + pad.After[r - 2] >= ekW) continue;
            if (r == 4 && (cv.PadTop + pad.Before[1] >= ekH || cv.PadBottom + pad.After[1] >= ekH)) continue;
            if (r == 4) { cv.PadTop += pad.Before[1]; cv.PadBottom += pad.After[1]; }
            cv.PadLeft += pad.Before[r - 2];
            cv.PadRight += pad.After[r - 2];
            cv.Inputs = new[] { pad.Inputs[0] };
            cv.Source = pad.Source + " + " + cv.Source;
            g.Nodes.Remove(pad);
            g.Tensors.Remove(pad.Output);
            changed = true;
        }
        return changed;
    }

    public static bool FuseActivations(FloatGraph g)
    {
        bool changed = false;
        foreach (var a in g.Nodes.OfType<ActivationNode>().Where(n => n.Op == FloatOp.Clamp).ToList())
        {
            var p = g.Producer(a.Inputs[0]);
            if (p is not (FullyConnectedNode or ConvNode or PoolNode or MeanNode or AddNode or ActivationNode { Op: FloatOp.Clamp }))
                continue;
            if (!SoleConsumer(g, p.Output, a)) continue;
            p.ActMin = Math.Max(p.ActMin, a.ActMin);
            p.ActMax = Math.Min(p.ActMax, a.ActMax);
            Absorb(g, p, a);
            changed = true;
        }
        return changed;
    }

    public static bool SimplifyReshapes(FloatGraph g)
    {
        bool changed = false;
        foreach (var r in g.Nodes.OfType<ReshapeNode>().ToList())
        {
            var inT = g.Tensor(r.Inputs[0]);
            // Reshape of a reshape: read the original tensor.
            if (g.Producer(r.Inputs[0]) is ReshapeNode prev)
            {
                r.Inputs = new[] { prev.Inputs[0] };
                changed = true;
                inT = g.Tensor(r.Inputs[0]);
            }
            if (ShapeUtil.Equal(inT.Shape, g.Tensor(r.Output).Shape) && !g.IsGraphOutput(r.Output))
            {
                foreach (var c in g.Consumers(r.Output))
                    c.Inputs = c.Inputs.Select(i => i == r.Output ? r.Inputs[0] : i).ToArray();
                g.Nodes.Remove(r);
                g.Tensors.Remove(r.Output);
                changed = true;
            }
        }
        return changed;
    }

    public static bool RemoveDeadNodes(FloatGraph g)
    {
        bool changed = false;
        for (int i = g.Nodes.Count - 1; i >= 0; i--)
        {
            var n = g.Nodes[i];
            if (g.IsGraphOutput(n.Output) || g.Nodes.Any(c => c.Inputs.Contains(n.Output))) continue;
            g.Nodes.RemoveAt(i);
            g.Tensors.Remove(n.Output);
            changed = true;
        }
        return changed;
    }
}
