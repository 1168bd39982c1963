using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// GROUPED_CONV: a convolution whose Cin input and Cout output channels split into G groups (1 &lt; G, Cin
    /// and Cout multiples of G), run natively instead of as block-diagonal dense weights (G times fewer MACs
    /// and weight bytes). TFLite int8 semantics (reference_integer_ops::ConvPerChannel with
    /// groups = input_depth / filter_input_depth). With cg = Cin / G, og = Cout / G and g = oc / og:
    ///   acc = bias[oc] + Σ_{ky,kx inside, i &lt; cg} (x[b, oy·sh − pad_top + dh·ky, ox·sw − pad_left + dw·kx, g·cg + i] − x_zp)
    ///                                               · w[oc, ky, kx, i]
    ///   y[b, oy, ox, oc] = clamp(y_zp + MultiplyByQuantizedMultiplier(acc, mult[oc], shift[oc]), act_min, act_max)
    /// Rank 4 NHWC, or rank 3 NWC as H = 1 (then kh = stride_h = dilation_h = 1, pad_top = 0). Weights int8
    /// [Cout][Kh][Kw][Cin/G], read in place. Int8: each position's group window is gathered once as (x − x_zp)
    /// (padded taps 0) and shared by the group's output channels, each a contiguous dot product on the true bias;
    /// when Prepare proved it exact (ConvLanes.Prepare on the [Cout][Kh·Kw·Cin/G] rows), positions go two or
    /// three at a time through ConvLanes instead, each group's window gathered as raw inputs (padded taps
    /// x_zp) against the folded bias, a row's last single position through the gather above.
    /// Int16 activations (16×8): zero points 0, int64 bias and accumulator, 64-bit requantization.
    /// Prepared state GroupedConvData (a ConvData plus the group count). Its own file so the dense kernels'
    /// hot loops stay as they are.
    /// </summary>
    public static class GroupedConv
    {
        public const int PKh = Conv2D.PKh, PKw = Conv2D.PKw, PStrideH = Conv2D.PStrideH, PStrideW = Conv2D.PStrideW,
            PDilH = Conv2D.PDilH, PDilW = Conv2D.PDilW, PPadTop = Conv2D.PPadTop, PPadLeft = Conv2D.PPadLeft;
        public const int PGroups = Conv2D.ParamCount, ParamCount = Conv2D.ParamCount + 1;

        /// <summary>The op record's params, for every writer: CONV_2D's sixteen, then groups.</summary>
        public static int[] Encode(int weightsOffset, int biasOffset, int multOffset, int shiftOffset, int qCount, int actMin, int actMax, int flags,
            int kh, int kw, int strideH, int strideW, int dilationH, int dilationW, int padTop, int padLeft, int groups)
        {
            int[] p = ConvGeometry.EncodeQuantized(ParamCount, weightsOffset, biasOffset, multOffset, shiftOffset, qCount, actMin, actMax, flags);
            Conv2D.EncodeGeometry(p, kh, kw, strideH, strideW, dilationH, dilationW, padTop, padLeft);
            p[PGroups] = groups;
            return p;
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 1, ParamCount);
            Tensor x = m.In(op, 0), y = m.Out(op);
            if (x.DType != y.DType) throw m.OpError(op, ErrorCodes.BadDType, "input " + DType.Name(x.DType) + " and output " + DType.Name(y.DType) + " differ");
            ConvGeometry.CheckIo(m, op, x, y, x.Rank == 3 ? 3 : 4);
            int kh = m.Param(op, PKh, 1, x.Rank == 3 ? 1 : ConvGeometry.MaxExtent, "kh");
            int kw = m.Param(op, PKw, 1, ConvGeometry.MaxExtent, "kw");
            int sh = m.Param(op, PStrideH, 1, x.Rank == 3 ? 1 : ConvGeometry.MaxExtent, "stride_h");
            int sw = m.Param(op, PStrideW, 1, ConvGeometry.MaxExtent, "stride_w");
            int dh = m.Param(op, PDilH, 1, x.Rank == 3 ? 1 : ConvGeometry.MaxExtent, "dilation_h");
            int dw = m.Param(op, PDilW, 1, ConvGeometry.MaxExtent, "dilation_w");
            int pt = m.Param(op, PPadTop, 0, x.Rank == 3 ? 0 : ConvGeometry.MaxExtent, "pad_top");
            int pl = m.Param(op, PPadLeft, 0, ConvGeometry.MaxExtent, "pad_left");
            int cin = x.Channels, cout = y.Channels;
            int groups = m.Param(op, PGroups, 2, cin, "groups");
            if (cin % groups != 0 || cout % groups != 0)
                throw m.OpError(op, ErrorCodes.ShapeMismatch, groups + " groups do not divide " + cin + " input and " + cout + " output channels");
            ConvGeometry.CheckAxis(m, op, "height", x.Height, kh, sh, dh, pt, y.Height);
            ConvGeometry.CheckAxis(m, op, "width", x.Width, kw, sw, dw, pl, y.Width);
            bool int16 = x.DType == DType.Int16;
            bool folded = ConvGeometry.ReadFlags(m, op, int16);
            int cg = cin / groups;
            long perOc = ConvGeometry.Product(m, op, kh, kw, cg, 1, "kernel size");
            ConvData c = ConvData.Geometry(x.Batch, x.Height, x.Width, cin, y.Height, y.Width, cout, kh, kw, sh, sw, dh, dw, pt, pl, 1);
            c.WeightsOffset = m.ConstRef(op, ConvGeometry.PWeights, ConvGeometry.Product(m, op, kh, kw, cg, cout, "weights size"), 1, "weights");
            ConvGeometry.PrepareIo(m, op, c, x, y);
            ConvGeometry.PrepareDenseBias(m, op, c, int16, folded, cout, (int)perOc);
            GroupedConvData d = new GroupedConvData();
            d.C = c;
            d.Groups = groups;
            if (!int16)
            {
                // The true bias (the int8 kernel subtracts x_zp while it gathers) and the gather buffer.
                int[] stored = m.ConstInt32(op, ConvGeometry.PBias, cout, "bias");
                d.TrueBias = new int[cout];
                ConvGeometry.SplitBias(stored, folded, c.XZero, m.Blob, c.WeightsOffset, cout, (int)perOc, (int)perOc, 1, new int[cout], d.TrueBias);
                d.Patch = new int[perOc];
                // Packed positions (ConvLanes on each group's window), when provably exact for these weights.
                ConvLanes.Prepare(m, c, cout, (int)perOc, (int)perOc, 1);
            }
            op.Data = d;
            op.Macs = (long)y.ElementCount * perOc;
            // Slices (Interpreter.Step): one unit per output element through the plain per-position path (EvalBlock);
            // its per-MAC cost counts the group window's gather as well. A whole op in one Step keeps Eval's lanes.
            OpSlices.Set(op, (int)y.ElementCount, perOc, int16 ? OpSlices.Int16Mac : 2 * OpSlices.PlainMac, OpSlices.PerOutput);
        }

        /// <summary>Output positions [p0, p1) (p = (b·Ho + oy)·Wo + ox), channels [c0, c1): a slice.</summary>
        public static void EvalBlock(Model m, Op op, sbyte[] arena, int p0, int p1, int c0, int c1)
        {
            GroupedConvData d = (GroupedConvData)op.Data;
            ConvData c = d.C;
            int outH = c.OutH, outW = c.OutW, cout = c.OutC, cin = c.InC, groups = d.Groups;
            int cg = cin / groups, og = cout / groups, perOc = c.Kh * c.Kw * cg;
            int g0 = c0 / og, g1 = (c1 - 1) / og + 1;
            for (int p = p0; p < p1; p++)
            {
                int b = p / (outH * outW), r = p - b * outH * outW, oy = r / outW, ox = r - oy * outW;
                int iy0 = oy * c.StrideH - c.PadTop, ix0 = ox * c.StrideW - c.PadLeft;
                int ky0 = ConvGeometry.FirstTap(iy0, c.DilH), ky1 = ConvGeometry.EndTap(iy0, c.DilH, c.InH, c.Kh);
                int kx0 = ConvGeometry.FirstTap(ix0, c.DilW), kx1 = ConvGeometry.EndTap(ix0, c.DilW, c.InW, c.Kw);
                for (int g = g0; g < g1; g++)
                {
                    int oc0 = g * og > c0 ? g * og : c0, oc1 = g * og + og < c1 ? g * og + og : c1;
                    if (d.C.Bias64 != null) PositionInt16(c, m.Blob, arena, b, iy0, ix0, ky0, ky1, kx0, kx1, g * cg, cg, perOc, oc0, oc1, p);
                    else PositionInt8(d, m.Blob, arena, b, iy0, ix0, ky0, ky1, kx0, kx1, g * cg, cg, perOc, oc0, oc1, p);
                }
            }
        }

        /// <summary>One position's output channels [oc0, oc1) of one group (input channels from ci0, cg of them), int8: the
        /// group window gathered as (x − x_zp), padded taps 0, against the true bias — the plain path of EvalInt8.</summary>
        private static void PositionInt8(GroupedConvData d, byte[] w, sbyte[] a, int b, int iy0, int ix0, int ky0, int ky1, int kx0, int kx1,
            int ci0, int cg, int perOc, int oc0, int oc1, int p)
        {
            ConvData c = d.C;
            int[] patch = d.Patch;
            int kw = c.Kw, cin = c.InC, rowStride = c.InW * cin, xZero = c.XZero;
            System.Array.Clear(patch, 0, perOc);
            int xPos = c.XOffset + b * c.InH * rowStride + iy0 * rowStride + ix0 * cin + ci0;
            for (int ky = ky0; ky < ky1; ky++)
            {
                int xr = xPos + c.DilH * ky * rowStride;
                for (int kx = kx0; kx < kx1; kx++)
                {
                    int xi = xr + c.DilW * kx * cin, q = (ky * kw + kx) * cg, end = q + cg;
                    while (q < end) patch[q++] = a[xi++] - xZero;
                }
            }
            int yp = c.YOffset + p * c.OutC + oc0;
            for (int oc = oc0; oc < oc1; oc++)
            {
                int acc = d.TrueBias[oc];
                int wi = c.WeightsOffset + oc * perOc;
                for (int q = 0; q < perOc; q++) acc += patch[q] * (sbyte)w[wi + q];
                int v = c.YZero + Requant.Apply(acc, c.Multiplier[oc], c.Shift[oc]);
                if (v < c.ActMin) v = c.ActMin;
                if (v > c.ActMax) v = c.ActMax;
                a[yp++] = (sbyte)v;
            }
        }

        /// <summary>One position's output channels [oc0, oc1) of one group, 16×8 (as EvalInt16).</summary>
        private static void PositionInt16(ConvData c, byte[] w, sbyte[] a, int b, int iy0, int ix0, int ky0, int ky1, int kx0, int kx1,
            int ci0, int cg, int perOc, int oc0, int oc1, int p)
        {
            int kw = c.Kw, cin = c.InC, rowStride = 2 * c.InW * cin;
            int xb = c.XOffset + b * c.InH * rowStride;
            int yp = c.YOffset + 2 * (p * c.OutC + oc0);
            for (int oc = oc0; oc < oc1; oc++)
            {
                long acc = c.Bias64[oc];
                for (int ky = ky0; ky < ky1; ky++)
                    for (int kx = kx0; kx < kx1; kx++)
                    {
                        int xi = xb + (iy0 + c.DilH * ky) * rowStride + 2 * ((ix0 + c.DilW * kx) * cin + ci0);
                        int wi = c.WeightsOffset + oc * perOc + (ky * kw + kx) * cg;
                        for (int i = 0; i < cg; i++, xi += 2) acc += ((a[xi] & 0xFF) | (a[xi + 1] << 8)) * (sbyte)w[wi + i];
                    }
                int v = FixedPoint.MultiplyByQuantizedMultiplier(acc, c.Multiplier[oc], c.Shift[oc]);
                if (v < c.ActMin) v = c.ActMin;
                if (v > c.ActMax) v = c.ActMax;
                a[yp++] = (sbyte)v;
                a[yp++] = (sbyte)(v >> 8);
            }
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            GroupedConvData d = (GroupedConvData)op.Data;
            if (d.C.Bias64 != null) EvalInt16(d.C, d.Groups, m.Blob, arena);
            else EvalInt8(d, m.Blob, arena);
        }

        /// <summary>
        /// The int8 kernel. Per position and group it gathers the group's receptive field once into d.Patch as
        /// (x − x_zp), padded taps 0, in the weights' [Kh][Kw][Cin/G] order; each of the group's output channels is
        /// then one contiguous dot product with its weight row (four per step) on the true bias.
        /// </summary>
        public static void EvalInt8(GroupedConvData d, byte[] w, sbyte[] a)
        {
            ConvData c = d.C;
            int groups = d.Groups;
            int[] patch = d.Patch, bias = d.TrueBias, mult = c.Multiplier, shift = c.Shift;
            int inH = c.InH, inW = c.InW, cin = c.InC, outH = c.OutH, outW = c.OutW, cout = c.OutC;
            int kh = c.Kh, kw = c.Kw, sh = c.StrideH, sw = c.StrideW, dh = c.DilH, dw = c.DilW, pt = c.PadTop, pl = c.PadLeft;
            int xZero = c.XZero, yZero = c.YZero, actMin = c.ActMin, actMax = c.ActMax, wOff = c.WeightsOffset;
            int cg = cin / groups, og = cout / groups, perOc = kh * kw * cg, per4 = perOc & ~3;
            int rowStride = inW * cin;
            int yp = c.YOffset;
            long[] lanes = c.LaneChunk != 0 && c.Lanes != null ? c.Lanes.Values : null;
            int chunk = c.LaneChunk;
            for (int b = 0; b < c.Batches; b++)
            {
                int xb = c.XOffset + b * inH * rowStride;
                for (int oy = 0; oy < outH; oy++)
                {
                    int iy0 = oy * sh - pt;
                    int ky0 = ConvGeometry.FirstTap(iy0, dh), ky1 = ConvGeometry.EndTap(iy0, dh, inH, kh);
                    bool rowInside = oy >= c.InteriorYLo && oy < c.InteriorYHi;
                    for (int ox = 0; ox < outW; ox++)
                    {
                        int ix0 = ox * sw - pl;
                        if (lanes != null && ox + 2 <= outW)
                        {
                            // Two or three positions per 64-bit multiply, group by group (ConvLanes): raw inputs,
                            // padded taps as x_zp, folded bias.
                            int n = outW - ox < 3 ? 2 : 3;
                            bool inside = n == 3 && rowInside && ox >= c.InteriorXLo && ox + 3 <= c.InteriorXHi;
                            int yPos = c.YOffset + ((b * outH + oy) * outW + ox) * cout;
                            for (int g = 0; g < groups; g++)
                            {
                                if (inside) ConvLanes.Gather3(a, xb + iy0 * rowStride + ix0 * cin + g * cg, sw * cin, kh, dh * rowStride, kw, cg, dw * cin, lanes);
                                else ConvLanes.Gather3Padded(c, a, xb, iy0, ix0, g * cg, cg, lanes);
                                ConvLanes.Dot3(w, wOff, c.BiasInterior, mult, shift, lanes, perOc, chunk, cout, g * og, g * og + og, a, yPos, n, yZero, actMin, actMax);
                            }
                            ox += n - 1;
                            yp += n * cout;
                            continue;
                        }
                        int kx0 = ConvGeometry.FirstTap(ix0, dw), kx1 = ConvGeometry.EndTap(ix0, dw, inW, kw);
                        bool full = ky0 == 0 && ky1 == kh && kx0 == 0 && kx1 == kw;
                        int xPos = xb + iy0 * rowStride + ix0 * cin;
                        int wg = wOff;
                        for (int g = 0; g < groups; g++)
                        {
                            if (!full) System.Array.Clear(patch, 0, perOc);
                            for (int ky = ky0; ky < ky1; ky++)
                            {
                                int xr = xPos + dh * ky * rowStride + g * cg;
                                for (int kx = kx0; kx < kx1; kx++)
                                {
                                    int xi = xr + dw * kx * cin, p = (ky * kw + kx) * cg, end = p + cg;
                                    while (p < end) patch[p++] = a[xi++] - xZero;
                                }
                            }
                            for (int j = 0; j < og; j++)
                            {
                                int oc = g * og + j;
                                int acc = bias[oc];
                                int wi = wg, p = 0;
                                while (p < per4)
                                {
                                    acc += patch[p] * (sbyte)w[wi] + patch[p + 1] * (sbyte)w[wi + 1]
                                        + patch[p + 2] * (sbyte)w[wi + 2] + patch[p + 3] * (sbyte)w[wi + 3];
                                    p += 4;
                                    wi += 4;
                                }
                                while (p < perOc) acc += patch[p++] * (sbyte)w[wi++];
                                wg += perOc;
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
                    }
                }
            }
        }

        /// <summary>The 16×8 kernel: int16 activations (little-endian), int8 weights, int64 bias, zero points 0.</summary>
        public static void EvalInt16(ConvData c, int groups, byte[] w, sbyte[] a)
        {
            int inH = c.InH, inW = c.InW, cin = c.InC, outH = c.OutH, outW = c.OutW, cout = c.OutC;
            int kh = c.Kh, kw = c.Kw, sh = c.StrideH, sw = c.StrideW, dh = c.DilH, dw = c.DilW, pt = c.PadTop, pl = c.PadLeft;
            long[] bias = c.Bias64;
            int[] mult = c.Multiplier, shift = c.Shift;
            int actMin = c.ActMin, actMax = c.ActMax, wOff = c.WeightsOffset;
            int cg = cin / groups, og = cout / groups, perOc = kh * kw * cg;
            int rowStride = 2 * inW * cin; // bytes: two per activation
            int yp = c.YOffset;
            for (int b = 0; b < c.Batches; b++)
            {
                int xb = c.XOffset + b * inH * rowStride;
                for (int oy = 0; oy < outH; oy++)
                {
                    int iy0 = oy * sh - pt;
                    int ky0 = ConvGeometry.FirstTap(iy0, dh), ky1 = ConvGeometry.EndTap(iy0, dh, inH, kh);
                    for (int ox = 0; ox < outW; ox++)
                    {
                        int ix0 = ox * sw - pl;
                        int kx0 = ConvGeometry.FirstTap(ix0, dw), kx1 = ConvGeometry.EndTap(ix0, dw, inW, kw);
                        int xStart = xb + (iy0 + dh * ky0) * rowStride + 2 * (ix0 + dw * kx0) * cin;
                        int wTap0 = wOff + (ky0 * kw + kx0) * cg;
                        int oc = 0;
                        for (int g = 0; g < groups; g++)
                        {
                            int xg = xStart + 2 * g * cg;
                            for (int j = 0; j < og; j++, oc++)
                            {
                                long acc = bias[oc];
                                int xr = xg;
                                int wr = wTap0 + oc * perOc;
                                for (int ky = ky0; ky < ky1; ky++)
                                {
                                    int xq = xr, wq = wr;
                                    for (int kx = kx0; kx < kx1; kx++)
                                    {
                                        int xi = xq, wi = wq, end = wq + cg;
                                        while (wi < end)
                                        {
                                            acc += ((a[xi] & 0xFF) | (a[xi + 1] << 8)) * (sbyte)w[wi++];
                                            xi += 2;
                                        }
                                        xq += 2 * dw * cin;
                                        wq += cg;
                                    }
                                    xr += dh * rowStride;
                                    wr += kw * cg;
                                }
                                int v = FixedPoint.MultiplyByQuantizedMultiplier(acc, mult[oc], shift[oc]);
                                if (v < actMin) v = actMin;
                                if (v > actMax) v = actMax;
                                a[yp++] = (sbyte)v;
                                a[yp++] = (sbyte)(v >> 8);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Prepared state of GROUPED_CONV: the convolution's ConvData (InC = Cin, OutC = Cout), the group count,
    /// and for int8 the true bias and the gather buffer (Kh·Kw·Cin/G ints).</summary>
    public sealed class GroupedConvData
    {
        public ConvData C;
        public int Groups;
        public int[] TrueBias, Patch;
    }
}
