namespace Micro.Benchmarks.Portable
{
    /// <summary>
    /// Candidate loops for CONV_1D (channels-last, stride 1, dilation 1). For an output position whose K taps
    /// all fall inside the input, the receptive field x[ox−pad .. ox−pad+K−1][0..Cin−1] is one contiguous run of
    /// K·Cin bytes and so is the weight row w[oc][0..K−1][0..Cin−1]: the conv is an FC dot product of length
    /// K·Cin there, with the zero point folded into the bias. Border positions (pad taps) multiply
    /// (x − x_zp) over the valid taps with the unfolded bias. Copies for measurement only; bit-exact with the
    /// runtime (checked at setup).
    /// </summary>
    public static class Conv1DVariants
    {
        /// <summary>Hoisted + unrolled ×4 dot product per (position, channel).</summary>
        public static void Window(byte[] w, int wOff, int[] biasFolded, int[] biasRaw, int[] mult, int[] shift, sbyte[] a,
            int xOff, int yOff, int inW, int cin, int outW, int cout, int k, int pad, int xZero, int yZero, int actMin, int actMax)
        {
            int row = k * cin, row4 = row & ~3;
            for (int ox = 0; ox < outW; ox++)
            {
                int ix0 = ox - pad;
                int yp = yOff + ox * cout;
                if (ix0 >= 0 && ix0 + k <= inW)
                {
                    int xs = xOff + ix0 * cin;
                    int wp = wOff;
                    for (int oc = 0; oc < cout; oc++)
                    {
                        int acc = biasFolded[oc];
                        int xp = xs, end = wp + row, end4 = wp + row4;
                        while (wp < end4)
                        {
                            acc += a[xp] * (sbyte)w[wp] + a[xp + 1] * (sbyte)w[wp + 1] + a[xp + 2] * (sbyte)w[wp + 2] + a[xp + 3] * (sbyte)w[wp + 3];
                            xp += 4;
                            wp += 4;
                        }
                        while (wp < end) acc += a[xp++] * (sbyte)w[wp++];
                        FcVariants.Store(a, yp + oc, acc, mult[oc], shift[oc], yZero, actMin, actMax);
                    }
                }
                else Border(w, wOff, biasRaw, mult, shift, a, xOff, yp, inW, cin, cout, k, ix0, xZero, yZero, actMin, actMax);
            }
        }

        /// <summary>
        /// Two output channels per long (weights packed at load, FcVariants.PackLong2 over the [Cout][K·Cin] rows):
        /// one 64-bit multiply per input byte gives both channels' MACs. Odd last channel and borders: plain.
        /// </summary>
        public static void Window2Long(long[] wl, byte[] w, int wOff, int[] biasFolded, int[] biasRaw, int[] mult, int[] shift, sbyte[] a,
            int xOff, int yOff, int inW, int cin, int outW, int cout, int k, int pad, int xZero, int yZero, int actMin, int actMax)
        {
            int row = k * cin, row4 = row & ~3;
            for (int ox = 0; ox < outW; ox++)
            {
                int ix0 = ox - pad;
                int yp = yOff + ox * cout;
                if (ix0 >= 0 && ix0 + k <= inW)
                {
                    int xs = xOff + ix0 * cin, xEnd = xs + row, xEnd4 = xs + row4;
                    int wp = 0, oc = 0;
                    for (; oc + 1 < cout; oc += 2)
                    {
                        long acc = 0;
                        int xp = xs;
                        while (xp < xEnd4)
                        {
                            acc += wl[wp] * a[xp] + wl[wp + 1] * a[xp + 1] + wl[wp + 2] * a[xp + 2] + wl[wp + 3] * a[xp + 3];
                            xp += 4;
                            wp += 4;
                        }
                        while (xp < xEnd) acc += wl[wp++] * a[xp++];
                        int lo = (int)acc;
                        int hi = (int)((acc - lo) >> 32);
                        FcVariants.Store(a, yp + oc, biasFolded[oc] + lo, mult[oc], shift[oc], yZero, actMin, actMax);
                        FcVariants.Store(a, yp + oc + 1, biasFolded[oc + 1] + hi, mult[oc + 1], shift[oc + 1], yZero, actMin, actMax);
                    }
                    if (oc < cout) FcVariants.Row(w, wOff, biasFolded, mult, shift, a, xs, yp, row, oc, yZero, actMin, actMax);
                }
                else Border(w, wOff, biasRaw, mult, shift, a, xOff, yp, inW, cin, cout, k, ix0, xZero, yZero, actMin, actMax);
            }
        }

        /// <summary>One output position with some taps in the padding: (x − x_zp) over the valid taps, unfolded bias.</summary>
        public static void Border(byte[] w, int wOff, int[] biasRaw, int[] mult, int[] shift, sbyte[] a, int xOff, int yp,
            int inW, int cin, int cout, int k, int ix0, int xZero, int yZero, int actMin, int actMax)
        {
            int kLo = ix0 < 0 ? -ix0 : 0;
            int kHi = ix0 + k > inW ? inW - ix0 : k;
            int n = (kHi - kLo) * cin;
            int xs = xOff + (ix0 + kLo) * cin;
            int row = k * cin;
            for (int oc = 0; oc < cout; oc++)
            {
                int acc = biasRaw[oc];
                int wp = wOff + oc * row + kLo * cin;
                for (int j = 0; j < n; j++) acc += (a[xs + j] - xZero) * (sbyte)w[wp + j];
                FcVariants.Store(a, yp + oc, acc, mult[oc], shift[oc], yZero, actMin, actMax);
            }
        }
    }
}
