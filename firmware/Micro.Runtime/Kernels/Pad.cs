using System;
using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// PAD (constant), rank 1..4, int8 or int16: params are pad_before[d], pad_after[d] for each dim d
    /// (2 × rank words, each ≥ 0), y.dims[d] = x.dims[d] + pad_before[d] + pad_after[d]. Padding holds
    /// the output zero point (TFLite's PAD without constant_values); input and output quantization are
    /// equal. Eval fills the output with the pad value, then copies each innermost input row into place.
    /// Prepared state: PadData (the 4-d view). Macs = 0.
    /// </summary>
    public static class Pad
    {
        /// <summary>
        /// The op record's params, for every writer: per dimension d (outermost first) pad_before[d] at 2·d
        /// and pad_after[d] at 2·d + 1 (Prepare reads the same positions).
        /// </summary>
        public static int[] Encode(int[] before, int[] after)
        {
            int[] p = new int[2 * before.Length];
            for (int d = 0; d < before.Length; d++)
            {
                p[2 * d] = before[d];
                p[2 * d + 1] = after[d];
            }
            return p;
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            Tensor x = m.In(op, 0), y = m.Out(op);
            m.Expect(op, 1, 2 * y.Rank);
            if (x.DType != y.DType) throw m.OpError(op, ErrorCodes.BadDType, "input " + DType.Name(x.DType) + " and output " + DType.Name(y.DType) + " differ");
            if (x.Rank != y.Rank) throw m.OpError(op, ErrorCodes.ShapeMismatch, "input rank " + x.Rank + ", output rank " + y.Rank);
            if (x.ZeroPoint != y.ZeroPoint || x.ScaleBits != y.ScaleBits)
                throw m.OpError(op, ErrorCodes.BadOpParams, "input and output quantization must be equal");
            int[] xd = new int[4], yd = new int[4], before = new int[4];
            for (int d = 0; d < 4; d++) { xd[d] = 1; yd[d] = 1; }
            int shiftDims = 4 - y.Rank;
            for (int d = 0; d < y.Rank; d++)
            {
                int pb = m.Param(op, 2 * d, 0, 65535, "pad_before[" + d + "]");
                int pa = m.Param(op, 2 * d + 1, 0, 65535, "pad_after[" + d + "]");
                if (x.Dims[d] + pb + pa != y.Dims[d])
                    throw m.OpError(op, ErrorCodes.ShapeMismatch, "dimension " + d + ": " + x.Dims[d] + " + " + pb + " + " + pa + " != output " + y.Dims[d]);
                xd[shiftDims + d] = x.Dims[d];
                yd[shiftDims + d] = y.Dims[d];
                before[shiftDims + d] = pb;
            }
            PadData p = new PadData();
            p.XOffset = x.ArenaOffset;
            p.YOffset = y.ArenaOffset;
            p.YBytes = y.ByteSize;
            p.X0 = xd[0];
            p.X1 = xd[1];
            p.X2 = xd[2];
            p.X3 = xd[3];
            p.Y1 = yd[1];
            p.Y2 = yd[2];
            p.Y3 = yd[3];
            p.Before0 = before[0];
            p.Before1 = before[1];
            p.Before2 = before[2];
            p.Before3 = before[3];
            p.ElementSize = DType.Size(y.DType);
            p.PadValue = y.DType == DType.Int8 ? y.ZeroPoint : 0;
            op.Data = p;
            op.Macs = 0;
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            EvalPad((PadData)op.Data, arena);
        }

        /// <summary>
        /// Pads the 4-d view x[x0][x1][x2][x3] into y[..][y1][y2][y3] at offsets before0..3; elements of
        /// `elementSize` bytes; padding elements are `padValue` (int8) or 0 (int16, whose zero point is 0).
        /// </summary>
        public static void EvalPad(PadData p, sbyte[] a)
        {
            int xOff = p.XOffset, yOff = p.YOffset, yBytes = p.YBytes, x0 = p.X0, x1 = p.X1, x2 = p.X2, x3 = p.X3;
            int y1 = p.Y1, y2 = p.Y2, y3 = p.Y3, before0 = p.Before0, before1 = p.Before1, before2 = p.Before2, before3 = p.Before3;
            int elementSize = p.ElementSize, padValue = p.PadValue;
            if (padValue == 0) Array.Clear(a, yOff, yBytes);
            else
            {
                sbyte v = (sbyte)padValue;
                for (int i = yOff; i < yOff + yBytes; i++) a[i] = v;
            }
            int rowBytes = x3 * elementSize;
            int src = xOff;
            for (int i0 = 0; i0 < x0; i0++)
                for (int i1 = 0; i1 < x1; i1++)
                {
                    int dst = yOff + ((((i0 + before0) * y1 + i1 + before1) * y2 + before2) * y3 + before3) * elementSize;
                    int dstStride = y3 * elementSize;
                    for (int i2 = 0; i2 < x2; i2++)
                    {
                        Array.Copy(a, src, a, dst, rowBytes);
                        src += rowBytes;
                        dst += dstStride;
                    }
                }
        }
    }

    /// <summary>
    /// Prepared state of PAD: x[X0][X1][X2][X3] into y[..][Y1][Y2][Y3] at offsets Before0..3 (rank &lt; 4 is
    /// padded with leading 1s), elements of ElementSize bytes, padding elements PadValue (int8 zero point, or 0).
    /// </summary>
    public sealed class PadData
    {
        public int XOffset, YOffset, YBytes, X0, X1, X2, X3, Y1, Y2, Y3, Before0, Before1, Before2, Before3, ElementSize, PadValue;
    }
}
