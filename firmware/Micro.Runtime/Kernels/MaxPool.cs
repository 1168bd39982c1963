namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// MAX_POOL, TFLite int8 semantics (reference_integer_ops::MaxPool): for each output position and
    /// channel, y = clamp(max over the window taps that fall inside the input, act_min, act_max); padding
    /// taps are ignored. Geometry and checks: PoolGeometry. Macs = output elements × kh × kw.
    /// </summary>
    public static class MaxPool
    {
        public static void Prepare(Model m, Op op)
        {
            PoolGeometry.Prepare(m, op);
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            Tensor x = m.Tensors[op.Inputs[0]], y = m.Tensors[op.Outputs[0]];
            int[] g = op.Aux;
            EvalInt8(arena, x.ArenaOffset, y.ArenaOffset, g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11],
                op.Params[PoolGeometry.PActMin], op.Params[PoolGeometry.PActMax]);
        }

        /// <summary>The int8 kernel over the arena (NHWC; a 1D pool is H = 1).</summary>
        public static void EvalInt8(sbyte[] a, int xOff, int yOff, int batches, int inH, int inW, int channels, int outH, int outW,
            int kh, int kw, int strideH, int strideW, int padTop, int padLeft, int actMin, int actMax)
        {
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
