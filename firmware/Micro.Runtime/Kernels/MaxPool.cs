namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// MAX_POOL, TFLite int8 semantics (reference_integer_ops::MaxPool): for each output position and
    /// channel, y = clamp(max over the window taps that fall inside the input, act_min, act_max); padding
    /// taps are ignored. Geometry and checks: PoolGeometry. Macs = output elements × kh × kw.
    /// </summary>
    public static class MaxPool
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
                        int window = xb + (iy + fy0) * rowStride + (ix + fx0) * channels;
                        for (int c = 0; c < channels; c++)
                        {
                            int max = -128;
                            int rp = window + c;
                            for (int r = 0; r < rows; r++)
                            {
                                int p = rp;
                                for (int q = 0; q < cols; q++)
                                {
                                    int v = a[p];
                                    if (v > max) max = v;
                                    p += channels;
                                }
                                rp += rowStride;
                            }
                            if (max < actMin) max = actMin;
                            if (max > actMax) max = actMax;
                            a[yp++] = (sbyte)max;
                        }
                    }
                }
            }
        }
    }
}
