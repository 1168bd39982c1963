namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// Three output positions per 64-bit multiply, for the int8 CONV_1D and CONV_2D, and DEPTHWISE_CONV_2D
    /// with one input channel and a depth multiplier above 1 (then a convolution with Cin = 1 whose weights
    /// are stored [Kh·Kw][Cout]: Dot3Strided).
    ///
    /// Three positions of one output row, ox, ox+1, ox+2, read input windows that are the same shape shifted
    /// by stride·Cin. Their perOc = Kh·Kw·Cin inputs (in weight order j) are gathered once:
    ///   xl[j] = x0[j] + x1[j]·2^21 + x2[j]·2^42
    /// A tap in the padding is gathered as x_zp (Gather3Padded): with the folded bias b_in = bias − x_zp·Σ_all w
    /// its x_zp·w cancels, so acc = bias + Σ_inside (x − x_zp)·w exactly (mod 2^32), as if the tap were skipped.
    /// and every output channel oc then runs over its weight row in chunks J of `chunk` consecutive j:
    ///   s = Σ_{j∈J} xl[j]·w[oc, j] = S0 + S1·2^21 + S2·2^42,   S_i = Σ_{j∈J} x_i[j]·w[oc, j]
    /// one multiply and two array loads for three MACs (the plain loop: three multiplies and six loads).
    /// When every |S_i| ≤ 2^20 − 1, the three come back out exactly: S0 = the low 21 bits sign-extended,
    /// S1 the same of (s − S0)/2^21, S2 = the rest; |S2·2^42| &lt; 2^62, so s itself never wraps.
    ///   acc_i = biasIn[oc] + Σ_J S_i  (int32, wrapping as TFLite's accumulator), then requantized as usual.
    ///
    /// Exactness is proven at load from the actual weights: |x| ≤ 128 gives |S_i| ≤ 128·Σ_{j∈J}|w[oc, j]|,
    /// so it suffices that every chunk of every weight row has Σ|w| ≤ MaxChunkAbsSum = 8191
    /// (128·8191 = 2^20 − 128). Prepare picks the longest chunk in {256, 128, 64} for which this holds
    /// (fewer lane splits per MAC). If none does — a row holding 64 consecutive −128 weights, which
    /// TFLite's symmetric −127..127 weights never have — LaneChunk stays 0 and the op runs the plain
    /// one-position loop everywhere. A row's last two positions run packed too (Dot3 with count 2, the
    /// third lane unused; its window is gathered with Gather3Padded, so it reads nothing outside the input);
    /// a last single one runs the plain loop.
    ///
    /// RAM: one long[perOc] window shared by all ops of the model (LaneWindow; ops run one at a time, so
    /// Interpreters sharing one Model must not Invoke it concurrently).
    /// </summary>
    public static class ConvLanes
    {
        /// <summary>Largest Σ|w| over one chunk of a weight row for which the packed sums are exact.</summary>
        public const int MaxChunkAbsSum = 8191;

        /// <summary>
        /// Start value of a packed sum in Dot3: 2^20 in each of the three 21-bit lanes. Each lane then holds
        /// S_i + 2^20 ∈ [128, 2^21 − 129] (|S_i| ≤ 2^20 − 128), so no lane borrows from the next, the top one
        /// stays below 2^63, and they come out as (s &amp; LaneMask), ((s &gt;&gt; 21) &amp; LaneMask), s &gt;&gt; 42, each
        /// 2^20 too big (taken off the bias once per chunk): three masks and shifts instead of the signed
        /// extraction's sign-extending shift pairs and subtractions.
        /// </summary>
        public const long LaneBias = (1L << 20) + (1L << 41) + (1L << 62);

        /// <summary>One 21-bit lane.</summary>
        public const long LaneMask = (1L << 21) - 1;

        /// <summary>
        /// The longest chunk in {256, 128, 64} for which every chunk of every row has Σ|w| ≤ MaxChunkAbsSum;
        /// 0 when none has (then the packed path must not run). Row r's weight j is w[wOff + r·rowStep + j·elemStep]
        /// (CONV: rowStep = rowLen, elemStep = 1; DEPTHWISE with one input channel: rowStep = 1, elemStep = Cout).
        /// </summary>
        public static int ChooseChunk(byte[] w, int wOff, int rows, int rowLen, int rowStep, int elemStep)
        {
            for (int chunk = 256; chunk >= 64; chunk >>= 1)
                if (ChunksFit(w, wOff, rows, rowLen, rowStep, elemStep, chunk)) return chunk;
            return 0;
        }

        /// <summary>True when every chunk of `chunk` weights (counted from each row's start) has Σ|w| ≤ MaxChunkAbsSum.</summary>
        public static bool ChunksFit(byte[] w, int wOff, int rows, int rowLen, int rowStep, int elemStep, int chunk)
        {
            for (int r = 0; r < rows; r++)
            {
                int p = wOff + r * rowStep;
                int j = 0;
                while (j < rowLen)
                {
                    int end = j + chunk;
                    if (end > rowLen) end = rowLen;
                    int sum = 0;
                    for (; j < end; j++)
                    {
                        int v = (sbyte)w[p];
                        p += elemStep;
                        sum += v < 0 ? -v : v;
                    }
                    if (sum > MaxChunkAbsSum) return false;
                }
            }
            return true;
        }

        /// <summary>
        /// Prepare-time: enables the packed path of an int8 CONV_1D/CONV_2D, or of a DEPTHWISE_CONV_2D with one
        /// input channel (d: its geometry and weights), when output rows have at least three positions and the
        /// weights (rows as in ChooseChunk) pass ChooseChunk; sets d.LaneChunk and d.Lanes (the model's shared
        /// window, grown to perOc). Otherwise leaves LaneChunk 0.
        /// </summary>
        public static void Prepare(PrepareContext m, ConvData d, int cout, int perOc, int rowStep, int elemStep)
        {
            d.LaneChunk = 0;
            if (d.OutW < 3) return;
            int chunk = ChooseChunk(m.Blob, d.WeightsOffset, cout, perOc, rowStep, elemStep);
            if (chunk == 0) return;
            d.LaneChunk = chunk;
            d.Lanes = m.Lanes(perOc);
        }

        /// <summary>
        /// Packs the windows of three positions: xl[j] = x[p + j'] + x[p + posStep + j']·2^21 + x[p + 2·posStep + j']·2^42
        /// for the window's inputs j' in weight order (kh rows tapStepY apart, each `runs` runs of runLen
        /// inputs tapStepX apart), p = xp0.
        /// </summary>
        public static void Gather3(sbyte[] a, int xp0, int posStep, int kh, int tapStepY, int runs, int runLen, int tapStepX, long[] xl)
        {
            int p2 = 2 * posStep;
            int j = 0;
            int xr = xp0;
            for (int ky = 0; ky < kh; ky++)
            {
                int xq = xr;
                for (int r = 0; r < runs; r++)
                {
                    int xi = xq;
                    int end = xi + runLen;
                    while (xi < end)
                    {
                        xl[j++] = a[xi] + ((long)a[xi + posStep] << 21) + ((long)a[xi + p2] << 42);
                        xi++;
                    }
                    xq += tapStepX;
                }
                xr += tapStepY;
            }
        }

        /// <summary>
        /// Gather3 for three positions (output row with input row iy0, first position's input column ix0, then
        /// StrideW apart) whose windows may reach into the padding: a tap outside the input is gathered as x_zp.
        /// Weight order j = (ky·Kw + kx)·Cin + ic. Geometry from d.
        /// </summary>
        public static void Gather3Padded(ConvData d, sbyte[] a, int xb, int iy0, int ix0, long[] xl)
        {
            Gather3Padded(d, a, xb, iy0, ix0, 0, d.InC, xl);
        }

        /// <summary>
        /// Gather3Padded over input channels [ch0, ch0 + chLen) of each tap (a GROUPED_CONV group's window:
        /// weight order j = (ky·Kw + kx)·chLen + i).
        /// </summary>
        public static void Gather3Padded(ConvData d, sbyte[] a, int xb, int iy0, int ix0, int ch0, int chLen, long[] xl)
        {
            int inH = d.InH, inW = d.InW, cin = d.InC, kh = d.Kh, kw = d.Kw, dh = d.DilH, dw = d.DilW, sw = d.StrideW;
            long z = d.XZero;
            long zz = z + (z << 21) + (z << 42);
            int rowStride = inW * cin;
            int posStep = sw * cin;
            int j = 0;
            for (int ky = 0; ky < kh; ky++)
            {
                int iy = iy0 + dh * ky;
                if (iy < 0 || iy >= inH)
                {
                    for (int e = j + kw * chLen; j < e; j++) xl[j] = zz;
                    continue;
                }
                int xr = xb + iy * rowStride + ch0;
                for (int kx = 0; kx < kw; kx++)
                {
                    int i0 = ix0 + dw * kx;
                    bool in0 = i0 >= 0 && i0 < inW, in1 = i0 + sw >= 0 && i0 + sw < inW, in2 = i0 + 2 * sw >= 0 && i0 + 2 * sw < inW;
                    int p = xr + i0 * cin;
                    int end = j + chLen;
                    if (in0 && in1 && in2)
                        for (; j < end; p++) xl[j++] = a[p] + ((long)a[p + posStep] << 21) + ((long)a[p + 2 * posStep] << 42);
                    else
                        for (; j < end; p++)
                            xl[j++] = (in0 ? a[p] : z) + ((in1 ? a[p + posStep] : z) << 21) + ((in2 ? a[p + 2 * posStep] : z) << 42);
                }
            }
        }

        /// <summary>
        /// Output channels [c0, c1) of the gathered positions: writes y at yp + oc, yp + cout + oc and
        /// yp + 2·cout + oc (three consecutive NHWC positions, yp = the first one's channel 0), the first
        /// `count` (1..3) of them (a row's last one or two positions run packed too, their missing lanes
        /// unused). Weights [cout][perOc] from wOff. Requantization is Requant's one-rounding form, written out
        /// with the channel's constants in locals.
        /// </summary>
        public static void Dot3(byte[] w, int wOff, int[] biasIn, int[] mult, int[] shift, long[] xl, int perOc, int chunk, int cout,
            int c0, int c1, sbyte[] a, int yp, int count, int yZero, int actMin, int actMax)
        {
            int oc = c0;
            int y1 = count > 1 ? cout : -1, y2 = count > 2 ? 2 * cout : -1;
            // Four (else two) output channels at a time: each packed input xl[j] is loaded once for all the
            // weight rows (5 array loads per 12 MACs with four rows, 3 per 6 with two). The chunks of all rows
            // start at the same j. The lanes start at LaneBias so that each stays non-negative and comes out
            // with a mask and a shift (see LaneBias); every chunk's 2^20 per lane is taken off the bias.
            int chunkBias = ((perOc + chunk - 1) / chunk) << 20;
            while (oc + 1 < c1)
            {
                int pa = wOff + oc * perOc, pb = pa + perOc;
                int a0 = biasIn[oc] - chunkBias, a1 = a0, a2 = a0;
                int b0 = biasIn[oc + 1] - chunkBias, b1 = b0, b2 = b0;
                int e0 = 0, e1 = 0, e2 = 0, f0 = 0, f1 = 0, f2 = 0;
                int pairs = 1;
                int j = 0;
                if (oc + 3 < c1)
                {
                    pairs = 2;
                    e0 = biasIn[oc + 2] - chunkBias;
                    e1 = e0;
                    e2 = e0;
                    f0 = biasIn[oc + 3] - chunkBias;
                    f1 = f0;
                    f2 = f0;
                    // Row r's weight j is w[j + r·perOc + pa]: one index j for the window and all four rows.
                    int qa = pa, qb = pb, qe = pb + perOc, qf = qe + perOc;
                    while (j < perOc)
                    {
                        int end = j + chunk;
                        if (end > perOc) end = perOc;
                        int end4 = end - ((end - j) & 3);
                        long sa = LaneBias, sb = LaneBias, se = LaneBias, sf = LaneBias;
                        while (j < end4)
                        {
                            long v0 = xl[j], v1 = xl[j + 1], v2 = xl[j + 2], v3 = xl[j + 3];
                            sa += v0 * (sbyte)w[qa] + v1 * (sbyte)w[qa + 1] + v2 * (sbyte)w[qa + 2] + v3 * (sbyte)w[qa + 3];
                            sb += v0 * (sbyte)w[qb] + v1 * (sbyte)w[qb + 1] + v2 * (sbyte)w[qb + 2] + v3 * (sbyte)w[qb + 3];
                            se += v0 * (sbyte)w[qe] + v1 * (sbyte)w[qe + 1] + v2 * (sbyte)w[qe + 2] + v3 * (sbyte)w[qe + 3];
                            sf += v0 * (sbyte)w[qf] + v1 * (sbyte)w[qf + 1] + v2 * (sbyte)w[qf + 2] + v3 * (sbyte)w[qf + 3];
                            j += 4;
                            qa += 4;
                            qb += 4;
                            qe += 4;
                            qf += 4;
                        }
                        while (j < end)
                        {
                            long xv = xl[j++];
                            sa += xv * (sbyte)w[qa++];
                            sb += xv * (sbyte)w[qb++];
                            se += xv * (sbyte)w[qe++];
                            sf += xv * (sbyte)w[qf++];
                        }
                        a0 += (int)(sa & LaneMask);
                        a1 += (int)((sa >> 21) & LaneMask);
                        a2 += (int)(sa >> 42);
                        b0 += (int)(sb & LaneMask);
                        b1 += (int)((sb >> 21) & LaneMask);
                        b2 += (int)(sb >> 42);
                        e0 += (int)(se & LaneMask);
                        e1 += (int)((se >> 21) & LaneMask);
                        e2 += (int)(se >> 42);
                        f0 += (int)(sf & LaneMask);
                        f1 += (int)((sf >> 21) & LaneMask);
                        f2 += (int)(sf >> 42);
                    }
                }
                else
                {
                    while (j < perOc)
                    {
                        int end = j + chunk;
                        if (end > perOc) end = perOc;
                        int end4 = end - ((end - j) & 3);
                        long sa = LaneBias, sb = LaneBias;
                        while (j < end4)
                        {
                            long v0 = xl[j], v1 = xl[j + 1], v2 = xl[j + 2], v3 = xl[j + 3];
                            sa += v0 * (sbyte)w[pa] + v1 * (sbyte)w[pa + 1] + v2 * (sbyte)w[pa + 2] + v3 * (sbyte)w[pa + 3];
                            sb += v0 * (sbyte)w[pb] + v1 * (sbyte)w[pb + 1] + v2 * (sbyte)w[pb + 2] + v3 * (sbyte)w[pb + 3];
                            j += 4;
                            pa += 4;
                            pb += 4;
                        }
                        while (j < end)
                        {
                            long xv = xl[j++];
                            sa += xv * (sbyte)w[pa++];
                            sb += xv * (sbyte)w[pb++];
                        }
                        a0 += (int)(sa & LaneMask);
                        a1 += (int)((sa >> 21) & LaneMask);
                        a2 += (int)(sa >> 42);
                        b0 += (int)(sb & LaneMask);
                        b1 += (int)((sb >> 21) & LaneMask);
                        b2 += (int)(sb >> 42);
                    }
                }
                // Requantize channels oc, oc + 1; with four rows once more for the next pair (e, f moved in).
                while (true)
                {
                    int sh, left, t, v;
                    long m, kp, kn;
                    int ya = yp + oc, yb = ya + 1;
                    // Channel oc: Requant's one-rounding form written out (Store3 without the call).
                    sh = shift[oc];
                    left = sh > 0 ? sh : 0;
                    t = 31 - sh + left;
                    m = mult[oc];
                    kp = 1L << (t - 1);
                    kn = kp;
                    if (sh < 0)
                    {
                        kp += 1L << 30;
                        kn -= 1L << 30;
                    }
                    v = yZero + (int)(((a0 << left) * m + (a0 < 0 ? kn : kp)) >> t);
                    if (v < actMin) v = actMin;
                    if (v > actMax) v = actMax;
                    a[ya] = (sbyte)v;
                    if (y1 >= 0)
                    {
                        v = yZero + (int)(((a1 << left) * m + (a1 < 0 ? kn : kp)) >> t);
                        if (v < actMin) v = actMin;
                        if (v > actMax) v = actMax;
                        a[ya + y1] = (sbyte)v;
                        if (y2 >= 0)
                        {
                            v = yZero + (int)(((a2 << left) * m + (a2 < 0 ? kn : kp)) >> t);
                            if (v < actMin) v = actMin;
                            if (v > actMax) v = actMax;
                            a[ya + y2] = (sbyte)v;
                        }
                    }
                    // Channel oc + 1: the same.
                    sh = shift[oc + 1];
                    left = sh > 0 ? sh : 0;
                    t = 31 - sh + left;
                    m = mult[oc + 1];
                    kp = 1L << (t - 1);
                    kn = kp;
                    if (sh < 0)
                    {
                        kp += 1L << 30;
                        kn -= 1L << 30;
                    }
                    v = yZero + (int)(((b0 << left) * m + (b0 < 0 ? kn : kp)) >> t);
                    if (v < actMin) v = actMin;
                    if (v > actMax) v = actMax;
                    a[yb] = (sbyte)v;
                    if (y1 >= 0)
                    {
                        v = yZero + (int)(((b1 << left) * m + (b1 < 0 ? kn : kp)) >> t);
                        if (v < actMin) v = actMin;
                        if (v > actMax) v = actMax;
                        a[yb + y1] = (sbyte)v;
                        if (y2 >= 0)
                        {
                            v = yZero + (int)(((b2 << left) * m + (b2 < 0 ? kn : kp)) >> t);
                            if (v < actMin) v = actMin;
                            if (v > actMax) v = actMax;
                            a[yb + y2] = (sbyte)v;
                        }
                    }
                    oc += 2;
                    if (--pairs == 0) break;
                    a0 = e0;
                    a1 = e1;
                    a2 = e2;
                    b0 = f0;
                    b1 = f1;
                    b2 = f2;
                }
            }
            if (oc < c1)
            {
                int wp = wOff + oc * perOc;
                int acc0 = biasIn[oc], acc1 = acc0, acc2 = acc0;
                int j = 0;
                while (j < perOc)
                {
                    int end = j + chunk;
                    if (end > perOc) end = perOc;
                    long s = 0;
                    while (j < end) s += xl[j++] * (sbyte)w[wp++];
                    int l0 = (int)((s << 43) >> 43);
                    long rest = (s - l0) >> 21;
                    int l1 = (int)((rest << 43) >> 43);
                    acc0 += l0;
                    acc1 += l1;
                    acc2 += (int)((rest - l1) >> 21);
                }
                Store3(a, yp + oc, y1, y2, acc0, acc1, acc2, mult[oc], shift[oc], yZero, actMin, actMax);
            }
        }

        /// <summary>
        /// Dot3 for weights [perOc][cout] (a DEPTHWISE_CONV_2D with one input channel: output channel oc's
        /// taps are w[wOff + oc + j·cout]), channels [c0, c1), the first `count` positions. Same sums, same
        /// chunks, same outputs.
        /// </summary>
        public static void Dot3Strided(byte[] w, int wOff, int[] biasIn, int[] mult, int[] shift, long[] xl, int perOc, int chunk, int cout,
            int c0, int c1, sbyte[] a, int yp, int count, int yZero, int actMin, int actMax)
        {
            int c2 = 2 * cout, c3 = 3 * cout, c4 = 4 * cout;
            int y1 = count > 1 ? cout : -1, y2 = count > 2 ? c2 : -1;
            for (int oc = c0; oc < c1; oc++)
            {
                int acc0 = biasIn[oc], acc1 = acc0, acc2 = acc0;
                int wp = wOff + oc;
                int j = 0;
                while (j < perOc)
                {
                    int end = j + chunk;
                    if (end > perOc) end = perOc;
                    int end4 = end - ((end - j) & 3);
                    long s = 0;
                    while (j < end4)
                    {
                        s += xl[j] * (sbyte)w[wp] + xl[j + 1] * (sbyte)w[wp + cout] + xl[j + 2] * (sbyte)w[wp + c2] + xl[j + 3] * (sbyte)w[wp + c3];
                        j += 4;
                        wp += c4;
                    }
                    while (j < end)
                    {
                        s += xl[j++] * (sbyte)w[wp];
                        wp += cout;
                    }
                    int l0 = (int)((s << 43) >> 43);
                    long rest = (s - l0) >> 21;
                    int l1 = (int)((rest << 43) >> 43);
                    acc0 += l0;
                    acc1 += l1;
                    acc2 += (int)((rest - l1) >> 21);
                }
                Store3(a, yp + oc, y1, y2, acc0, acc1, acc2, mult[oc], shift[oc], yZero, actMin, actMax);
            }
        }

        /// <summary>
        /// Requantizes one output channel's accumulators of up to three positions and stores them at y,
        /// y + y1 and y + y2 (y1, y2 &lt; 0: that position is not stored):
        /// y = clamp(y_zp + MBQM(acc, m, sh), act_min, act_max), MBQM in Requant's one-rounding form with the
        /// channel's constants computed once for the three. One call per three outputs.
        /// </summary>
        internal static void Store3(sbyte[] a, int y, int y1, int y2, int acc0, int acc1, int acc2, int m, int sh,
            int yZero, int actMin, int actMax)
        {
            int left = sh > 0 ? sh : 0, t = 31 - sh + left;
            long kp = 1L << (t - 1), kn = kp;
            if (sh < 0)
            {
                kp += 1L << 30;
                kn -= 1L << 30;
            }
            long lm = m;
            int v = yZero + (int)(((acc0 << left) * lm + (acc0 < 0 ? kn : kp)) >> t);
            if (v < actMin) v = actMin;
            if (v > actMax) v = actMax;
            a[y] = (sbyte)v;
            if (y1 < 0) return;
            v = yZero + (int)(((acc1 << left) * lm + (acc1 < 0 ? kn : kp)) >> t);
            if (v < actMin) v = actMin;
            if (v > actMax) v = actMax;
            a[y + y1] = (sbyte)v;
            if (y2 < 0) return;
            v = yZero + (int)(((acc2 << left) * lm + (acc2 < 0 ? kn : kp)) >> t);
            if (v < actMin) v = actMin;
            if (v > actMax) v = actMax;
            a[y + y2] = (sbyte)v;
        }
    }
}
