namespace Micro.Tooling.Onnx;

/// <summary>Small helpers for shapes (int dims, row-major).</summary>
public static class ShapeUtil
{
    public static int Count(int[] shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            n *= d;
            if (n > int.MaxValue || n < -int.MaxValue) throw new OnnxFormatException($"shape {Format(shape)} has too many elements (more than {int.MaxValue})");
        }
        return (int)n;
    }

    public static string Format(int[] shape) => "[" + string.Join(",", shape) + "]";

    public static bool Equal(int[] a, int[] b) => a.AsSpan().SequenceEqual(b);

    public static int[] Strides(int[] shape)
    {
        var s = new int[shape.Length];
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
        return s;
    }

    /// <summary>The shape with its axes reordered: result[i] = shape[perm[i]].</summary>
    public static int[] Permute(int[] shape, int[] perm)
    {
        var r = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) r[i] = shape[perm[i]];
        return r;
    }

    /// <summary>[0, 2, 3, …, r-1, 1]: NCHW → NHWC, NCW → NWC.</summary>
    public static int[] ChannelsLastPerm(int rank)
    {
        var p = new int[rank];
        if (rank < 3) { for (int i = 0; i < rank; i++) p[i] = i; return p; }
        p[0] = 0;
        for (int i = 1; i < rank - 1; i++) p[i] = i + 1;
        p[rank - 1] = 1;
        return p;
    }

    public static int[] Identity(int rank)
    {
        var p = new int[rank];
        for (int i = 0; i < rank; i++) p[i] = i;
        return p;
    }

    /// <summary>Index map of a transposed copy: element i of <c>transpose(x, perm)</c> (row-major in the
    /// permuted shape) is element map[i] of x (row-major in <paramref name="shape"/>).</summary>
    public static int[] PermMap(int[] shape, int[] perm)
    {
        int n = Count(shape);
        int rank = shape.Length;
        var pshape = Permute(shape, perm);
        var srcStrides = Strides(shape);
        var map = new int[n];
        var idx = new int[rank];
        for (int i = 0; i < n; i++)
        {
            int src = 0;
            for (int d = 0; d < rank; d++) src += idx[d] * srcStrides[perm[d]];
            map[i] = src;
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++idx[d] < pshape[d]) break;
                idx[d] = 0;
            }
        }
        return map;
    }

    public static bool IsIdentity(int[] map)
    {
        for (int i = 0; i < map.Length; i++) if (map[i] != i) return false;
        return true;
    }

    public static int[] Unravel(int flat, int[] shape)
    {
        var idx = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--) { idx[d] = flat % shape[d]; flat /= shape[d]; }
        return idx;
    }

    public static int Ravel(int[] idx, int[] shape)
    {
        int f = 0;
        for (int d = 0; d < shape.Length; d++) f = f * shape[d] + idx[d];
        return f;
    }

    /// <summary>Numpy-style broadcast of two shapes, or null when they do not broadcast.</summary>
    public static int[]? Broadcast(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var r = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da == db || db == 1) r[i] = da;
            else if (da == 1) r[i] = db;
            else return null;
        }
        return r;
    }

    /// <summary>Values of a tensor of shape <paramref name="from"/> broadcast to <paramref name="to"/>.</summary>
    public static double[] BroadcastTo(double[] data, int[] from, int[] to)
    {
        int n = Count(to);
        var r = new double[n];
        int rank = to.Length;
        int off = rank - from.Length;
        var fromStrides = Strides(from);
        var idx = new int[rank];
        for (int i = 0; i < n; i++)
        {
            int src = 0;
            for (int d = off; d < rank; d++)
                if (from[d - off] != 1) src += idx[d] * fromStrides[d - off];
            r[i] = data[src];
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++idx[d] < to[d]) break;
                idx[d] = 0;
            }
        }
        return r;
    }
}
