namespace Micro.Tooling.Onnx;

// Gemm and MatMul → fully connected layers (weight columns reordered to the input's stored order).
internal sealed partial class OnnxLowering
{
    private void FullyConnected(OnnxNode n, Val x, float[] w, float[] bias, int m, int k, float[]? scales)
    {
        if (x.Logical[^1] != k) throw new OnnxFormatException($"{n.Label}: input {ShapeUtil.Format(x.Logical)} has no {k} features");
        var map = MapOf(x);
        var colPerm = new int[k];
        for (int i = 0; i < map.Length; i++)
        {
            int row = i / k, p = i % k;
            int lr = map[i] / k, lc = map[i] % k;
            if (lr != row || (row > 0 && colPerm[p] != lc))
                throw new OnnxUnsupportedException(
                    $"{n.Label}: input '{x.Name}' {ShapeUtil.Format(x.Logical)} is stored in an order that mixes samples and features (a Transpose before it?); Micro cannot feed it to a fully connected layer");
            colPerm[p] = lc;
        }
        float[] wt = w;
        if (!ShapeUtil.IsIdentity(colPerm))
        {
            wt = new float[w.Length];
            for (int o = 0; o < m; o++)
                for (int p = 0; p < k; p++) wt[o * k + p] = w[o * k + colPerm[p]];
        }
        int[] physIn = x.Logical.Length >= 2 ? x.Logical : new[] { 1, k };
        string input = View(x, physIn, n.Label);
        var node = new FullyConnectedNode(n.Name, n.Label, input, OutName(n), wt, bias, m, k) { WeightScales = scales };
        var outLogical = (int[])x.Logical.Clone();
        outLogical[^1] = m;
        var physOut = (int[])physIn.Clone();
        physOut[^1] = m;
        Emit(node, physOut);
        Set(n, 0, ActVal(node.Output, outLogical, null));
    }

    private void Gemm(OnnxNode n)
    {
        var a = NeedAct(n, 0);
        var b = NeedConst(n, 1, "B (weights)");
        var c = ConstOrNull(n, 2);
        if (n.Input(2) != null && c == null) throw new OnnxUnsupportedException($"{n.Label}: C (bias) must be a constant");
        if (n.GetInt("transA", 0) != 0) throw new OnnxUnsupportedException($"{n.Label}: transA=1 is not supported");
        if (a.Logical.Length != 2 || b.Shape.Length != 2) throw new OnnxFormatException($"{n.Label}: Gemm needs rank-2 A and B, got {ShapeUtil.Format(a.Logical)} and {ShapeUtil.Format(b.Shape)}");
        bool transB = n.GetInt("transB", 0) != 0;
        float alpha = n.GetFloat("alpha", 1f), beta = n.GetFloat("beta", 1f);
        int k = a.Logical[1];
        int m = transB ? b.Shape[0] : b.Shape[1];
        if ((transB ? b.Shape[1] : b.Shape[0]) != k) throw new OnnxFormatException($"{n.Label}: A {ShapeUtil.Format(a.Logical)} and B {ShapeUtil.Format(b.Shape)} do not multiply (transB={(transB ? 1 : 0)})");
        var w = new float[m * k];
        for (int o = 0; o < m; o++)
            for (int i = 0; i < k; i++)
                w[o * k + i] = alpha * (float)(transB ? b.Data[o * k + i] : b.Data[i * m + o]);
        var bias = new float[m];
        if (c != null)
        {
            var rows = a.Logical[0];
            var full = ShapeUtil.Broadcast(c.Shape, new[] { rows, m });
            if (full == null || full.Length != 2 || full[0] != rows || full[1] != m)
                throw new OnnxFormatException($"{n.Label}: C {ShapeUtil.Format(c.Shape)} does not broadcast to [{rows},{m}]");
            var cd = ShapeUtil.BroadcastTo(c.Data, c.Shape, new[] { rows, m });
            for (int o = 0; o < m; o++)
            {
                bias[o] = beta * (float)cd[o];
                for (int r = 1; r < rows; r++)
                    if (cd[r * m + o] != cd[o]) throw new OnnxUnsupportedException($"{n.Label}: C differs between rows");
            }
        }
        float[]? scales = null;
        if (b.Quant != null && alpha == 1f)
        {
            int outAxis = transB ? 0 : 1;
            if (b.Quant.Axis == -1) scales = Enumerable.Repeat(b.Quant.Scales[0], m).ToArray();
            else if (b.Quant.Axis == outAxis) scales = b.Quant.Scales;
        }
        FullyConnected(n, a, w, bias, m, k, scales);
    }

    private void MatMul(OnnxNode n)
    {
        var aName = n.Input(0)!;
        var bName = n.Input(1) ?? throw new OnnxFormatException($"{n.Label}: input 1 is missing");
        if (_vals[aName].Const != null)
            throw new OnnxUnsupportedException($"{n.Label}: constant × activation MatMul is not supported (only activation × constant weights)");
        var a = NeedAct(n, 0);
        var b = _vals[bName].Const ?? throw new OnnxUnsupportedException($"{n.Label}: MatMul of two activations is not supported (the second input must be constant weights)");
        if (b.Shape.Length != 2) throw new OnnxUnsupportedException($"{n.Label}: weights {ShapeUtil.Format(b.Shape)} must have rank 2");
        if (a.Logical.Length < 2) throw new OnnxUnsupportedException($"{n.Label}: input {ShapeUtil.Format(a.Logical)} must have rank ≥ 2");
        int k = b.Shape[0], m = b.Shape[1];
        var w = new float[m * k];
        for (int o = 0; o < m; o++)
            for (int i = 0; i < k; i++) w[o * k + i] = (float)b.Data[i * m + o];
        float[]? scales = b.Quant == null ? null : b.Quant.Axis == 1 ? b.Quant.Scales
            : b.Quant.Axis == -1 ? Enumerable.Repeat(b.Quant.Scales[0], m).ToArray() : null;
        FullyConnected(n, a, w, new float[m], m, k, scales);
    }
}
