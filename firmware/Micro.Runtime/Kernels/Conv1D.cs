using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// CONV_1D: CONV_2D with H = 1 (TFLite runs a 1-D convolution as a 2-D one of height 1), in a tighter
    /// loop. For batch b, output ox and output channel oc:
    ///   acc = bias[oc] + Σ_{k,ic, tap inside} (x[b, ox·s − pad_left + d·k, ic] − x_zp) · w[oc, k, ic]
    ///   y[b, ox, oc] = clamp(y_zp + MultiplyByQuantizedMultiplier(acc, mult[oc], shift[oc]), act_min, act_max)
    /// Taps in the padding are skipped; interior positions use the folded bias and raw inputs, border
    /// positions the true bias and (x − x_zp) (ConvGeometry). Int16 (16×8): zero points 0, int64 bias,
    /// 64-bit requantization. Weights int8 [Cout][K][Cin], read in place; prepared state ConvData.
    /// Int8 positions go three at a time through one 64-bit multiply per weight (ConvLanes; border ones
    /// with padded taps read as x_zp) when Prepare proved that exact for these weights; a row's last two
    /// positions the same way, a last single one through the plain loop. Requantization is written out
    /// inline in Requant's one-rounding form.
    /// </summary>
    public static class Conv1D
    {
        public const int PWeights = ConvGeometry.PWeights, PBias = ConvGeometry.PBias, PMult = ConvGeometry.PMult, PShift = ConvGeometry.PShift,
            PQCount = ConvGeometry.PQCount, PActMin = ConvGeometry.PActMin, PActMax = ConvGeometry.PActMax, PFlags = ConvGeometry.PFlags;
        public const int PKernel = 8, PStride = 9, PDilation = 10, PPadLeft = 11, ParamCount = 12;


        /// <summary>The op record's params, for every writer (the blob writers call this; Prepare reads the same P* indices). Offsets are relative to the constant data.</summary>
        public static int[] Encode(int weightsOffset, int biasOffset, int multOffset, int shiftOffset, int qCount, int actMin, int actMax, int flags, int kernel, int stride, int dilation, int padLeft)
        {
            int[] p = ConvGeometry.EncodeQuantized(ParamCount, weightsOffset, biasOffset, multOffset, shiftOffset, qCount, actMin, actMax, flags);
            EncodeGeometry(p, kernel, stride, dilation, padLeft);
            return p;
        }

        /// <summary>The 1D geometry slots (PKernel..PPadLeft), shared with DepthwiseConv1D's layout.</summary>
        internal static void EncodeGeometry(int[] p, int kernel, int stride, int dilation, int padLeft)
        {
            p[PKernel] = kernel;
            p[PStride] = stride;
            p[PDilation] = dilation;
            p[PPadLeft] = padLeft;
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 1, ParamCount);
            Tensor x = m.In(op, 0), y = m.Out(op);
            if (x.DType != y.DType) throw m.OpError(op, ErrorCodes.BadDType, "input " + DType.Name(x.DType) + " and output " + DType.Name(y.DType) + " differ");
            ConvGeometry.CheckIo(m, op, x, y, 3);
            int k = m.Param(op, PKernel, 1, ConvGeometry.MaxExtent, "kernel");
            int s = m.Param(op, PStride, 1, ConvGeometry.MaxExtent, "stride");
            int d = m.Param(op, PDilation, 1, ConvGeometry.MaxExtent, "dilation");
            int pl = m.Param(op, PPadLeft, 0, ConvGeometry.MaxExtent, "pad_left");
            ConvGeometry.CheckAxis(m, op, "width", x.Width, k, s, d, pl, y.Width);
            int cin = x.Channels, cout = y.Channels;
            bool int16 = x.DType == DType.Int16;
            bool folded = ConvGeometry.ReadFlags(m, op, int16);
            long perOc = ConvGeometry.Product(m, op, k, cin, 1, 1, "kernel size");
            ConvData data = ConvData.Geometry(x.Batch, 1, x.Width, cin, 1, y.Width, cout, 1, k, 1, s, 1, d, 0, pl, 1);
            data.WeightsOffset = m.ConstRef(op, PWeights, ConvGeometry.Product(m, op, k, cin, cout, 1, "weights size"), 1, "weights");
            ConvGeometry.PrepareIo(m, op, data, x, y);
            ConvGeometry.PrepareDenseBias(m, op, data, int16, folded, cout, (int)perOc);
            if (!int16) ConvLanes.Prepare(m, data, cout, (int)perOc, (int)perOc, 1);
            op.Data = data;
            op.Macs = (long)y.ElementCount * perOc;
            data.SliceGroup = data.LaneChunk != 0 ? 3 : 1;
            OpSlices.SetGrouped(op, x.Batch, y.Width, cout, data.SliceGroup, perOc, int16 ? OpSlices.Int16Mac : data.LaneChunk != 0 ? OpSlices.ConvMac : OpSlices.PlainMac);
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            ConvData d = (ConvData)op.Data;
            if (d.Bias64 != null) EvalInt16(d, m.Blob, arena);
            else EvalInt8(d, m.Blob, arena);
        }

        /// <summary>Position groups [g0, g1) (OpSlices.SetGrouped; positions p = b·Wo + ox), channels [c0, c1): a slice.</summary>
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
            EvalInt8(d, w, a, 0, d.Batches * d.OutW, 0, d.OutC);
        }

        /// <summary>
        /// The int8 kernel over positions [p0, p1) and output channels [c0, c1): c.BiasInterior is the folded
        /// bias (interior), c.BiasBorder the true bias (ConvGeometry.SplitBias); H = Ho = Kh = 1. The packed
        /// path runs when c.LaneChunk ≠ 0 (ConvLanes), on three positions of one row inside the block.
        /// </summary>
        public static void EvalInt8(ConvData c, byte[] w, sbyte[] a, int p0, int p1, int c0, int c1)
        {
            int inW = c.InW, cin = c.InC;
            int outW = c.OutW, cout = c.OutC;
            int k = c.Kw, s = c.StrideW, d = c.DilW, pl = c.PadLeft;
            int xLo = c.InteriorXLo, xHi = c.InteriorXHi;
            int wOff = c.WeightsOffset, xOff = c.XOffset, yOff = c.YOffset;
            int[] biasIn = c.BiasInterior, biasBorder = c.BiasBorder, mult = c.Multiplier, shift = c.Shift;
            int xZero = c.XZero, yZero = c.YZero, actMin = c.ActMin, actMax = c.ActMax;
            long[] lanes = c.Lanes == null ? null : c.Lanes.Values;

            int tapStep = d * cin;
            int perOc = k * cin;
            // With d = 1 the whole window is one contiguous run of k·cin inputs and weights.
            int runLen = d == 1 ? perOc : cin;
            int runs = d == 1 ? 1 : k;
            int run4 = runLen & ~3;
            // Packed path (ConvLanes): three interior positions per 64-bit multiply, when Prepare proved it exact.
            int chunk = lanes == null ? 0 : c.LaneChunk;
            int posStep = s * cin;
            int b = p0 / outW;
            int ox = p0 - b * outW;
            int xb = xOff + b * inW * cin;
            for (int p = p0; p < p1; p++, ox++)
            {
                if (ox == outW)
                {
                    ox = 0;
                    xb += inW * cin;
                }
                int ix0 = ox * s - pl;
                int yPos = yOff + p * cout;
                if (chunk != 0 && ox + 2 <= outW && p + 2 <= p1)
                {
                    // A row's last two positions run packed too (the third lane unused).
                    int n = ox + 3 <= outW && p + 3 <= p1 ? 3 : 2;
                    if (n == 3 && ox >= xLo && ox + 3 <= xHi) ConvLanes.Gather3(a, xb + ix0 * cin, posStep, 1, 0, runs, runLen, tapStep, lanes);
                    else ConvLanes.Gather3Padded(c, a, xb, 0, ix0, lanes);
                    ConvLanes.Dot3(w, wOff, biasIn, mult, shift, lanes, perOc, chunk, cout, c0, c1, a, yPos, n, yZero, actMin, actMax);
                    p += n - 1;
                    ox += n - 1;
                    continue;
                }
                int yp = yPos + c0;
                if (ox >= xLo && ox < xHi)
                {
                    // Interior: raw inputs, folded bias, weights walked in stored order.
                    int xp0 = xb + ix0 * cin;
                    int wp = wOff + c0 * perOc;
                    for (int oc = c0; oc < c1; oc++)
                    {
                        int acc = biasIn[oc];
                        int xq = xp0;
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
                            xq += tapStep;
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
                int k0 = ConvGeometry.FirstTap(ix0, d), k1 = ConvGeometry.EndTap(ix0, d, inW, k);
                int bRunLen = d == 1 ? (k1 - k0) * cin : cin;
                int bRuns = d == 1 ? 1 : k1 - k0;
                int xStart = xb + (ix0 + d * k0) * cin;
                int wOc = wOff + k0 * cin + c0 * perOc;
                for (int oc = c0; oc < c1; oc++)
                {
                    int acc = biasBorder[oc];
                    int xq = xStart;
                    int wq = wOc;
                    for (int r = 0; r < bRuns; r++)
                    {
                        int xi = xq;
                        int wi = wq;
                        int end = wi + bRunLen;
                        while (wi < end) acc += (a[xi++] - xZero) * (sbyte)w[wi++];
                        xq += tapStep;
                        wq += cin;
                    }
                    wOc += perOc;
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

        /// <summary>EvalInt16 over the whole output.</summary>
        public static void EvalInt16(ConvData d, byte[] w, sbyte[] a)
        {
            EvalInt16(d, w, a, 0, d.Batches * d.OutW, 0, d.OutC);
        }

        /// <summary>The 16×8 kernel over positions [p0, p1), channels [c0, c1): int16 activations (little-endian in the arena), int8 weights, int64 bias, zero points 0.</summary>
        public static void EvalInt16(ConvData c, byte[] w, sbyte[] a, int p0, int p1, int c0, int c1)
        {
            int inW = c.InW, cin = c.InC;
            int outW = c.OutW, cout = c.OutC;
            int k = c.Kw, s = c.StrideW, d = c.DilW, pl = c.PadLeft;
            int wOff = c.WeightsOffset, xOff = c.XOffset, yOff = c.YOffset, actMin = c.ActMin, actMax = c.ActMax;
            long[] bias = c.Bias64;
            int[] mult = c.Multiplier, shift = c.Shift;

            // Input offsets count bytes: two per activation.
            int tapStep = 2 * d * cin;
            int perOc = k * cin;
            int b = p0 / outW;
            int ox = p0 - b * outW;
            int xb = xOff + 2 * b * inW * cin;
            for (int p = p0; p < p1; p++, ox++)
            {
                if (ox == outW)
                {
                    ox = 0;
                    xb += 2 * inW * cin;
                }
                int yp = yOff + 2 * (p * cout + c0);
                // Zero points are 0, so a padded tap contributes 0 either way: one loop over the inside taps.
                int ix0 = ox * s - pl;
                int k0 = ConvGeometry.FirstTap(ix0, d), k1 = ConvGeometry.EndTap(ix0, d, inW, k);
                int runLen = d == 1 ? (k1 - k0) * cin : cin;
                int runs = d == 1 ? 1 : k1 - k0;
                int xStart = xb + 2 * (ix0 + d * k0) * cin;
                int wOc = wOff + k0 * cin + c0 * perOc;
                for (int oc = c0; oc < c1; oc++)
                {
                    long acc = bias[oc];
                    int xq = xStart;
                    int wq = wOc;
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
                        xq += tapStep;
                        wq += cin;
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
