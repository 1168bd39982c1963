using System;
using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// PAD (constant), rank 1..4, int8 or int16: params are pad_before[d], pad_after[d] for each dim d
    /// (2 × rank words, each ≥ 0), y.dims[d] = x.dims[d] + pad_before[d] + pad_after[d]. Padding holds
    /// the output zero point (TFLite's PAD without constant_values); input and output quantization are
    /// equal. Eval fills the output with the pad value, then copies each innermost input row into place.
    /// Aux: the 4-d view [x0, x1, x2, x3, y1, y2, y3, before0..before3, element size]. Macs = 0.
    /// </summary>
    public static class Pad
    {
        public static void Prepare(Model m, Op op)
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
            op.Aux = new int[] { xd[0], xd[1], xd[2], xd[3], yd[1], yd[2], yd[3], before[0], before[1], before[2], before[3], DType.Size(y.DType) };
            op.Macs = 0;
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            Tensor x = m.Tensors[op.Inputs[0]], y = m.Tensors[op.Outputs[0]];
            int[] g = op.Aux;
            EvalPad(arena, x.ArenaOffset, y.ArenaOffset, y.ByteSize, g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11],
                y.DType == DType.Int8 ? y.ZeroPoint : 0);
        }

        /// <summary>
        /// Pads the 4-d view x[x0][x1][x2][x3] into y[..][y1][y2][y3] at offsets before0..3; elements of
        /// `elementSize` bytes; padding elements are `padValue` (int8) or 0 (int16, whose zero point is 0).
        /// </summary>
        public static void EvalPad(sbyte[] a, int xOff, int yOff, int yBytes, int x0, int x1, int x2, int x3, int y1, int y2, int y3,
            int before0, int before1, int before2, int before3, int elementSize, int padValue)
        {
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
}
