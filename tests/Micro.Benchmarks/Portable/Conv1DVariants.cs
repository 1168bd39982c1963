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

        /// <summary>
        /// Two output POSITIONS per long, weights read in place: for a pair of interior positions (ox, ox+1) the
        /// K·Cin window is gathered once into xl[j] = x[ox][j] + x[ox+1][j]·2^32 (scratch of K·Cin longs, 640 B
        /// for k5 × 16 channels), then every output channel does one 64-bit multiply per weight byte for both
        /// positions. No packed weight copy: RAM cost is the window only.
        /// </summary>
        public static void Pos2Long(long[] xl, byte[] w, int wOff, int[] biasFolded, int[] biasRaw, int[] mult, int[] shift, sbyte[] a,
            int xOff, int yOff, int inW, int cin, int outW, int cout, int k, int pad, int xZero, int yZero, int actMin, int actMax)
        {
            int row = k * cin, row4 = row & ~3;
            int ox = 0;
            while (ox < outW)
            {
                int ix0 = ox - pad;
                int yp = yOff + ox * cout;
                if (ix0 >= 0 && ix0 + 1 + k <= inW && ox + 1 < outW)
                {
                    int xs = xOff + ix0 * cin;
                    for (int j = 0; j < row; j++) xl[j] = a[xs + j] + ((long)a[xs + cin + j] << 32);
                    int wp = wOff;
                    for (int oc = 0; oc < cout; oc++)
                    {
                        long acc = 0;
                        int j = 0;
                        while (j < row4)
                        {
                            acc += xl[j] * (sbyte)w[wp] + xl[j + 1] * (sbyte)w[wp + 1] + xl[j + 2] * (sbyte)w[wp + 2] + xl[j + 3] * (sbyte)w[wp + 3];
                            j += 4;
                            wp += 4;
                        }
                        while (j < row) acc += xl[j++] * (sbyte)w[wp++];
                        int lo = (int)acc;
                        int hi = (int)((acc - lo) >> 32);
                        int bias = biasFolded[oc];
                        FcVariants.Store(a, yp + oc, bias + lo, mult[oc], shift[oc], yZero, actMin, actMax);
                        FcVariants.Store(a, yp + cout + oc, bias + hi, mult[oc], shift[oc], yZero, actMin, actMax);
                    }
                    ox += 2;
                }
                else
                {
                    if (ix0 >= 0 && ix0 + k <= inW)
                    {
                        int xs = xOff + ix0 * cin;
                        for (int oc = 0; oc < cout; oc++)
                            FcVariants.Row(w, wOff, biasFolded, mult, shift, a, xs, yp, row, oc, yZero, actMin, actMax);
                    }
                    else Border(w, wOff, biasRaw, mult, shift, a, xOff, yp, inW, cin, cout, k, ix0, xZero, yZero, actMin, actMax);
                    ox++;
                }
            }
        }

        /// <summary>
        /// Three output positions per long in 21-bit lanes (x0 + x1·2^21 + x2·2^42), lanes split out every 32
        /// products (±2^20 per lane). Weights in place; scratch K·Cin longs.
        /// </summary>
        public static void Pos3Long(long[] xl, byte[] w, int wOff, int[] biasFolded, int[] biasRaw, int[] mult, int[] shift, sbyte[] a,
            int xOff, int yOff, int inW, int cin, int outW, int cout, int k, int pad, int xZero, int yZero, int actMin, int actMax)
        {
            int row = k * cin;
            int ox = 0;
            while (ox < outW)
            {
                int ix0 = ox - pad;
                int yp = yOff + ox * cout;
                if (ix0 >= 0 && ix0 + 2 + k <= inW && ox + 2 < outW)
                {
                    int xs = xOff + ix0 * cin;
                    for (int j = 0; j < row; j++)
                        xl[j] = a[xs + j] + ((long)a[xs + cin + j] << 21) + ((long)a[xs + 2 * cin + j] << 42);
                    int wp = wOff;
                    for (int oc = 0; oc < cout; oc++)
                    {
                        int acc0 = biasFolded[oc], acc1 = acc0, acc2 = acc0;
                        int j = 0;
                        while (j < row)
                        {
                            int end = j + 32;
                            if (end > row) end = row;
                            int end4 = j + ((end - j) & ~3);
                            long acc = 0;
                            while (j < end4)
                            {
                                acc += xl[j] * (sbyte)w[wp] + xl[j + 1] * (sbyte)w[wp + 1] + xl[j + 2] * (sbyte)w[wp + 2] + xl[j + 3] * (sbyte)w[wp + 3];
                                j += 4;
                                wp += 4;
                            }
                            while (j < end) acc += xl[j++] * (sbyte)w[wp++];
                            int l0 = (int)((acc << 43) >> 43);
                            long rest = (acc - l0) >> 21;
                            int l1 = (int)((rest << 43) >> 43);
                            acc0 += l0;
                            acc1 += l1;
                            acc2 += (int)((rest - l1) >> 21);
                        }
                        FcVariants.Store(a, yp + oc, acc0, mult[oc], shift[oc], yZero, actMin, actMax);
                        FcVariants.Store(a, yp + cout + oc, acc1, mult[oc], shift[oc], yZero, actMin, actMax);
                        FcVariants.Store(a, yp + 2 * cout + oc, acc2, mult[oc], shift[oc], yZero, actMin, actMax);
                    }
                    ox += 3;
                }
                else
                {
                    if (ix0 >= 0 && ix0 + k <= inW)
                    {
                        int xs = xOff + ix0 * cin;
                        for (int oc = 0; oc < cout; oc++)
                            FcVariants.Row(w, wOff, biasFolded, mult, shift, a, xs, yp, row, oc, yZero, actMin, actMax);
                    }
                    else Border(w, wOff, biasRaw, mult, shift, a, xOff, yp, inW, cin, cout, k, ix0, xZero, yZero, actMin, actMax);
                    ox++;
                }
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
