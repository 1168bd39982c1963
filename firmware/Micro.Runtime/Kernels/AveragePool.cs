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
            EvalInt8((PoolData)op.Data, arena);
        }

        /// <summary>The int8 kernel over the arena (NHWC; a 1D pool is H = 1).</summary>
        public static void EvalInt8(PoolData d, sbyte[] a)
        {
            int batches = d.Batches, inH = d.InH, inW = d.InW, channels = d.Channels, outH = d.OutH, outW = d.OutW;
            int kh = d.Kh, kw = d.Kw, strideH = d.StrideH, strideW = d.StrideW, padTop = d.PadTop, padLeft = d.PadLeft;
            int actMin = d.ActMin, actMax = d.ActMax, xOff = d.XOffset, yOff = d.YOffset;
            int rowStride = inW * channels;
            int yp = yOff;
            for (int b = 0; b < batches; b++)
            {
                int xb = xOff + b * inH * rowStride;
                for (int oy = 0; oy < outH; oy++)
                {
                    int iy = oy * strideH - padTop;
                    int fy0 = iy < 0 ? -iy : 0;
                    int fy1 = inH - iy < kh ? inH - iy : kh;
                    int rows = fy1 - fy0;
                    for (int ox = 0; ox < outW; ox++)
                    {
                        int ix = ox * strideW - padLeft;
                        int fx0 = ix < 0 ? -ix : 0;
                        int fx1 = inW - ix < kw ? inW - ix : kw;
                        int cols = fx1 - fx0;
                        int count = rows * cols;
                        int half = count / 2;
                        int window = xb + (iy + fy0) * rowStride + (ix + fx0) * channels;
                        for (int c = 0; c < channels; c++)
                        {
                            int acc = 0;
                            int rp = window + c;
                            for (int r = 0; r < rows; r++)
                            {
                                int p = rp;
                                for (int q = 0; q < cols; q++)
                                {
                                    acc += a[p];
                                    p += channels;
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
}
