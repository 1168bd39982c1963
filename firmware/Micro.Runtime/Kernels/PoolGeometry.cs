using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// Shared Prepare checks of MAX_POOL and AVERAGE_POOL (params: 0 kh, 1 kw, 2 stride_h, 3 stride_w,
    /// 4 pad_top, 5 pad_left, 6 act_min, 7 act_max). Input and output are int8 NHWC (rank 4) or NWC
    /// (rank 3, then kh = 1, stride_h = 1, pad_top = 0) with equal batch, channels and quantization.
    ///
    /// Output size along an axis of input size n, window k, stride s, leading padding p (0 ≤ p &lt; k):
    /// the trailing padding is whatever the last window needs, q = max(0, (o − 1)·s + k − n − p); it must
    /// be &lt; k, and o must equal (n + p + q − k) / s + 1, i.e. no stride-worth of input is left unused
    /// (TFLite's VALID and SAME sizes both satisfy this). Then the first and last windows overlap the
    /// input, so every window has at least one valid tap and AVERAGE_POOL never divides by zero.
    ///
    /// Prepared state: PoolData.
    /// </summary>
    public static class PoolGeometry
    {
        public const int PKh = 0, PKw = 1, PStrideH = 2, PStrideW = 3, PPadTop = 4, PPadLeft = 5, PActMin = 6, PActMax = 7, ParamCount = 8;


        /// <summary>The op record's params, for every writer (the blob writers call this; Prepare reads the same P* indices). Used by MAX_POOL and AVERAGE_POOL (a 1-D pool: kh = 1, stride_h = 1, pad_top = 0).</summary>
        public static int[] Encode(int kh, int kw, int strideH, int strideW, int padTop, int padLeft, int actMin, int actMax)
        {
            int[] p = new int[ParamCount];
            p[PKh] = kh;
            p[PKw] = kw;
            p[PStrideH] = strideH;
            p[PStrideW] = strideW;
            p[PPadTop] = padTop;
            p[PPadLeft] = padLeft;
            p[PActMin] = actMin;
            p[PActMax] = actMax;
            return p;
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 1, ParamCount);
            Tensor x = m.In(op, 0), y = m.Out(op);
            if (x.DType != DType.Int8 || y.DType != DType.Int8)
                throw m.OpError(op, ErrorCodes.BadDType, "needs int8 input and output, has " + DType.Name(x.DType) + " → " + DType.Name(y.DType));
            if ((x.Rank != 3 && x.Rank != 4) || y.Rank != x.Rank)
                throw m.OpError(op, ErrorCodes.ShapeMismatch, "needs rank-3 NWC or rank-4 NHWC input and output of equal rank, has " + x.Rank + " → " + y.Rank);
            if (x.Batch != y.Batch || x.Channels != y.Channels)
                throw m.OpError(op, ErrorCodes.ShapeMismatch, "batch and channels must match (" + x.Batch + "x" + x.Channels + " → " + y.Batch + "x" + y.Channels + ")");
            if (x.ZeroPoint != y.ZeroPoint || x.ScaleBits != y.ScaleBits)
                throw m.OpError(op, ErrorCodes.BadOpParams, "input and output quantization must be equal");
            int kh = m.Param(op, PKh, 1, 65535, "kh");
            int kw = m.Param(op, PKw, 1, 65535, "kw");
            int sh = m.Param(op, PStrideH, 1, 65535, "stride_h");
            int sw = m.Param(op, PStrideW, 1, 65535, "stride_w");
            int pt = m.Param(op, PPadTop, 0, kh - 1, "pad_top");
            int pl = m.Param(op, PPadLeft, 0, kw - 1, "pad_left");
            if (x.Rank == 3 && (kh != 1 || sh != 1 || pt != 0))
                throw m.OpError(op, ErrorCodes.BadOpParams, "a rank-3 (1D) pool needs kh = 1, stride_h = 1, pad_top = 0");
            m.CheckActivationRange(op, PActMin);
            CheckAxis(m, op, x.Height, kh, sh, pt, y.Height, "height");
            CheckAxis(m, op, x.Width, kw, sw, pl, y.Width, "width");
            PoolData d = new PoolData();
            d.XOffset = x.ArenaOffset;
            d.YOffset = y.ArenaOffset;
            d.Batches = x.Batch;
            d.InH = x.Height;
            d.InW = x.Width;
            d.Channels = x.Channels;
            d.OutH = y.Height;
            d.OutW = y.Width;
            d.Kh = kh;
            d.Kw = kw;
            d.StrideH = sh;
            d.StrideW = sw;
            d.PadTop = pt;
            d.PadLeft = pl;
            d.ActMin = op.Params[PActMin];
            d.ActMax = op.Params[PActMax];
            op.Data = d;
            op.Macs = (long)y.ElementCount * kh * kw;
            OpSlices.Set(op, y.ElementCount, (long)kh * kw, OpSlices.PoolTap, OpSlices.PerOutput);
        }

        /// <summary>True when o outputs are consistent with input n, window k, stride s, leading pad p.</summary>
        public static bool AxisValid(int n, int k, int s, int p, int o)
        {
            if (o < 1 || p < 0 || p >= k) return false;
            long q = (long)(o - 1) * s + k - n - p;
            if (q < 0) q = 0;
            if (q > k - 1) return false;
            return (n + p + q - k) / s + 1 == o;
        }

        private static void CheckAxis(PrepareContext m, Op op, int n, int k, int s, int p, int o, string axis)
        {
            if (!AxisValid(n, k, s, p, o))
                throw m.OpError(op, ErrorCodes.ShapeMismatch, "output " + axis + " " + o + " does not follow from input " + n
                    + ", window " + k + ", stride " + s + ", padding " + p);
        }
    }
}
