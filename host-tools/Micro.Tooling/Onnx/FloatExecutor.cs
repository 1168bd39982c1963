namespace Micro.Tooling.Onnx;

/// <summary>The float reference: runs a <see cref="FloatGraph"/> with plain float32 loops (sums in double)
/// and keeps every intermediate tensor, for calibration and per-layer comparison with the quantized model.</summary>
public sealed class FloatExecutor
{
    private readonly FloatGraph _g;

    public FloatExecutor(FloatGraph graph)
    {
        FloatGraphValidator.Validate(graph);
        _g = graph;
    }

    public FloatGraph Graph => _g;

    /// <summary>Runs one sample given in the runtime (physical) layout; returns every tensor by name.</summary>
    public Dictionary<string, float[]> Run(params float[][] physicalInputs)
    {
        if (physicalInputs.Length != _g.Inputs.Count)
            throw new ArgumentException($"{physicalInputs.Length} inputs given, the graph has {_g.Inputs.Count}");
        var v = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (int i = 0; i < physicalInputs.Length; i++)
        {
            var t = _g.Tensor(_g.Inputs[i].Tensor);
            if (physicalInputs[i].Length != t.Count)
                throw new ArgumentException($"input '{t.Name}' needs {t.Count} values ({ShapeUtil.Format(t.Shape)}), got {physicalInputs[i].Length}");
            v[t.Name] = physicalInputs[i];
        }
        foreach (var n in _g.Nodes) v[n.Output] = Eval(n, v);
        return v;
    }

    /// <summary>Runs one sample given in the ONNX layout (e.g. NCHW); returns the outputs in the ONNX layout.</summary>
    public float[][] RunOnnx(params float[][] onnxInputs)
    {
        var phys = new float[onnxInputs.Length][];
        for (int i = 0; i < onnxInputs.Length && i < _g.Inputs.Count; i++) phys[i] = _g.Inputs[i].ToPhysical(onnxInputs[i]);
        var all = Run(phys);
        return _g.Outputs.Select(o => o.ToOnnx(all[o.Tensor])).ToArray();
    }

    private float[] Eval(FloatNode n, Dictionary<string, float[]> v)
    {
        var x = v[n.Inputs[0]];
        var xs = _g.Tensor(n.Inputs[0]).Shape;
        var ys = _g.Tensor(n.Output).Shape;
        var y = new float[ShapeUtil.Count(ys)];
        switch (n)
        {
            case FullyConnectedNode fc: FullyConnected(fc, x, y); break;
            case ConvNode c: Conv(c, x, xs, y, ys); break;
            case PoolNode p: Pool(p, x, xs, y, ys); break;
            case MeanNode m:
                {
                    int ch = xs[^1], spatial = x.Length / (xs[0] * ch);
                    for (int b = 0; b < xs[0]; b++)
                        for (int c = 0; c < ch; c++)
                        {
                            double s = 0;
                            for (int i = 0; i < spatial; i++) s += x[(b * spatial + i) * ch + c];
                            y[b * ch + c] = (float)(s / spatial);
                        }
                    break;
                }
            case AddNode:
                {
                    var b = v[n.Inputs[1]];
                    for (int i = 0; i < y.Length; i++) y[i] = x[i] + b[i];
                    break;
                }
            case ChannelAffineNode a:
                {
                    int ch = xs[^1];
                    for (int i = 0; i < y.Length; i++)
                    {
                        int c = i % ch;
                        y[i] = x[i] * (a.Scale.Length == 1 ? a.Scale[0] : a.Scale[c]) + (a.Shift.Length == 1 ? a.Shift[0] : a.Shift[c]);
                    }
                    break;
                }
            case ConcatNode cc:
                {
                    int outer = ys.Take(cc.Axis).Aggregate(1, (p, d) => p * d);
                    int inner = ys.Skip(cc.Axis + 1).Aggregate(1, (p, d) => p * d);
                    int k = 0;
                    for (int o = 0; o < outer; o++)
                        foreach (var name in cc.Inputs)
                        {
                            int len = _g.Tensor(name).Shape[cc.Axis] * inner;
                            Array.Copy(v[name], o * len, y, k, len);
                            k += len;
                        }
                    break;
                }
            case ReshapeNode: Array.Copy(x, y, y.Length); break;
            case PadNode pd: Pad(pd, x, xs, y, ys); break;
            case ResizeNearestNode rn: StructuralExecutor.ResizeNearest(rn, x, xs, y, ys); break;
            case StridedSliceNode sl: StructuralExecutor.StridedSlice(sl, x, xs, y, ys); break;
            case TransposeNode tp: StructuralExecutor.Transpose(tp, x, xs, y, ys); break;
            case LayerNormNode ln: StructuralExecutor.LayerNorm(ln, x, y); break;
            case ActivationNode act:
                for (int i = 0; i < y.Length; i++)
                {
                    float t = x[i];
                    y[i] = act.Op switch
                    {
                        FloatOp.Logistic => (float)(1.0 / (1.0 + Math.Exp(-t))),
                        FloatOp.Tanh => MathF.Tanh(t),
                        FloatOp.LeakyRelu => t >= 0 ? t : act.Alpha * t,
                        _ => t,
                    };
                }
                break;
            case SoftmaxNode sm:
                {
                    int ch = xs[^1];
                    for (int r = 0; r < y.Length / ch; r++)
                    {
                        float max = float.NegativeInfinity;
                        for (int c = 0; c < ch; c++) max = Math.Max(max, x[r * ch + c]);
                        double sum = 0;
                        for (int c = 0; c < ch; c++) sum += Math.Exp(sm.Beta * (x[r * ch + c] - max));
                        for (int c = 0; c < ch; c++) y[r * ch + c] = (float)(Math.Exp(sm.Beta * (x[r * ch + c] - max)) / sum);
                    }
                    break;
                }
            case FakeQuantizeNode fq:
                for (int i = 0; i < y.Length; i++)
                {
                    float q = Math.Clamp(MathF.Round(x[i] / fq.Scale) + fq.ZeroPoint, fq.QMin, fq.QMax);
                    y[i] = (q - fq.ZeroPoint) * fq.Scale;
                }
                break;
            case BinaryNode bn: Broadcast(bn, x, xs, v[n.Inputs[1]], _g.Tensor(n.Inputs[1]).Shape, y, ys); break;
            case PointwiseNode pw:
                for (int i = 0; i < y.Length; i++) y[i] = (float)pw.Function(x[i]);
                break;
            default: throw new NotSupportedException($"{n.Op}");
        }
        if (n.HasActivation)
            for (int i = 0; i < y.Length; i++) y[i] = Math.Clamp(y[i], n.ActMin, n.ActMax);
        return y;
    }

    /// <summary>y = a ∘ b with NumPy broadcasting (a, b and y have the same rank).</summary>
    private static void Broadcast(BinaryNode n, float[] a, int[] sa, float[] b, int[] sb, float[] y, int[] sy)
    {
        int r = sy.Length;
        var stA = ShapeUtil.Strides(sa);
        var stB = ShapeUtil.Strides(sb);
        var idx = new int[r];
        for (int i = 0; i < y.Length; i++)
        {
            int ia = 0, ib = 0;
            for (int d = 0; d < r; d++)
            {
                if (sa[d] != 1) ia += idx[d] * stA[d];
                if (sb[d] != 1) ib += idx[d] * stB[d];
            }
            y[i] = (float)n.Apply(a[ia], b[ib]);
            for (int d = r - 1; d >= 0; d--) { if (++idx[d] < sy[d]) break; idx[d] = 0; }
        }
    }

    private static void FullyConnected(FullyConnectedNode fc, float[] x, float[] y)
    {
        int k = fc.InFeatures, m = fc.OutFeatures, rows = x.Length / k;
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < m; o++)
            {
                double s = fc.Bias[o];
                for (int i = 0; i < k; i++) s += (double)x[r * k + i] * fc.Weights[o * k + i];
                y[r * m + o] = (float)s;
            }
    }

    private static (int N, int H, int W, int C) Nhwc(int[] s, bool is1D) =>
        is1D ? (s[0], 1, s[1], s[2]) : (s[0], s[1], s[2], s[3]);

    private static void Conv(ConvNode c, float[] x, int[] xs, float[] y, int[] ys)
    {
        var (n, h, w, cin) = Nhwc(xs, c.Is1D);
        var (_, oh, ow, cout) = Nhwc(ys, c.Is1D);
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int oc = 0; oc < cout; oc++)
                    {
                        double s = c.Bias[oc];
                        for (int ky = 0; ky < c.KernelH; ky++)
                        {
                            int iy = oy * c.StrideH - c.PadTop + ky * c.DilationH;
                            if (iy < 0 || iy >= h) continue;
                            for (int kx = 0; kx < c.KernelW; kx++)
                            {
                                int ix = ox * c.StrideW - c.PadLeft + kx * c.DilationW;
                                if (ix < 0 || ix >= w) continue;
                                int xo = ((b * h + iy) * w + ix) * cin;
                                if (c.Depthwise)
                                    s += (double)x[xo + oc / c.DepthMultiplier] * c.Weights[(ky * c.KernelW + kx) * cout + oc];
                                else
                                {
                                    // Grouped: output oc reads its group's cin / Groups channels (Groups = 1: all).
                                    int cg = cin / c.Groups, x0 = xo + oc / (cout / c.Groups) * cg;
                                    int wo = ((oc * c.KernelH + ky) * c.KernelW + kx) * cg;
                                    for (int ic = 0; ic < cg; ic++) s += (double)x[x0 + ic] * c.Weights[wo + ic];
                                }
                            }
                        }
                        y[((b * oh + oy) * ow + ox) * cout + oc] = (float)s;
                    }
    }

    private static void Pool(PoolNode p, float[] x, int[] xs, float[] y, int[] ys)
    {
        var (n, h, w, ch) = Nhwc(xs, p.Is1D);
        var (_, oh, ow, _) = Nhwc(ys, p.Is1D);
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int c = 0; c < ch; c++)
                    {
                        double acc = p.IsMax ? double.NegativeInfinity : 0;
                        int count = 0;
                        for (int ky = 0; ky < p.KernelH; ky++)
                        {
                            int iy = oy * p.StrideH - p.PadTop + ky;
                            if (iy < 0 || iy >= h) continue;
                            for (int kx = 0; kx < p.KernelW; kx++)
                            {
                                int ix = ox * p.StrideW - p.PadLeft + kx;
                                if (ix < 0 || ix >= w) continue;
                                float t = x[((b * h + iy) * w + ix) * ch + c];
                                acc = p.IsMax ? Math.Max(acc, t) : acc + t;
                                count++;
                            }
                        }
                        y[((b * oh + oy) * ow + ox) * ch + c] = count == 0 ? 0f : (float)(p.IsMax ? acc : acc / count);
                    }
    }

    private static void Pad(PadNode p, float[] x, int[] xs, float[] y, int[] ys)
    {
        int r = xs.Length;
        var ystr = ShapeUtil.Strides(ys);
        var idx = new int[r];
        for (int i = 0; i < x.Length; i++)
        {
            int o = 0;
            for (int d = 0; d < r; d++) o += (idx[d] + p.Before[d]) * ystr[d];
            y[o] = x[i];
            for (int d = r - 1; d >= 0; d--) { if (++idx[d] < xs[d]) break; idx[d] = 0; }
        }
    }
}
