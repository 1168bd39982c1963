using Micro.Runtime.Kernels;

namespace Micro.Benchmarks.Portable
{
    /// <summary>
    /// Candidate loops for DEPTHWISE_CONV_2D with a 3×3 kernel, stride 1, dilation 1, depth multiplier 1
    /// (the MobileNet / DS-CNN case). A depthwise output has only 9 MACs, so per-output costs (the tap loops,
    /// the requantization calls) weigh as much as the MACs. Interior positions: the 9 taps written out, zero
    /// point folded into the bias. Border positions: (x − x_zp) over the inside taps, true bias. Bit-exact
    /// with the runtime (checked at setup).
    /// </summary>
    public static class DepthwiseVariants
    {
        /// <summary>9 taps unrolled; requantization by FcVariants.Store (calls, as the runtime).</summary>
        public static void Taps9(byte[] w, int wOff, int[] biasIn, int[] biasRaw, int[] mult, int[] shift, sbyte[] a,
            int xOff, int yOff, int inH, int inW, int c, int pt, int pl, int xZero, int yZero, int actMin, int actMax, bool inline)
        {
            int r = inW * c, c2 = 2 * c, r2 = 2 * r;
            int w3 = 3 * c, w4 = 4 * c, w5 = 5 * c, w6 = 6 * c, w7 = 7 * c, w8 = 8 * c;
            int yp = yOff;
            for (int oy = 0; oy < inH; oy++)
            {
                int iy0 = oy - pt;
                bool rowInside = iy0 >= 0 && iy0 + 3 <= inH;
                for (int ox = 0; ox < inW; ox++)
                {
                    int ix0 = ox - pl;
                    if (rowInside && ix0 >= 0 && ix0 + 3 <= inW)
                    {
                        int xi = xOff + iy0 * r + ix0 * c;
                        int wi = wOff;
                        for (int ch = 0; ch < c; ch++)
                        {
                            int acc = biasIn[ch]
                                + a[xi] * (sbyte)w[wi] + a[xi + c] * (sbyte)w[wi + c] + a[xi + c2] * (sbyte)w[wi + c2]
                                + a[xi + r] * (sbyte)w[wi + w3] + a[xi + r + c] * (sbyte)w[wi + w4] + a[xi + r + c2] * (sbyte)w[wi + w5]
                                + a[xi + r2] * (sbyte)w[wi + w6] + a[xi + r2 + c] * (sbyte)w[wi + w7] + a[xi + r2 + c2] * (sbyte)w[wi + w8];
                            if (inline) a[yp++] = Requant(acc, mult[ch], shift[ch], yZero, actMin, actMax);
                            else FcVariants.Store(a, yp++, acc, mult[ch], shift[ch], yZero, actMin, actMax);
                            xi++;
                            wi++;
                        }
                    }
                    else
                    {
                        int ky0 = iy0 < 0 ? -iy0 : 0, ky1 = iy0 + 3 > inH ? inH - iy0 : 3;
                        int kx0 = ix0 < 0 ? -ix0 : 0, kx1 = ix0 + 3 > inW ? inW - ix0 : 3;
                        for (int ch = 0; ch < c; ch++)
                        {
                            int acc = biasRaw[ch];
                            for (int ky = ky0; ky < ky1; ky++)
                                for (int kx = kx0; kx < kx1; kx++)
                                    acc += (a[xOff + (iy0 + ky) * r + (ix0 + kx) * c + ch] - xZero) * (sbyte)w[wOff + (ky * 3 + kx) * c + ch];
                            FcVariants.Store(a, yp++, acc, mult[ch], shift[ch], yZero, actMin, actMax);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// FixedPoint.MultiplyByQuantizedMultiplier + clamp written out in one method (one call instead of three
        /// per output; the device has no inlining, ~27 ns per static call).
        /// </summary>
        public static sbyte Requant(int acc, int m, int s, int yZero, int actMin, int actMax)
        {
            int left = s > 0 ? s : 0, right = s > 0 ? 0 : -s;
            int x = unchecked(acc * (1 << left));
            int high;
            if (x == m && x == int.MinValue) high = int.MaxValue;
            else
            {
                long ab = (long)x * m;
                high = (int)((ab + (ab >= 0 ? (1L << 30) : (1L - (1L << 30)))) / (1L << 31));
            }
            int mask = (int)((1L << right) - 1);
            int v = (high >> right) + ((high & mask) > (mask >> 1) + (high < 0 ? 1 : 0) ? 1 : 0) + yZero;
            if (v < actMin) v = actMin;
            if (v > actMax) v = actMax;
            return (sbyte)v;
        }
    }
}
