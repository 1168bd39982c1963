namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// AVERAGE_POOL, TFLite int8 semantics (reference_integer_ops::AveragePool): for each output position
    /// and channel, with S the sum of the n window taps inside the input (padding taps are not counted),
    ///   avg = S &gt; 0 ? (S + n/2) / n : (S − n/2) / n   (C division, i.e. rounded half away from zero)
    ///   y = clamp(avg, act_min, act_max).
    /// Zero points cancel (input and output quantization are equal). Geometry and checks: PoolGeometry
    /// (which guarantees n ≥ 1). Macs = output elements × kh × kw.
    /// </summary>
    public static class AveragePool
    {
        public static void Prepare(PrepareContext m, Op op)
        {
            PoolGeometry.Prepare(m, op);
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            PoolData d = (PoolData)op.Data;
            EvalInt8(d, arena, 0, d.Batches * d.OutH * d.OutW, 0, d.Channels);
        }

        /// <summary>Output positions [p0, p1) (p = (b·Ho + oy)·Wo + ox), channels [c0, c1): a slice (OpSlices).</summary>
        public static void EvalBlock(Model m, Op op, sbyte[] arena, int p0, int p1, int c0, int c1)
        {
            EvalInt8((PoolData)op.Data, arena, p0, p1, c0, c1);
        }

        /// <summary>EvalInt8 over the whole output.</summary>
        public static void EvalInt8(PoolData d, sbyte[] a)
        {
            EvalInt8(d, a, 0, d.Batches * d.OutH * d.OutW, 0, d.Channels);
        }

        /// <summary>The int8 kernel over output positions [p0, p1) and channels [c0, c1) (NHWC; a 1D pool is H = 1).</summary>
        public static void EvalInt8(PoolData d, sbyte[] a, int p0, int p1, int c0, int c1)
        {
            int inH = d.InH, inW = d.InW, channels = d.Channels, outH = d.OutH, outW = d.OutW;
            int kh = d.Kh, kw = d.Kw, strideH = d.StrideH, strideW = d.StrideW, padTop = d.PadTop, padLeft = d.PadLeft;
            int actMin = d.ActMin, actMax = d.ActMax, xOff = d.XOffset, yOff = d.YOffset;
            int rowStride = inW * channels;
            int p = p0;
            while (p < p1)
            {
                int row = p / outW;
                int ox = p - row * outW;
                int b = row / outH;
                int oy = row - b * outH;
                int xb = xOff + b * inH * rowStride;
                int iy = oy * strideH - padTop;
                int fy0 = iy < 0 ? -iy : 0;
                int fy1 = inH - iy < kh ? inH - iy : kh;
                int rows = fy1 - fy0;
                // The positions of this output row inside the block.
                int rowEnd = p + (outW - ox) < p1 ? p + (outW - ox) : p1;
                for (; p < rowEnd; p++, ox++)
                {
                    int ix = ox * strideW - padLeft;
                    int fx0 = ix < 0 ? -ix : 0;
                    int fx1 = inW - ix < kw ? inW - ix : kw;
                    int cols = fx1 - fx0;
                    int window = xb + (iy + fy0) * rowStride + (ix + fx0) * channels;
                    int yp = yOff + p * channels + c0;
                    int count = rows * cols;
                    int half = count / 2;
                    for (int c = c0; c < c1; c++)
                    {
                        int acc = 0;
                        int rp = window + c;
                        for (int r = 0; r < rows; r++)
                        {
                            int q = rp;
                            for (int t = 0; t < cols; t++)
                            {
                                acc += a[q];
                                q += channels;
                            }
                            rp += rowStride;
                        }
                        acc = acc > 0 ? (acc + half) / count : (acc - half) / count;
                        if (acc < actMin) acc = actMin;
                        if (acc > actMax) acc = actMax;
                        a[yp++] = (sbyte)acc;
                    }
                }
            }
        }
    }
}
