#nullable enable
using System.Buffers.Binary;
using Micro.Tooling.TFLite;

namespace Micro.Tooling.Tests.TFLite.Reference;

/// <summary>
/// Re-statements of TFLM's data-movement kernels: resize_nearest_neighbor.h (GetNearestNeighbor in float32,
/// evaluated per output element as TFLM does), transpose.h, strided_slice.h (StartForAxis / StopForAxis with
/// the begin, end and shrink masks), slice.h. Values are copied unchanged.
/// </summary>
internal sealed partial class TflmReference
{
    private int[] Ints(int tensor)
    {
        ReadOnlySpan<byte> d = Data(tensor);
        var r = new int[d.Length / 4];
        for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadInt32LittleEndian(d.Slice(4 * i));
        return r;
    }

    private static int NearestNeighbor(int index, int inSize, int outSize, bool alignCorners, bool halfPixel)
    {
        float scale = alignCorners && outSize > 1 ? (inSize - 1) / (float)(outSize - 1) : inSize / (float)outSize;
        float offset = halfPixel ? 0.5f : 0.0f;
        float at = (index + offset) * scale;
        int v = alignCorners ? (int)MathF.Round(at, MidpointRounding.AwayFromZero) : (int)MathF.Floor(at);
        v = Math.Min(v, inSize - 1);
        return halfPixel ? Math.Max(0, v) : v;
    }

    private void ResizeNearestNeighbor(TfliteOperator op, sbyte[] x, sbyte[] y)
    {
        var o = op.Options as ResizeNearestNeighborOptions ?? new ResizeNearestNeighborOptions(false, false);
        int[] xs = T(op.Inputs[0]).Shape, size = Ints(op.Inputs[1]);
        int batches = xs[0], inH = xs[1], inW = xs[2], depth = xs[3];
        int k = 0;
        for (int b = 0; b < batches; b++)
            for (int oy = 0; oy < size[0]; oy++)
            {
                int iy = NearestNeighbor(oy, inH, size[0], o.AlignCorners, o.HalfPixelCenters);
                for (int ox = 0; ox < size[1]; ox++)
                {
                    int ix = NearestNeighbor(ox, inW, size[1], o.AlignCorners, o.HalfPixelCenters);
                    for (int c = 0; c < depth; c++) y[k++] = x[((b * inH + iy) * inW + ix) * depth + c];
                }
            }
    }

    private void Transpose(TfliteOperator op, sbyte[] x, sbyte[] y)
    {
        int[] xs = T(op.Inputs[0]).Shape, perm = Ints(op.Inputs[1]);
        int r = xs.Length;
        var strides = new int[r];
        for (int d = r - 1, s = 1; d >= 0; d--) { strides[d] = s; s *= xs[d]; }
        var ys = perm.Select(p => xs[p]).ToArray();
        var idx = new int[r];
        for (int i = 0; i < y.Length; i++)
        {
            int src = 0;
            for (int d = 0; d < r; d++) src += idx[d] * strides[perm[d]];
            y[i] = x[src];
            for (int d = r - 1; d >= 0; d--) { if (++idx[d] < ys[d]) break; idx[d] = 0; }
        }
    }

    private void StridedSlice(TfliteOperator op, sbyte[] x, sbyte[] y)
    {
        var o = op.Options as StridedSliceOptions ?? new StridedSliceOptions(0, 0, 0, 0, 0, false);
        int[] xs = T(op.Inputs[0]).Shape, begin = Ints(op.Inputs[1]), end = Ints(op.Inputs[2]), stride = Ints(op.Inputs[3]);
        int r = xs.Length;
        var start = new int[r];
        var stop = new int[r];
        for (int d = 0; d < r; d++)
        {
            // StartForAxis: the mask wins, negatives count from the end, then clamp to [0, dim] (positive stride).
            int s = (o.BeginMask & (1 << d)) != 0 ? 0 : begin[d];
            if (s < 0) s += xs[d];
            s = Math.Clamp(s, 0, xs[d]);
            // StopForAxis: a shrunk axis stops one past its start; else the mask or the end index, clamped.
            bool shrink = (o.ShrinkAxisMask & (1 << d)) != 0;
            if (shrink)
            {
                s = begin[d] < 0 ? begin[d] + xs[d] : begin[d];
                start[d] = s;
                stop[d] = s + 1;
                continue;
            }
            int e = (o.EndMask & (1 << d)) != 0 ? xs[d] : end[d];
            if (e < 0) e += xs[d];
            start[d] = s;
            stop[d] = Math.Clamp(e, 0, xs[d]);
        }
        CopyBox(x, xs, start, stop, stride, y);
    }

    private void Slice(TfliteOperator op, sbyte[] x, sbyte[] y)
    {
        int[] xs = T(op.Inputs[0]).Shape, begin = Ints(op.Inputs[1]), size = Ints(op.Inputs[2]);
        var stop = begin.Select((b, d) => size[d] == -1 ? xs[d] : b + size[d]).ToArray();
        CopyBox(x, xs, begin, stop, Enumerable.Repeat(1, xs.Length).ToArray(), y);
    }

    /// <summary>y = x[start[d] : stop[d] : stride[d]] for every axis, in row-major order.</summary>
    private static void CopyBox(sbyte[] x, int[] xs, int[] start, int[] stop, int[] stride, sbyte[] y)
    {
        int r = xs.Length;
        var strides = new int[r];
        for (int d = r - 1, s = 1; d >= 0; d--) { strides[d] = s; s *= xs[d]; }
        var idx = (int[])start.Clone();
        int k = 0;
        while (true)
        {
            int src = 0;
            for (int d = 0; d < r; d++) src += idx[d] * strides[d];
            y[k++] = x[src];
            int a = r - 1;
            for (; a >= 0; a--)
            {
                idx[a] += stride[a];
                if (idx[a] < stop[a]) break;
                idx[a] = start[a];
            }
            if (a < 0) break;
        }
        if (k != y.Length) throw new InvalidOperationException($"slice wrote {k} of {y.Length} values");
    }
}
