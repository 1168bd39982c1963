namespace Micro.Tooling.Onnx;

/// <summary>Nearest-neighbour resize of a channels-last tensor (rank 4 NHWC or 3 NWC): y[b, oy, ox, c] =
/// x[b, Rows[oy], Cols[ox], c]. The tables hold the source model's own rounding (rank 3: Rows = {0}).</summary>
public sealed class ResizeNearestNode : FloatNode
{
    public ResizeNearestNode(string name, string source, string input, string output, int[] rows, int[] cols)
        : base(name, source, new[] { input }, output) { Rows = rows; Cols = cols; }
    public override FloatOp Op => FloatOp.ResizeNearest;
    public int[] Rows { get; }
    public int[] Cols { get; }
}

/// <summary>y[i] = x[Begin + Stride·i] per physical axis (strides ≥ 1); the output tensor's shape gives the counts.</summary>
public sealed class StridedSliceNode : FloatNode
{
    public StridedSliceNode(string name, string source, string input, string output, int[] begin, int[] stride)
        : base(name, source, new[] { input }, output) { Begin = begin; Stride = stride; }
    public override FloatOp Op => FloatOp.StridedSlice;
    public int[] Begin { get; }
    public int[] Stride { get; }
}

/// <summary>Physical transpose: y.Shape[d] = x.Shape[Perm[d]].</summary>
public sealed class TransposeNode : FloatNode
{
    public TransposeNode(string name, string source, string input, string output, int[] perm)
        : base(name, source, new[] { input }, output) { Perm = perm; }
    public override FloatOp Op => FloatOp.Transpose;
    public int[] Perm { get; }
}

/// <summary>y = (x − mean) / √(var + Epsilon) · Gamma[c] + Beta[c] over the last physical axis (each row of C values).</summary>
public sealed class LayerNormNode : FloatNode
{
    public LayerNormNode(string name, string source, string input, string output, float[] gamma, float[] beta, float epsilon)
        : base(name, source, new[] { input }, output) { Gamma = gamma; Beta = beta; Epsilon = epsilon; }
    public override FloatOp Op => FloatOp.LayerNorm;
    public float[] Gamma { get; }
    public float[] Beta { get; }
    public float Epsilon { get; }
}

/// <summary>The float reference of the structural nodes (<see cref="FloatExecutor"/> calls it).</summary>
internal static class StructuralExecutor
{
    public static void ResizeNearest(ResizeNearestNode r, float[] x, int[] xs, float[] y, int[] ys)
    {
        int n = xs[0], c = xs[^1], inW = xs[^2], inH = xs.Length == 4 ? xs[1] : 1;
        int k = 0;
        for (int b = 0; b < n; b++)
            foreach (int row in r.Rows)
                foreach (int col in r.Cols)
                {
                    Array.Copy(x, ((b * inH + row) * inW + col) * c, y, k, c);
                    k += c;
                }
    }

    public static void StridedSlice(StridedSliceNode s, float[] x, int[] xs, float[] y, int[] ys)
    {
        var xstr = ShapeUtil.Strides(xs);
        int r = ys.Length;
        var idx = new int[r];
        for (int i = 0; i < y.Length; i++)
        {
            int o = 0;
            for (int d = 0; d < r; d++) o += (s.Begin[d] + s.Stride[d] * idx[d]) * xstr[d];
            y[i] = x[o];
            for (int d = r - 1; d >= 0; d--) { if (++idx[d] < ys[d]) break; idx[d] = 0; }
        }
    }

    public static void Transpose(TransposeNode t, float[] x, int[] xs, float[] y, int[] ys)
    {
        var xstr = ShapeUtil.Strides(xs);
        int r = ys.Length;
        var idx = new int[r];
        for (int i = 0; i < y.Length; i++)
        {
            int o = 0;
            for (int d = 0; d < r; d++) o += idx[d] * xstr[t.Perm[d]];
            y[i] = x[o];
            for (int d = r - 1; d >= 0; d--) { if (++idx[d] < ys[d]) break; idx[d] = 0; }
        }
    }

    public static void LayerNorm(LayerNormNode ln, float[] x, float[] y)
    {
        int c = ln.Gamma.Length;
        for (int r = 0; r < x.Length / c; r++)
        {
            double mean = 0, var = 0;
            for (int i = 0; i < c; i++) mean += x[r * c + i];
            mean /= c;
            for (int i = 0; i < c; i++) var += (x[r * c + i] - mean) * (x[r * c + i] - mean);
            double inv = 1 / Math.Sqrt(var / c + ln.Epsilon);
            for (int i = 0; i < c; i++) y[r * c + i] = (float)((x[r * c + i] - mean) * inv * ln.Gamma[i] + ln.Beta[i]);
        }
    }
}
