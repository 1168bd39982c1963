using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// CONV_2D, TFLite int8 semantics (reference_integer_ops::ConvPerChannel). For batch b, output
    /// (oy, ox) and output channel oc:
    ///   acc = bias[oc] + Σ_{ky,kx,ic, tap inside} (x[b, oy·sh − pad_top + dh·ky, ox·sw − pad_left + dw·kx, ic] − x_zp)
    ///                                              · w[oc, ky, kx, ic]
    ///   y[b, oy, ox, oc] = clamp(y_zp + MultiplyByQuantizedMultiplier(acc, mult[oc], shift[oc]), act_min, act_max)
    /// Taps in the padding are skipped. Interior positions use the folded bias and raw inputs; border
    /// positions the true bias and (x − x_zp) over the inside taps (see ConvGeometry: exact either way).
    /// Int16 activations (16×8): x_zp = y_zp = 0, int64 bias and accumulator, 64-bit requantization.
    /// Weights int8 [Cout][Kh][Kw][Cin], read in place; prepared state ConvData.
    /// Int8 positions go three at a time through one 64-bit multiply per weight (ConvLanes; border ones
    /// with padded taps read as x_zp) when Prepare proved that exact for these weights; a row's last two
    /// positions the same way, a last single one through the plain loop. Requantization is written out
    /// inline in Requant's one-rounding form.
    /// </summary>
    public static class Conv2D
    {
        public const int PWeights = ConvGeometry.PWeights, PBias = ConvGeometry.PBias, PMult = ConvGeometry.PMult, PShift = ConvGeometry.PShift,
            PQCount = ConvGeometry.PQCount, PActMin = ConvGeometry.PActMin, PActMax = ConvGeometry.PActMax, PFlags = ConvGeometry.PFlags;
        public const int PKh = 8, PKw = 9, PStrideH = 10, PStrideW = 11, PDilH = 12, PDilW = 13, PPadTop = 14, PPadLeft = 15, ParamCount = 16;


        /// <summary>The op record's params, for every writer (the blob writers call this; Prepare reads the same P* indices). Offsets are relative to the constant data.</summary>
        public static int[] Encode(int weightsOffset, int biasOffset, int multOffset, int shiftOffset, int qCount, int actMin, int actMax, int flags,
            int kh, int kw, int strideH, int strideW, int dilationH, int dilationW, int padTop, int padLeft)
        {
            int[] p = ConvGeometry.EncodeQuantized(ParamCount, weightsOffset, biasOffset, multOffset, shiftOffset, qCount, actMin, actMax, flags);
            EncodeGeometry(p, kh, kw, strideH, strideW, dilationH, dilationW, padTop, padLeft);
            return p;
        }

        /// <summary>The 2D geometry slots (PKh..PPadLeft), shared with DepthwiseConv2D's layout.</summary>
        internal static void EncodeGeometry(int[] p, int kh, int kw, int strideH, int strideW, int dilationH, int dilationW, int padTop, int padLeft)
        {
            p[PKh] = kh;
            p[PKw] = kw;
            p[PStrideH] = strideH;
            p[PStrideW] = strideW;
            p[PDilH] = dilationH;
            p[PDilW] = dilationW;
            p[PPadTop] = padTop;
            p[PPadLeft] = padLeft;
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 1, ParamCount);
            Tensor x = m.In(op, 0), y = m.Out(op);
            if (x.DType != y.DType) throw m.OpError(op, ErrorCodes.BadDType, "input " + DType.Name(x.DType) + " and output " + DType.Name(y.DType) + " differ");
            ConvGeometry.CheckIo(m, op, x, y, 4);
            int kh = m.Param(op, PKh, 1, ConvGeometry.MaxExtent, "kh");
            int kw = m.Param(op, PKw, 1, ConvGeometry.MaxExtent, "kw");
            int sh = m.Param(op, PStrideH, 1, ConvGeometry.MaxExtent, "stride_h");
            int sw = m.Param(op, PStrideW, 1, ConvGeometry.MaxExtent, "stride_w");
            int dh = m.Param(op, PDilH, 1, ConvGeometry.MaxExtent, "dilation_h");
            int dw = m.Param(op, PDilW, 1, ConvGeometry.MaxExtent, "dilation_w");
            int pt = m.Param(op, PPadTop, 0, ConvGeometry.MaxExtent, "pad_top");
            int pl = m.Param(op, PPadLeft, 0, ConvGeometry.MaxExtent, "pad_left");
            ConvGeometry.CheckAxis(m, op, "height", x.Height, kh, sh, dh, pt, y.Height);
            ConvGeometry.CheckAxis(m, op, "width", x.Width, kw, sw, dw, pl, y.Width);
            int cin = x.Channels, cout = y.Channels;
            bool int16 = x.DType == DType.Int16;
            bool folded = ConvGeometry.ReadFlags(m, op, int16);
            long perOc = ConvGeometry.Product(m, op, kh, kw, cin, 1, "kernel size");
            ConvData data = ConvData.Geometry(x.Batch, x.Height, x.Width, cin, y.Height, y.Width, cout, kh, kw, sh, sw, dh, dw, pt, pl, 1);
            data.WeightsOffset = m.ConstRef(op, PWeights, ConvGeometry.Product(m, op, kh, kw, cin, cout, "weights size"), 1, "weights");
            ConvGeometry.PrepareIo(m, op, data, x, y);
            ConvGeometry.PrepareDenseBias(m, op, data, int16, folded, cout, (int)perOc);
            if (!int16) ConvLanes.Prepare(m, data, cout, (int)perOc, (int)perOc, 1);
            op.Data = data;
            op.Macs = (long)y.ElementCount * perOc;
            data.SliceGroup = data.LaneChunk != 0 ? 3 : 1;
            OpSlices.SetGrouped(op, x.Batch * y.Height, y.Width, cout, data.SliceGroup, perOc, int16 ? OpSlices.Int16Mac : data.LaneChunk != 0 ? OpSlices.ConvMac : OpSlices.PlainMac);
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            ConvData d = (ConvData)op.Data;
            if (d.Bias64 != null) EvalInt16(d, m.Blob, arena);
            else EvalInt8(d, m.Blob, arena);
        }

        /// <summary>Position groups [g0, g1) (OpSlices.SetGrouped; positions p = (b·Ho + oy)·Wo + ox), channels [c0, c1): a slice.</summary>
        public static void EvalBlock(Model m, Op op, sbyte[] arena, int g0, int g1, int c0, int c1)
        {
            ConvData d = (ConvData)op.Data;
            int p0 = OpSlices.GroupStart(g0, d.OutW, d.SliceGroup), p1 = OpSlices.GroupStart(g1, d.OutW, d.SliceGroup);
            if (d.Bias64 != null) EvalInt16(d, m.Blob, arena, p0, p1, c0, c1);
            else EvalInt8(d, m.Blob, arena, p0, p1, c0, c1);
        }

        /// <summary>EvalInt8 over the whole output.</summary>
        public static void EvalInt8(ConvData d, byte[] w, sbyte[] a)
        {
            EvalInt8(d, w, a, 0, d.Batches * d.OutH * d.OutW, 0, d.OutC);
        }

        /// <summary>
        /// The int8 kernel. c.BiasInterior is the folded bias (interior positions), c.BiasBorder the true bias
        /// (positions with a tap in the padding); ConvGeometry.SplitBias makes both. The packed path runs when
        /// c.LaneChunk ≠ 0 (ConvLanes), on three positions of one row inside the block. Output positions
        /// [p0, p1), channels [c0, c1).
        /// </summary>
        public static void EvalInt8(ConvData c, byte[] w, sbyte[] a, int p0, int p1, int c0, int c1)
        {
            int inH = c.InH, inW = c.InW, cin = c.InC;
            int outH = c.OutH, outW = c.OutW, cout = c.OutC;
            int kh = c.Kh, kw = c.Kw, sh = c.StrideH, sw = c.StrideW;
            int dh = c.DilH, dw = c.DilW, pt = c.PadTop, pl = c.PadLeft;
            int yLo = c.InteriorYLo, yHi = c.InteriorYHi;
            int xLo = c.InteriorXLo, xHi = c.InteriorXHi;
            int wOff = c.WeightsOffset, xOff = c.XOffset, yOff = c.YOffset;
            int[] biasIn = c.BiasInterior, biasBorder = c.BiasBorder, mult = c.Multiplier, shift = c.Shift;
            int xZero = c.XZero, yZero = c.YZero, actMin = c.ActMin, actMax = c.ActMax;
            long[] lanes = c.Lanes == null ? null : c.Lanes.Values;

            int rowStride = inW * cin;
            int tapStepY = dh * rowStride;
            int tapStepX = dw * cin;
            int perOc = kh * kw * cin;
            // With dw = 1 a kernel row is one contiguous run of kw·cin inputs and weights.
            int runLen = dw == 1 ? kw * cin : cin;
            int runs = dw == 1 ? 1 : kw;
            int run4 = runLen & ~3;
            // Packed path (ConvLanes): three interior positions per 64-bit multiply, when Prepare proved it exact.
            int chunk = lanes == null ? 0 : c.LaneChunk;
            int posStep = sw * cin;
            int p = p0;
            while (p < p1)
            {
                int row = p / outW;
                int ox = p - row * outW;
                int b = row / outH;
                int oy = row - b * outH;
                int xb = xOff + b * inH * rowStride;
                int iy0 = oy * sh - pt;
                bool rowInside = oy >= yLo && oy < yHi;
                // The positions of this output row inside the block: [ox, oxEnd).
                int oxEnd = ox + (p1 - p) < outW ? ox + (p1 - p) : outW;
                int yRow = yOff + row * outW * cout;
                while (ox < oxEnd)
                {
                    if (chunk != 0 && ox + 2 <= oxEnd)
                    {
                        // Three positions per 64-bit multiply (ConvLanes); padded taps read as x_zp. A row's last
                        // two positions go the same way (the third lane unused).
                        int n = oxEnd - ox < 3 ? 2 : 3;
                        if (n == 3 && rowInside && ox >= xLo && ox + 3 <= xHi)
                            ConvLanes.Gather3(a, xb + iy0 * rowStride + (ox * sw - pl) * cin, posStep, kh, tapStepY, runs, runLen, tapStepX, lanes);
                        else ConvLanes.Gather3Padded(c, a, xb, iy0, ox * sw - pl, lanes);
                        ConvLanes.Dot3(w, wOff, biasIn, mult, shift, lanes, perOc, chunk, cout, c0, c1, a, yRow + ox * cout, n, yZero, actMin, actMax);
                        ox += n;
                        continue;
                    }
                    if (rowInside && ox >= xLo && ox < xHi)
                    {
                        // Interior run of positions: every tap inside, raw inputs, folded bias.
                        int runEnd = xHi < oxEnd ? xHi : oxEnd;
                        for (; ox < runEnd; ox++)
                        {
                            int xp0 = xb + iy0 * rowStride + (ox * sw - pl) * cin;
                            int wp = wOff + c0 * perOc;
                            int yp = yRow + ox * cout + c0;
                            for (int oc = c0; oc < c1; oc++)
                            {
                                int acc = biasIn[oc];
                                int xr = xp0;
                                for (int ky = 0; ky < kh; ky++)
                                {
                                    int xq = xr;
                                    for (int r = 0; r < runs; r++)
                                    {
                                        int xi = xq;
                                        int end4 = wp + run4;
                                        int end = wp + runLen;
                                        while (wp < end4)
                                        {
                                            acc += a[xi] * (sbyte)w[wp] + a[xi + 1] * (sbyte)w[wp + 1]
                                                + a[xi + 2] * (sbyte)w[wp + 2] + a[xi + 3] * (sbyte)w[wp + 3];
                                            xi += 4;
                                            wp += 4;
                                        }
                                        while (wp < end) acc += a[xi++] * (sbyte)w[wp++];
                                        xq += tapStepX;
                                    }
                                    xr += tapStepY;
                                }
                                // MBQM in Requant's one-rounding form, written out (no call).
                                int qs = shift[oc], left = qs > 0 ? qs : 0, t = 31 - qs + left;
                                long rq = 1L << (t - 1);
                                if (qs < 0) rq += acc < 0 ? -(1L << 30) : 1L << 30;
                                int v = yZero + (int)(((acc << left) * (long)mult[oc] + rq) >> t);
                                if (v < actMin) v = actMin;
                                if (v > actMax) v = actMax;
                                a[yp++] = (sbyte)v;
                            }
                        }
                        continue;
                    }

                    // Border position: only the taps inside the input, (x − x_zp), true bias.
                    int ix0 = ox * sw - pl;
                    int ky0 = ConvGeometry.FirstTap(iy0, dh), ky1 = ConvGeometry.EndTap(iy0, dh, inH, kh);
                    int kx0 = ConvGeometry.FirstTap(ix0, dw), kx1 = ConvGeometry.EndTap(ix0, dw, inW, kw);
                    int bRunLen = dw == 1 ? (kx1 - kx0) * cin : cin;
                    int bRuns = dw == 1 ? 1 : kx1 - kx0;
                    int xStart = xb + (iy0 + dh * ky0) * rowStride + (ix0 + dw * kx0) * cin;
                    int wOc = wOff + (ky0 * kw + kx0) * cin + c0 * perOc;
                    int ypb = yRow + ox * cout + c0;
                    for (int oc = c0; oc < c1; oc++)
                    {
                        int acc = biasBorder[oc];
                        int xr = xStart;
                        int wr = wOc;
                        for (int ky = ky0; ky < ky1; ky++)
                        {
                            int xq = xr;
                            int wq = wr;
                            for (int r = 0; r < bRuns; r++)
                            {
                                int xi = xq;
                                int wi = wq;
                                int end = wi + bRunLen;
                                while (wi < end) acc += (a[xi++] - xZero) * (sbyte)w[wi++];
                                xq += tapStepX;
                                wq += cin;
                            }
                            xr += tapStepY;
                            wr += kw * cin;
                        }
                        wOc += perOc;
                        // MBQM in Requant's one-rounding form, written out (no call).
                        int qs = shift[oc], left = qs > 0 ? qs : 0, t = 31 - qs + left;
                        long rq = 1L << (t - 1);
                        if (qs < 0) rq += acc < 0 ? -(1L << 30) : 1L << 30;
                        int v = yZero + (int)(((acc << left) * (long)mult[oc] + rq) >> t);
                        if (v < actMin) v = actMin;
                        if (v > actMax) v = actMax;
                        a[ypb++] = (sbyte)v;
                    }
                    ox++;
                }
                p = row * outW + oxEnd;
            }
        }

        /// <summary>EvalInt16 over the whole output.</summary>
        public static void EvalInt16(ConvData d, byte[] w, sbyte[] a)
        {
            EvalInt16(d, w, a, 0, d.Batches * d.OutH * d.OutW, 0, d.OutC);
        }

        /// <summary>The 16×8 kernel over output positions [p0, p1), channels [c0, c1): int16 activations (little-endian in the arena), int8 weights, int64 bias, zero points 0.</summary>
        public static void EvalInt16(ConvData c, byte[] w, sbyte[] a, int p0, int p1, int c0, int c1)
        {
            int inH = c.InH, inW = c.InW, cin = c.InC;
            int outH = c.OutH, outW = c.OutW, cout = c.OutC;
            int kh = c.Kh, kw = c.Kw, sh = c.StrideH, sw = c.StrideW;
            int dh = c.DilH, dw = c.DilW, pt = c.PadTop, pl = c.PadLeft;
            int wOff = c.WeightsOffset, xOff = c.XOffset, yOff = c.YOffset, actMin = c.ActMin, actMax = c.ActMax;
            long[] bias = c.Bias64;
            int[] mult = c.Multiplier, shift = c.Shift;

            // Offsets below count bytes: two per activation.
            int rowStride = 2 * inW * cin;
            int tapStepY = dh * rowStride;
            int tapStepX = 2 * dw * cin;
            int perOc = kh * kw * cin;
            for (int p = p0; p < p1; p++)
            {
                int row = p / outW;
                int ox = p - row * outW;
                int b = row / outH;
                int oy = row - b * outH;
                int xb = xOff + b * inH * rowStride;
                int iy0 = oy * sh - pt;
                int ky0 = ConvGeometry.FirstTap(iy0, dh), ky1 = ConvGeometry.EndTap(iy0, dh, inH, kh);
                // Zero points are 0, so a padded tap contributes 0 either way: one loop over the inside taps.
                int ix0 = ox * sw - pl;
                int kx0 = ConvGeometry.FirstTap(ix0, dw), kx1 = ConvGeometry.EndTap(ix0, dw, inW, kw);
                int runLen = dw == 1 ? (kx1 - kx0) * cin : cin;
                int runs = dw == 1 ? 1 : kx1 - kx0;
                int xStart = xb + (iy0 + dh * ky0) * rowStride + 2 * (ix0 + dw * kx0) * cin;
                int wOc = wOff + (ky0 * kw + kx0) * cin + c0 * perOc;
                int yp = yOff + 2 * (p * cout + c0);
                for (int oc = c0; oc < c1; oc++)
                {
                    long acc = bias[oc];
                    int xr = xStart;
                    int wr = wOc;
                    for (int ky = ky0; ky < ky1; ky++)
                    {
                        int xq = xr;
                        int wq = wr;
                        for (int r = 0; r < runs; r++)
                        {
                            int xi = xq;
                            int wi = wq;
                            int end = wi + runLen;
                            while (wi < end)
                            {
                                acc += ((a[xi] & 0xFF) | (a[xi + 1] << 8)) * (sbyte)w[wi++];
                                xi += 2;
                            }
                            xq += tapStepX;
                            wq += cin;
                        }
                        xr += tapStepY;
                        wr += kw * cin;
                    }
                    wOc += perOc;
                    int v = FixedPoint.MultiplyByQuantizedMultiplier(acc, mult[oc], shift[oc]);
                    if (v < actMin) v = actMin;
                    if (v > actMax) v = actMax;
                    a[yp] = (sbyte)v;
                    a[yp + 1] = (sbyte)(v >> 8);
                    yp += 2;
                }
            }
        }
    }
}
