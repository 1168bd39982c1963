using Micro.Runtime.Format;
using Micro.Tooling.Graph;

namespace Micro.Tooling.TFLite;

/// <summary>The structural operators: RESIZE_NEAREST_NEIGHBOR, TRANSPOSE, STRIDED_SLICE, SLICE (values copied, int8).</summary>
public sealed partial class TfliteImporter
{
    // ---- RESIZE_NEAREST_NEIGHBOR ------------------------------------------------------------------------

    /// <summary>
    /// RESIZE_NEAREST_NEIGHBOR with a constant size: the source row and column tables follow TFLM's
    /// GetNearestNeighbor (float32 scale, floor or round, clamped) for the op's align_corners and
    /// half_pixel_centers, computed here once so the device copies by table.
    /// </summary>
    private void ResizeNearestNeighbor(TfliteOperator op)
    {
        string where = OpLabel(op);
        var o = Options(op, new ResizeNearestNeighborOptions(false, false));
        QTensor x = Input(op, 0);
        if (op.Inputs.Length != 2 || op.Inputs[1] < 0) throw new TfliteImportException($"{where}: the size input is missing");
        int[] size = ConstantInt32(op.Inputs[1], where, "size");
        QTensor y = Output(op);
        if (x.Shape.Length != 4 || y.Shape.Length != 4) throw new TfliteImportException($"{where}: input and output must be NHWC (rank 4)");
        if (size.Length != 2 || size[0] != y.Shape[1] || size[1] != y.Shape[2])
            throw new TfliteImportException($"{where}: size [{string.Join(",", size)}] does not match the output [{string.Join(",", y.Shape)}]");
        if (x.Shape[0] != y.Shape[0] || x.Shape[3] != y.Shape[3])
            throw new TfliteImportException($"{where}: batch and channels must be kept ([{string.Join(",", x.Shape)}] → [{string.Join(",", y.Shape)}])");
        RequireSameQuantization(x, y, where);
        var q = new QTableOp(OpCodes.ResizeNearest, Micro.Runtime.Kernels.ResizeNearest.Encode(0, 0)) { Output = y };
        q.Tables.Add((Micro.Runtime.Kernels.ResizeNearest.PRows, NearestTable(x.Shape[1], y.Shape[1], o.AlignCorners, o.HalfPixelCenters)));
        q.Tables.Add((Micro.Runtime.Kernels.ResizeNearest.PCols, NearestTable(x.Shape[2], y.Shape[2], o.AlignCorners, o.HalfPixelCenters)));
        Emit(op, q, x);
    }

    /// <summary>TFLM's source index for each output index, in its float32 arithmetic.</summary>
    internal static int[] NearestTable(int inSize, int outSize, bool alignCorners, bool halfPixelCenters)
    {
        float scale = alignCorners && outSize > 1 ? (inSize - 1) / (float)(outSize - 1) : inSize / (float)outSize;
        float offset = halfPixelCenters ? 0.5f : 0f;
        var t = new int[outSize];
        for (int i = 0; i < outSize; i++)
        {
            float v = (float)((float)(i + offset) * scale);
            int s = alignCorners ? (int)MathF.Round(v, MidpointRounding.AwayFromZero) : (int)MathF.Floor(v);
            s = Math.Min(s, inSize - 1);
            if (halfPixelCenters) s = Math.Max(0, s);
            t[i] = s;
        }
        return t;
    }

    // ---- TRANSPOSE --------------------------------------------------------------------------------------

    private void Transpose(TfliteOperator op)
    {
        string where = OpLabel(op);
        QTensor x = Input(op, 0);
        if (op.Inputs.Length != 2 || op.Inputs[1] < 0) throw new TfliteImportException($"{where}: the perm input is missing");
        int[] perm = ConstantInt32(op.Inputs[1], where, "perm");
        QTensor y = Output(op);
        int r = x.Shape.Length;
        if (perm.Length != r || y.Shape.Length != r || !perm.OrderBy(v => v).SequenceEqual(Enumerable.Range(0, r)))
            throw new TfliteImportException($"{where}: perm [{string.Join(",", perm)}] is not a permutation of the input's {r} axes");
        for (int d = 0; d < r; d++)
            if (y.Shape[d] != x.Shape[perm[d]])
                throw new TfliteImportException($"{where}: output [{string.Join(",", y.Shape)}] is not the input [{string.Join(",", x.Shape)}] permuted by [{string.Join(",", perm)}]");
        RequireSameQuantization(x, y, where);
        Emit(op, new QSimpleOp(OpCodes.Transpose, Micro.Runtime.Kernels.Transpose.Encode(perm)) { Output = y }, x);
    }

    // ---- STRIDED_SLICE, SLICE ---------------------------------------------------------------------------

    /// <summary>
    /// STRIDED_SLICE with constant begin/end/strides, positive strides, begin/end/shrink-axis masks (TFLM's
    /// StartForAxis / StopForAxis: negative indices count from the end, then clamp). Shrunk axes are sliced
    /// to one element and dropped by a RESHAPE to the output's shape.
    /// </summary>
    private void StridedSlice(TfliteOperator op)
    {
        string where = OpLabel(op);
        var o = Options<StridedSliceOptions>(op, new StridedSliceOptions(0, 0, 0, 0, 0, false));
        if (o.EllipsisMask != 0 || o.NewAxisMask != 0)
            throw new TfliteImportException($"{where}: ellipsis_mask and new_axis_mask are not supported");
        if (o.Offset) throw new TfliteImportException($"{where}: offset=true is not supported");
        QTensor x = Input(op, 0);
        if (op.Inputs.Length != 4 || op.Inputs.Skip(1).Any(i => i < 0)) throw new TfliteImportException($"{where}: begin, end and strides must be given");
        int[] begin = ConstantInt32(op.Inputs[1], where, "begin");
        int[] end = ConstantInt32(op.Inputs[2], where, "end");
        int[] strides = ConstantInt32(op.Inputs[3], where, "strides");
        QTensor y = Output(op);
        int r = x.Shape.Length;
        if (begin.Length != r || end.Length != r || strides.Length != r)
            throw new TfliteImportException($"{where}: begin, end and strides need {r} values each");
        var start = new int[r];
        var count = new int[r];
        for (int d = 0; d < r; d++)
        {
            int dim = x.Shape[d];
            if (strides[d] < 1) throw new TfliteImportException($"{where}: stride {strides[d]} on axis {d}; only positive strides are supported");
            bool shrink = (o.ShrinkAxisMask >> d & 1) != 0;
            long b = (o.BeginMask >> d & 1) != 0 && !shrink ? 0 : begin[d] < 0 ? (long)begin[d] + dim : begin[d];
            b = Math.Clamp(b, 0, dim);
            long e = shrink ? b + 1 : (o.EndMask >> d & 1) != 0 ? dim : end[d] < 0 ? (long)end[d] + dim : end[d];
            e = Math.Clamp(e, 0, dim);
            long c = (e - b + strides[d] - 1) / strides[d];
            if (c < 1) throw new TfliteImportException($"{where}: the slice of axis {d} is empty");
            start[d] = (int)b;
            count[d] = (int)c;
        }
        EmitSlice(op, x, y, start, strides.Select((s, d) => Math.Min(s, x.Shape[d])).ToArray(), count, where);
    }

    /// <summary>SLICE with constant begin and size (−1 = to the end).</summary>
    private void Slice(TfliteOperator op)
    {
        string where = OpLabel(op);
        QTensor x = Input(op, 0);
        if (op.Inputs.Length != 3 || op.Inputs[1] < 0 || op.Inputs[2] < 0) throw new TfliteImportException($"{where}: begin and size must be given");
        int[] begin = ConstantInt32(op.Inputs[1], where, "begin");
        int[] size = ConstantInt32(op.Inputs[2], where, "size");
        QTensor y = Output(op);
        int r = x.Shape.Length;
        if (begin.Length != r || size.Length != r) throw new TfliteImportException($"{where}: begin and size need {r} values each");
        var count = new int[r];
        for (int d = 0; d < r; d++)
        {
            int c = size[d] == -1 ? x.Shape[d] - begin[d] : size[d];
            if (begin[d] < 0 || c < 1 || (long)begin[d] + c > x.Shape[d])
                throw new TfliteImportException($"{where}: begin {begin[d]}, size {size[d]} on axis {d} of {x.Shape[d]}");
            count[d] = c;
        }
        EmitSlice(op, x, y, begin, Enumerable.Repeat(1, r).ToArray(), count, where);
    }

    private void EmitSlice(TfliteOperator op, QTensor x, QTensor y, int[] start, int[] stride, int[] count, string where)
    {
        if (y.ElementCount != count.Aggregate(1, (p, v) => p * v))
            throw new TfliteImportException($"{where}: output [{string.Join(",", y.Shape)}] does not hold the slice [{string.Join(",", count)}]");
        RequireSameQuantization(x, y, where);
        QTensor sliced = y;
        if (!y.Shape.SequenceEqual(count))
            sliced = _graph.AddTensor(y.Name + "/sliced", count, y.Scale, y.ZeroPoint);
        Emit(op, new QSimpleOp(OpCodes.StridedSlice, Micro.Runtime.Kernels.StridedSlice.Encode(start, stride)) { Output = sliced }, x);
        if (sliced != y) Emit(op, new QSimpleOp(OpCodes.Reshape, Micro.Runtime.Kernels.Reshape.Encode()) { Output = y }, sliced);
    }
}
