using System;
using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// STRIDED_SLICE (ONNX Slice, TFLite STRIDED_SLICE / SLICE), rank 1..4, int8 or int16, positive strides:
    ///   y[i0, i1, i2, i3] = x[begin0 + stride0·i0, begin1 + stride1·i1, begin2 + stride2·i2, begin3 + stride3·i3]
    /// Params begin[d], stride[d] for each dim d (2 × rank words; begin ≥ 0, stride ≥ 1); y's dims are the
    /// counts, and Prepare checks begin[d] + stride[d]·(y.dims[d] − 1) &lt; x.dims[d]. Rank &lt; 4 is padded with
    /// leading dims of 1. Input and output quantization are equal (values are copied). The innermost run is
    /// one Array.Copy when its stride is 1. Macs = 0 (data movement).
    /// </summary>
    public static class StridedSlice
    {
        /// <summary>The op record's params, for every writer: begin[d] at 2·d, stride[d] at 2·d + 1.</summary>
        public static int[] Encode(int[] begin, int[] stride)
        {
            int[] p = new int[2 * begin.Length];
            for (int d = 0; d < begin.Length; d++)
            {
                p[2 * d] = begin[d];
                p[2 * d + 1] = stride[d];
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
            StridedSliceData s = new StridedSliceData();
            s.InDims = new int[4];
            s.OutDims = new int[4];
            s.Begin = new int[4];
            s.Stride = new int[4];
            for (int d = 0; d < 4; d++) { s.InDims[d] = 1; s.OutDims[d] = 1; s.Stride[d] = 1; }
            int lead = 4 - y.Rank;
            for (int d = 0; d < y.Rank; d++)
            {
                int b = m.Param(op, 2 * d, 0, x.Dims[d] - 1, "begin[" + d + "]");
                int st = m.Param(op, 2 * d + 1, 1, 65535, "stride[" + d + "]");
                if (b + (long)st * (y.Dims[d] - 1) >= x.Dims[d])
                    throw m.OpError(op, ErrorCodes.ShapeMismatch, "dimension " + d + ": " + y.Dims[d] + " elements from " + b + " by " + st + " pass the input's " + x.Dims[d]);
                s.InDims[lead + d] = x.Dims[d];
                s.OutDims[lead + d] = y.Dims[d];
                s.Begin[lead + d] = b;
                s.Stride[lead + d] = st;
            }
            s.ElementSize = DType.Size(y.DType);
            s.XOffset = x.ArenaOffset;
            s.YOffset = y.ArenaOffset;
            op.Data = s;
            op.Macs = 0;
        }

        public static void Eval(Model m, Op op, sbyte[] a)
        {
            StridedSliceData s = (StridedSliceData)op.Data;
            int[] xd = s.InDims, yd = s.OutDims, b = s.Begin, st = s.Stride;
            int es = s.ElementSize;
            // Element strides of x.
            int x3 = es, x2 = x3 * xd[3], x1 = x2 * xd[2], x0 = x1 * xd[1];
            int dst = s.YOffset;
            int n3 = yd[3], step3 = st[3] * x3, run = n3 * es;
            for (int i0 = 0; i0 < yd[0]; i0++)
            {
                int p0 = s.XOffset + (b[0] + st[0] * i0) * x0;
                for (int i1 = 0; i1 < yd[1]; i1++)
                {
                    int p1 = p0 + (b[1] + st[1] * i1) * x1;
                    for (int i2 = 0; i2 < yd[2]; i2++)
                    {
                        int p = p1 + (b[2] + st[2] * i2) * x2 + b[3] * x3;
                        if (st[3] == 1)
                        {
                            Array.Copy(a, p, a, dst, run);
                            dst += run;
                            continue;
                        }
                        if (es == 1)
                        {
                            for (int i3 = 0; i3 < n3; i3++)
                            {
                                a[dst++] = a[p];
                                p += step3;
                            }
                            continue;
                        }
                        for (int i3 = 0; i3 < n3; i3++)
                        {
                            a[dst++] = a[p];
                            a[dst++] = a[p + 1];
                            p += step3;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Prepared state of STRIDED_SLICE: the 4-d views' dims, begin and stride per dim, element size, offsets.</summary>
    public sealed class StridedSliceData
    {
        public int[] InDims, OutDims, Begin, Stride;
        public int ElementSize, XOffset, YOffset;
    }
}
