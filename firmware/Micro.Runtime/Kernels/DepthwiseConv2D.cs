using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// DEPTHWISE_CONV_2D, TFLite int8 semantics (reference_integer_ops::DepthwiseConvPerChannel). For batch
    /// b, output (oy, ox), input channel ic and m &lt; depth_multiplier, output channel oc = ic·dm + m:
    ///   acc = bias[oc] + Σ_{ky,kx, tap inside} (x[b, oy·sh − pad_top + dh·ky, ox·sw − pad_left + dw·kx, ic] − x_zp)
    ///                                          · w[ky, kx, oc]
    ///   y[b, oy, ox, oc] = clamp(y_zp + MultiplyByQuantizedMultiplier(acc, mult[oc], shift[oc]), act_min, act_max)
    /// Taps in the padding are skipped; interior positions use the folded bias and raw inputs, border
    /// positions the true bias and (x − x_zp) (ConvGeometry). Weights int8 [Kh][Kw][C·dm], read in place.
    /// Each output channel sums only Kh·Kw taps, so the loop runs per output channel over its taps (weights
    /// strided by C·dm): the accumulator stays in a local, where walking the weights in stored order would
    /// need a per-channel accumulator array (two more array accesses per MAC). For 3×3 kernels with
    /// dilation_w 1, depth multiplier 1 and stride_w 1 or 2, interior rows run Row3x3 instead: window and
    /// weights in locals, sliding along the row (3 or 6 input loads per 9 MACs instead of 18 loads).
    /// With one input channel (and no 3×3 slide) it is a convolution with Cin = 1: positions go
    /// three at a time through ConvLanes when Prepare proved that exact for the weights.
    /// </summary>
    public static class DepthwiseConv2D
    {
        public const int PWeights = ConvGeometry.PWeights, PBias = ConvGeometry.PBias, PMult = ConvGeometry.PMult, PShift = ConvGeometry.PShift,
            PQCount = ConvGeometry.PQCount, PActMin = ConvGeometry.PActMin, PActMax = ConvGeometry.PActMax, PFlags = ConvGeometry.PFlags;
        // Conv2D's layout plus the depth multiplier.
        public const int PKh = Conv2D.PKh, PKw = Conv2D.PKw, PStrideH = Conv2D.PStrideH, PStrideW = Conv2D.PStrideW, PDilH = Conv2D.PDilH,
            PDilW = Conv2D.PDilW, PPadTop = Conv2D.PPadTop, PPadLeft = Conv2D.PPadLeft, PDepthMultiplier = Conv2D.ParamCount, ParamCount = Conv2D.ParamCount + 1;


        /// <summary>The op record's params, for every writer (the blob writers call this; Prepare reads the same P* indices). Offsets are relative to the constant data.</summary>
        public static int[] Encode(int weightsOffset, int biasOffset, int multOffset, int shiftOffset, int qCount, int actMin, int actMax, int flags,
            int kh, int kw, int strideH, int strideW, int dilationH, int dilationW, int padTop, int padLeft, int depthMultiplier)
        {
            int[] p = ConvGeometry.EncodeQuantized(ParamCount, weightsOffset, biasOffset, multOffset, shiftOffset, qCount, actMin, actMax, flags);
            Conv2D.EncodeGeometry(p, kh, kw, strideH, strideW, dilationH, dilationW, padTop, padLeft);
            p[PDepthMultiplier] = depthMultiplier;
            return p;
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 1, ParamCount);
            Tensor x = m.In(op, 0), y = m.Out(op);
            if (x.DType != DType.Int8 || y.DType != DType.Int8)
                throw m.OpError(op, ErrorCodes.BadDType, "input and output must be int8, are " + DType.Name(x.DType) + " and " + DType.Name(y.DType));
            ConvGeometry.CheckIo(m, op, x, y, 4);
            int kh = m.Param(op, PKh, 1, ConvGeometry.MaxExtent, "kh");
            int kw = m.Param(op, PKw, 1, ConvGeometry.MaxExtent, "kw");
            int sh = m.Param(op, PStrideH, 1, ConvGeometry.MaxExtent, "stride_h");
            int sw = m.Param(op, PStrideW, 1, ConvGeometry.MaxExtent, "stride_w");
            int dh = m.Param(op, PDilH, 1, ConvGeometry.MaxExtent, "dilation_h");
            int dw = m.Param(op, PDilW, 1, ConvGeometry.MaxExtent, "dilation_w");
            int pt = m.Param(op, PPadTop, 0, ConvGeometry.MaxExtent, "pad_top");
            int pl = m.Param(op, PPadLeft, 0, ConvGeometry.MaxExtent, "pad_left");
            int dm = m.Param(op, PDepthMultiplier, 1, ConvGeometry.MaxExtent, "depth_multiplier");
            if ((long)x.Channels * dm != y.Channels)
                throw m.OpError(op, ErrorCodes.ShapeMismatch, "output channels " + y.Channels + " must be input channels " + x.Channels + " × depth_multiplier " + dm);
            ConvGeometry.CheckAxis(m, op, "height", x.Height, kh, sh, dh, pt, y.Height);
            ConvGeometry.CheckAxis(m, op, "width", x.Width, kw, sw, dw, pl, y.Width);
            int cout = y.Channels;
            bool folded = ConvGeometry.ReadFlags(m, op, false);
            long taps = ConvGeometry.Product(m, op, kh, kw, 1, 1, "kernel size");
            ConvData data = ConvData.Geometry(x.Batch, x.Height, x.Width, x.Channels, y.Height, y.Width, cout, kh, kw, sh, sw, dh, dw, pt, pl, dm);
            data.WeightsOffset = m.ConstRef(op, PWeights, ConvGeometry.Product(m, op, kh, kw, cout, 1, "weights size"), 1, "weights");
            ConvGeometry.PrepareIo(m, op, data, x, y);
            ConvGeometry.PrepareBiasInt8(m, op, data, folded, cout, (int)taps, 1, cout);
            ConvGeometry.PrepareRequant(m, op, data, cout, 30);
            bool slide3x3 = kh == 3 && kw == 3 && dw == 1 && dm == 1 && sw <= 2;
            if (x.Channels == 1 && !slide3x3) ConvLanes.Prepare(m, data, cout, (int)taps, 1, cout);
            op.Data = data;
            op.Macs = (long)y.ElementCount * taps;
            int perMac = data.LaneChunk != 0 ? OpSlices.ConvMac : OpSlices.DepthwiseMac;
            data.SliceGroup = data.LaneChunk != 0 ? 3 : slide3x3 ? OpSlices.GroupSize(y.Width, y.Width, taps, perMac) : 1;
            OpSlices.SetGrouped(op, x.Batch * y.Height, y.Width, cout, data.SliceGroup, taps, perMac);
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            ConvData d = (ConvData)op.Data;
            EvalInt8(d, m.Blob, arena, 0, d.Batches * d.OutH * d.OutW, 0, d.OutC);
        }

        /// <summary>Position groups [g0, g1) (OpSlices.SetGrouped; positions p = (b·Ho + oy)·Wo + ox), channels [c0, c1): a slice.</summary>
        public static void EvalBlock(Model m, Op op, sbyte[] arena, int g0, int g1, int c0, int c1)
        {
            ConvData d = (ConvData)op.Data;
            EvalInt8(d, m.Blob, arena, OpSlices.GroupStart(g0, d.OutW, d.SliceGroup), OpSlices.GroupStart(g1, d.OutW, d.SliceGroup), c0, c1);
        }

        /// <summary>EvalInt8 over the whole output.</summary>
        public static void EvalInt8(ConvData d, byte[] w, sbyte[] a)
        {
            EvalInt8(d, w, a, 0, d.Batches * d.OutH * d.OutW, 0, d.OutC);
        }

        /// <summary>
        /// The int8 kernel over output positions [p0, p1) and channels [c0, c1). cd.BiasInterior: folded bias
        /// (interior), cd.BiasBorder: true bias (ConvGeometry.SplitBias with ocStride 1, tapStride C·dm). The
        /// packed path of one-input-channel layers runs when cd.LaneChunk ≠ 0. Output channel oc reads input
        /// channel oc / dm.
        /// </summary>
        public static void EvalInt8(ConvData cd, byte[] w, sbyte[] a, int p0, int p1, int c0, int c1)
        {
            int inH = cd.InH, inW = cd.InW, c = cd.InC;
            int outH = cd.OutH, outW = cd.OutW, cout = cd.OutC;
            int kh = cd.Kh, kw = cd.Kw, sh = cd.StrideH, sw = cd.StrideW;
            int dh = cd.DilH, dw = cd.DilW, pt = cd.PadTop, pl = cd.PadLeft;
            int dm = cd.DepthMultiplier;
            int yLo = cd.InteriorYLo, yHi = cd.InteriorYHi;
            int xLo = cd.InteriorXLo, xHi = cd.InteriorXHi;
            int wOff = cd.WeightsOffset, xOff = cd.XOffset, yOff = cd.YOffset;
            int[] biasIn = cd.BiasInterior, biasBorder = cd.BiasBorder, mult = cd.Multiplier, shift = cd.Shift;
            int xZero = cd.XZero, yZero = cd.YZero, actMin = cd.ActMin, actMax = cd.ActMax;
            long[] lanes = cd.Lanes == null ? null : cd.Lanes.Values;

            int rowStride = inW * c;
            int tapStepY = dh * rowStride;
            int tapStepX = dw * c;
            int wRow = kw * cout;
            // 3×3, dilation_w 1, depth multiplier 1, stride_w 1 or 2 (MobileNet, DS-CNN): interior rows slide the window (Row3x3).
            bool slide3x3 = kh == 3 && kw == 3 && dw == 1 && dm == 1 && sw <= 2;
            // One input channel, depth multiplier > 1 (e.g. micro_speech's first layer): a convolution with Cin = 1,
            // three interior positions per 64-bit multiply when Prepare proved it exact (ConvLanes).
            int chunk = lanes == null || c != 1 || slide3x3 ? 0 : cd.LaneChunk;
            int perOc = kh * kw;
            int runs = dw == 1 ? 1 : kw, runLen = dw == 1 ? kw : 1;
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
                for (; ox < oxEnd; ox++)
                {
                    int ix0 = ox * sw - pl;
                    int yPos = yRow + ox * cout;
                    if (chunk != 0 && ox + 2 <= oxEnd)
                    {
                        int n = oxEnd - ox < 3 ? 2 : 3;
                        if (n == 3 && rowInside && ox >= xLo && ox + 3 <= xHi) ConvLanes.Gather3(a, xb + iy0 * rowStride + ix0, sw, kh, tapStepY, runs, runLen, tapStepX, lanes);
                        else ConvLanes.Gather3Padded(cd, a, xb, iy0, ix0, lanes);
                        ConvLanes.Dot3Strided(w, wOff, biasIn, mult, shift, lanes, perOc, chunk, cout, c0, c1, a, yPos, n, yZero, actMin, actMax);
                        ox += n - 1;
                        continue;
                    }
                    int yp = yPos + c0;
                    if (rowInside && ox >= xLo && ox < xHi)
                    {
                        if (slide3x3)
                        {
                            // The interior run of this row inside the block at once, channel by channel.
                            int runEnd = xHi < oxEnd ? xHi : oxEnd;
                            int n = runEnd - ox;
                            Row3x3(w, wOff, biasIn, mult, shift, a, xb + iy0 * rowStride + ix0 * c, yPos, c, c0, c1, sw, tapStepY, n, yZero, actMin, actMax);
                            ox = runEnd - 1;
                            continue;
                        }
                        // Interior: raw inputs, folded bias.
                        int xp0 = xb + iy0 * rowStride + ix0 * c;
                        for (int oc = c0; oc < c1; oc++)
                        {
                            int acc = biasIn[oc];
                            int wi = wOff + oc;
                            int xr = xp0 + (dm == 1 ? oc : oc / dm);
                            for (int ky = 0; ky < kh; ky++)
                            {
                                int xi = xr;
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    acc += a[xi] * (sbyte)w[wi];
                                    xi += tapStepX;
                                    wi += cout;
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
                        continue;
                    }

                    // Border: only the taps inside the input, (x − x_zp), true bias.
                    int ky0 = ConvGeometry.FirstTap(iy0, dh), ky1 = ConvGeometry.EndTap(iy0, dh, inH, kh);
                    int kx0 = ConvGeometry.FirstTap(ix0, dw), kx1 = ConvGeometry.EndTap(ix0, dw, inW, kw);
                    int xStart = xb + (iy0 + dh * ky0) * rowStride + (ix0 + dw * kx0) * c;
                    int wStart = wOff + (ky0 * kw + kx0) * cout;
                    for (int oc = c0; oc < c1; oc++)
                    {
                        int acc = biasBorder[oc];
                        int xr = xStart + (dm == 1 ? oc : oc / dm);
                        int wr = wStart + oc;
                        for (int ky = ky0; ky < ky1; ky++)
                        {
                            int xi = xr;
                            int wi = wr;
                            for (int kx = kx0; kx < kx1; kx++)
                            {
                                acc += (a[xi] - xZero) * (sbyte)w[wi];
                                xi += tapStepX;
                                wi += cout;
                            }
                            xr += tapStepY;
                            wr += wRow;
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
                p = row * outW + oxEnd;
            }
        }

        /// <summary>
        /// The interior positions of one output row for a 3×3 kernel with dilation_w 1, depth multiplier 1 and
        /// stride_w 1 or 2, channel by channel: the nine weights, the folded bias and the requantization
        /// parameters of channel ch sit in locals, and the 3×3 input window slides along the row in locals, so
        /// an output loads only its new input columns (3 values at stride 1, 6 at stride 2) instead of nine
        /// inputs and nine weights. Same sums as the tap loop (acc = biasIn[ch] + Σ x·w over the nine taps).
        /// xRow: input index of the first position's top-left tap, channel 0; yp: its output index, channel 0;
        /// rowStep: input distance between kernel rows (dilation_h · W · C); count: positions in the run;
        /// channels [c0, c1) of the c.
        /// </summary>
        public static void Row3x3(byte[] w, int wOff, int[] biasIn, int[] mult, int[] shift, sbyte[] a, int xRow, int yp,
            int c, int c0, int c1, int sw, int rowStep, int count, int yZero, int actMin, int actMax)
        {
            int r = rowStep, r2 = 2 * rowStep;
            for (int ch = c0; ch < c1; ch++)
            {
                int wp = wOff + ch;
                int w0 = (sbyte)w[wp], w1 = (sbyte)w[wp + c], w2 = (sbyte)w[wp + 2 * c];
                int w3 = (sbyte)w[wp + 3 * c], w4 = (sbyte)w[wp + 4 * c], w5 = (sbyte)w[wp + 5 * c];
                int w6 = (sbyte)w[wp + 6 * c], w7 = (sbyte)w[wp + 7 * c], w8 = (sbyte)w[wp + 8 * c];
                int bias = biasIn[ch], sh = shift[ch];
                // The channel's requantization constants (Requant's one-rounding form).
                long m = mult[ch];
                int left = sh > 0 ? sh : 0, t = 31 - sh + left;
                long kp = 1L << (t - 1), kn = kp;
                if (sh < 0)
                {
                    kp += 1L << 30;
                    kn -= 1L << 30;
                }
                int xi = xRow + ch;
                int yq = yp + ch;
                int yEnd = yq + count * c;
                // Column 0 of the first window (rows 0, 1, 2 as a, b, d).
                int a0 = a[xi], b0 = a[xi + r], d0 = a[xi + r2];
                if (sw == 1)
                {
                    int a1 = a[xi + c], b1 = a[xi + r + c], d1 = a[xi + r2 + c];
                    xi += 2 * c;
                    while (yq < yEnd)
                    {
                        int a2 = a[xi], b2 = a[xi + r], d2 = a[xi + r2];
                        int acc = bias + a0 * w0 + a1 * w1 + a2 * w2 + b0 * w3 + b1 * w4 + b2 * w5 + d0 * w6 + d1 * w7 + d2 * w8;
                        int v = yZero + (int)(((acc << left) * m + (acc < 0 ? kn : kp)) >> t);
                        if (v < actMin) v = actMin;
                        if (v > actMax) v = actMax;
                        a[yq] = (sbyte)v;
                        yq += c;
                        a0 = a1; a1 = a2;
                        b0 = b1; b1 = b2;
                        d0 = d1; d1 = d2;
                        xi += c;
                    }
                }
                else
                {
                    xi += c;
                    int step = 2 * c;
                    while (yq < yEnd)
                    {
                        int a1 = a[xi], b1 = a[xi + r], d1 = a[xi + r2];
                        int a2 = a[xi + c], b2 = a[xi + r + c], d2 = a[xi + r2 + c];
                        int acc = bias + a0 * w0 + a1 * w1 + a2 * w2 + b0 * w3 + b1 * w4 + b2 * w5 + d0 * w6 + d1 * w7 + d2 * w8;
                        int v = yZero + (int)(((acc << left) * m + (acc < 0 ? kn : kp)) >> t);
                        if (v < actMin) v = actMin;
                        if (v > actMax) v = actMax;
                        a[yq] = (sbyte)v;
                        yq += c;
                        a0 = a2;
                        b0 = b2;
                        d0 = d2;
                        xi += step;
                    }
                }
            }
        }
    }
}
