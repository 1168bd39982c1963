using System;
using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// RESIZE_NEAREST (nearest-neighbour resize / upsample), int8 or int16, rank 4 NHWC or rank 3 NWC:
    ///   y[b, oy, ox, c] = x[b, rows[oy], cols[ox], c]
    /// rows (int32[Ho]) and cols (int32[Wo]) are constant tables the host computed with the source model's own
    /// rounding (TFLite's GetNearestNeighbor with align_corners / half_pixel_centers, or ONNX Resize's
    /// coordinate_transformation_mode and nearest_mode), so the device does no division and no float math and
    /// every variant is the same kernel. Rank 3 has H = 1 and rows = {0}. Batch and channels are unchanged,
    /// input and output quantization equal (values are copied, as TFLM does). Prepare checks every table
    /// entry lies inside the input. An output row whose source row equals the previous one's is one copy of
    /// the previous output row. Macs = 0 (data movement).
    /// </summary>
    public static class ResizeNearest
    {
        public const int PRows = 0, PCols = 1, ParamCount = 2;

        /// <summary>The op record's params, for every writer: the two table offsets (relative to the constant data).</summary>
        public static int[] Encode(int rowsOffset, int colsOffset)
        {
            int[] p = new int[ParamCount];
            p[PRows] = rowsOffset;
            p[PCols] = colsOffset;
            return p;
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 1, ParamCount);
            Tensor x = m.In(op, 0), y = m.Out(op);
            if (x.DType != y.DType) throw m.OpError(op, ErrorCodes.BadDType, "input " + DType.Name(x.DType) + " and output " + DType.Name(y.DType) + " differ");
            if (x.Rank != y.Rank || (x.Rank != 3 && x.Rank != 4))
                throw m.OpError(op, ErrorCodes.ShapeMismatch, "input and output must both be rank 3 (NWC) or 4 (NHWC), are " + x.Rank + " and " + y.Rank);
            if (x.Batch != y.Batch || x.Channels != y.Channels)
                throw m.OpError(op, ErrorCodes.ShapeMismatch, "batch and channels must be kept (" + x.Batch + "×" + x.Channels + " → " + y.Batch + "×" + y.Channels + ")");
            if (x.ZeroPoint != y.ZeroPoint || x.ScaleBits != y.ScaleBits)
                throw m.OpError(op, ErrorCodes.BadOpParams, "input and output quantization must be equal");
            ResizeNearestData d = new ResizeNearestData();
            d.Rows = Table(m, op, PRows, y.Height, x.Height, "rows");
            d.Cols = Table(m, op, PCols, y.Width, x.Width, "cols");
            int es = DType.Size(y.DType);
            d.Batches = y.Batch;
            d.PixelBytes = es * y.Channels;
            d.InRowBytes = d.PixelBytes * x.Width;
            d.InImageBytes = d.InRowBytes * x.Height;
            d.XOffset = x.ArenaOffset;
            d.YOffset = y.ArenaOffset;
            op.Data = d;
            op.Macs = 0;
        }

        private static int[] Table(PrepareContext m, Op op, int p, int count, int limit, string name)
        {
            int[] t = m.ConstInt32(op, p, count, name);
            for (int i = 0; i < count; i++)
                if (t[i] < 0 || t[i] >= limit)
                    throw m.OpError(op, ErrorCodes.BadConstant, name + "[" + i + "] is " + t[i] + ", outside 0.." + (limit - 1));
            return t;
        }

        public static void Eval(Model m, Op op, sbyte[] a)
        {
            ResizeNearestData d = (ResizeNearestData)op.Data;
            int[] rows = d.Rows, cols = d.Cols;
            int pixel = d.PixelBytes, inRow = d.InRowBytes, outRow = pixel * cols.Length;
            int dst = d.YOffset;
            for (int b = 0; b < d.Batches; b++)
            {
                int image = d.XOffset + b * d.InImageBytes;
                for (int oy = 0; oy < rows.Length; oy++)
                {
                    if (oy > 0 && rows[oy] == rows[oy - 1])
                    {
                        // Same source row as the output row just written: copy that.
                        Array.Copy(a, dst - outRow, a, dst, outRow);
                        dst += outRow;
                        continue;
                    }
                    int src = image + rows[oy] * inRow;
                    if (pixel == 1)
                    {
                        for (int ox = 0; ox < cols.Length; ox++) a[dst++] = a[src + cols[ox]];
                        continue;
                    }
                    for (int ox = 0; ox < cols.Length; ox++)
                    {
                        Array.Copy(a, src + cols[ox] * pixel, a, dst, pixel);
                        dst += pixel;
                    }
                }
            }
        }
    }

    /// <summary>Prepared state of RESIZE_NEAREST: the source row and column tables, byte sizes and arena offsets.</summary>
    public sealed class ResizeNearestData
    {
        public int[] Rows, Cols;
        public int Batches, PixelBytes, InRowBytes, InImageBytes, XOffset, YOffset;
    }
}
