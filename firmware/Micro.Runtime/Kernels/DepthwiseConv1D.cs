using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// DEPTHWISE_CONV_1D: DEPTHWISE_CONV_2D with H = 1, in a tighter loop. For batch b, output ox, input
    /// channel ic and m &lt; depth_multiplier, output channel oc = ic·dm + m:
    ///   acc = bias[oc] + Σ_{k, tap inside} (x[b, ox·s − pad_left + d·k, ic] − x_zp) · w[k, oc]
    ///   y[b, ox, oc] = clamp(y_zp + MultiplyByQuantizedMultiplier(acc, mult[oc], shift[oc]), act_min, act_max)
    /// Taps in the padding are skipped; interior positions use the folded bias and raw inputs, border
    /// positions the true bias and (x − x_zp) (ConvGeometry). Weights int8 [K][C·dm], read in place,
    /// per output channel with stride C·dm so the accumulator stays in a local (see DepthwiseConv2D).
    ///
    /// The loop runs channel by channel (bias and requantization constants in locals) and, when Prepare
    /// proved it exact, takes interior positions three at a time through one 64-bit multiply per input
    /// (ConvLanes' 21-bit lanes, turned around): the three windows of positions ox, ox+1, ox+2 start s
    /// inputs apart, so with the channel's packed taps
    ///   W[j] = Σ_{q=0..2, t: q·s + d·t = j} w[t, oc]·2^(21q),   j = 0 .. d·(k−1) + 2s
    /// Σ_j x[ix0 + j, ic]·W[j] = S0 + S1·2^21 + S2·2^42 with S_q position q's sum: d·(k−1) + 2s + 1
    /// multiplies for 3k MACs. Exact when every |S_q| ≤ 2^20 − 1: |x| ≤ 128, so Prepare requires
    /// Σ_t |w[t, oc]| ≤ ConvLanes.MaxChunkAbsSum for every channel (any k ≤ 63 passes). Two positions (a
    /// row's or block's last ones) sum j up to d·(k−1) + s only; lane 2 then holds a partial sum, unused.
    /// The sum starts at ConvLanes.LaneBias, so the lanes come out with masks and shifts (see there).
    /// Groups reaching into the padding read x_zp there and use the folded bias (as ConvLanes): exact.
    /// W lives in the model's shared LaneWindow.
    /// </summary>
    public static class DepthwiseConv1D
    {
        public const int PWeights = ConvGeometry.PWeights, PBias = ConvGeometry.PBias, PMult = ConvGeometry.PMult, PShift = ConvGeometry.PShift,
            PQCount = ConvGeometry.PQCount, PActMin = ConvGeometry.PActMin, PActMax = ConvGeometry.PActMax, PFlags = ConvGeometry.PFlags;
        // Conv1D's layout plus the depth multiplier.
        public const int PKernel = Conv1D.PKernel, PStride = Conv1D.PStride, PDilation = Conv1D.PDilation, PPadLeft = Conv1D.PPadLeft,
            PDepthMultiplier = Conv1D.ParamCount, ParamCount = Conv1D.ParamCount + 1;


        /// <summary>The op record's params, for every writer (the blob writers call this; Prepare reads the same P* indices). Offsets are relative to the constant data.</summary>
        public static int[] Encode(int weightsOffset, int biasOffset, int multOffset, int shiftOffset, int qCount, int actMin, int actMax, int flags,
            int kernel, int stride, int dilation, int padLeft, int depthMultiplier)
        {
            int[] p = ConvGeometry.EncodeQuantized(ParamCount, weightsOffset, biasOffset, multOffset, shiftOffset, qCount, actMin, actMax, flags);
            Conv1D.EncodeGeometry(p, kernel, stride, dilation, padLeft);
            p[PDepthMultiplier] = depthMultiplier;
            return p;
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 1, ParamCount);
            Tensor x = m.In(op, 0), y = m.Out(op);
            if (x.DType != DType.Int8 || y.DType != DType.Int8)
                throw m.OpError(op, ErrorCodes.BadDType, "input and output must be int8, are " + DType.Name(x.DType) + " and " + DType.Name(y.DType));
            ConvGeometry.CheckIo(m, op, x, y, 3);
            int k = m.Param(op, PKernel, 1, ConvGeometry.MaxExtent, "kernel");
            int s = m.Param(op, PStride, 1, ConvGeometry.MaxExtent, "stride");
            int d = m.Param(op, PDilation, 1, ConvGeometry.MaxExtent, "dilation");
            int pl = m.Param(op, PPadLeft, 0, ConvGeometry.MaxExtent, "pad_left");
            int dm = m.Param(op, PDepthMultiplier, 1, ConvGeometry.MaxExtent, "depth_multiplier");
            if ((long)x.Channels * dm != y.Channels)
                throw m.OpError(op, ErrorCodes.ShapeMismatch, "output channels " + y.Channels + " must be input channels " + x.Channels + " × depth_multiplier " + dm);
            ConvGeometry.CheckAxis(m, op, "width", x.Width, k, s, d, pl, y.Width);
            int cout = y.Channels;
            bool folded = ConvGeometry.ReadFlags(m, op, false);
            ConvData data = ConvData.Geometry(x.Batch, 1, x.Width, x.Channels, 1, y.Width, cout, 1, k, 1, s, 1, d, 0, pl, dm);
            data.WeightsOffset = m.ConstRef(op, PWeights, ConvGeometry.Product(m, op, k, cout, 1, 1, "weights size"), 1, "weights");
            ConvGeometry.PrepareIo(m, op, data, x, y);
            ConvGeometry.PrepareBiasInt8(m, op, data, folded, cout, k, 1, cout);
            ConvGeometry.PrepareRequant(m, op, data, cout, 30);
            // Packed positions (see the summary): LaneChunk = k marks it on, the window holds W.
            if (y.Width >= 2 && ConvLanes.ChunksFit(m.Blob, data.WeightsOffset, cout, k, 1, cout, k))
            {
                data.LaneChunk = k;
                data.Lanes = m.Lanes(d * (k - 1) + 2 * s + 1);
            }
            op.Data = data;
            op.Macs = (long)y.ElementCount * k;
            // Slices: one unit = one channel over a run of positions (a whole row when it fits GroupCap, else
            // equal runs of a multiple of 3), so a Step packs a channel's taps once per run and keeps the
            // triples, instead of once per Step and block (units of single outputs cost 1.4× Invoke).
            int g = OpSlices.GroupSize(y.Width, y.Width, k, OpSlices.DepthwiseMac);
            int runs = (y.Width + g - 1) / g;
            g = (y.Width + runs - 1) / runs;
            if (runs > 1 && g % 3 != 0) g += 3 - g % 3;
            data.SliceGroup = g;
            OpSlices.SetGrouped(op, x.Batch, y.Width, cout, g, k, OpSlices.DepthwiseMac);
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            ConvData d = (ConvData)op.Data;
            EvalInt8(d, m.Blob, arena, 0, d.Batches * d.OutW, 0, d.OutC);
        }

        /// <summary>Position runs [g0, g1) (OpSlices.SetGrouped, runs of SliceGroup positions of a row), channels [c0, c1): a slice.</summary>
        public static void EvalBlock(Model m, Op op, sbyte[] arena, int g0, int g1, int c0, int c1)
        {
            ConvData d = (ConvData)op.Data;
            int group = d.SliceGroup, outW = d.OutW;
            EvalInt8(d, m.Blob, arena, OpSlices.GroupStart(g0, outW, group), OpSlices.GroupStart(g1, outW, group), c0, c1);
        }

        /// <summary>EvalInt8 over the whole output.</summary>
        public static void EvalInt8(ConvData d, byte[] w, sbyte[] a)
        {
            EvalInt8(d, w, a, 0, d.Batches * d.OutW, 0, d.OutC);
        }

        /// <summary>
        /// The int8 kernel over positions [p0, p1) and output channels [c0, c1), channel by channel.
        /// cd.BiasInterior: folded bias (interior), cd.BiasBorder: true bias (ConvGeometry.SplitBias with
        /// ocStride 1, tapStride C·dm); H = Ho = Kh = 1. Output channel oc reads input channel oc / dm.
        /// Runs of two or three positions of a row take the packed path when cd.LaneChunk ≠ 0.
        /// </summary>
        public static void EvalInt8(ConvData cd, byte[] w, sbyte[] a, int p0, int p1, int c0, int c1)
        {
            int inW = cd.InW, c = cd.InC;
            int outW = cd.OutW, cout = cd.OutC;
            int k = cd.Kw, s = cd.StrideW, d = cd.DilW, pl = cd.PadLeft;
            int dm = cd.DepthMultiplier;
            int xLo = cd.InteriorXLo, xHi = cd.InteriorXHi;
            int wOff = cd.WeightsOffset, xOff = cd.XOffset, yOff = cd.YOffset;
            int[] biasIn = cd.BiasInterior, biasBorder = cd.BiasBorder, mult = cd.Multiplier, shift = cd.Shift;
            int xZero = cd.XZero, yZero = cd.YZero, actMin = cd.ActMin, actMax = cd.ActMax;
            long[] wl = cd.LaneChunk != 0 && cd.Lanes != null ? cd.Lanes.Values : null;

            int tapStep = d * c;
            int span2 = d * (k - 1) + s + 1, span3 = span2 + s;
            int b0 = p0 / outW;
            int ox0 = p0 - b0 * outW;
            int c2 = 2 * c, c3 = 3 * c, c4 = 4 * c;
            for (int oc = c0; oc < c1; oc++)
            {
                int bIn = biasIn[oc];
                // The packed sums start at ConvLanes.LaneBias (2^20 per lane, see there): taken off here.
                int bLane = bIn - (1 << 20);
                // Requant's one-rounding form: the channel's constants.
                int sh = shift[oc], left = sh > 0 ? sh : 0, t = 31 - sh + left;
                long m = mult[oc];
                long kp = 1L << (t - 1), kn = kp;
                if (sh < 0)
                {
                    kp += 1L << 30;
                    kn -= 1L << 30;
                }
                if (wl != null)
                {
                    System.Array.Clear(wl, 0, span3);
                    for (int tap = 0, wi = wOff + oc; tap < k; tap++, wi += cout)
                    {
                        long wt = (sbyte)w[wi];
                        int j = d * tap;
                        wl[j] += wt;
                        wl[j + s] += wt << 21;
                        wl[j + 2 * s] += wt << 42;
                    }
                }
                int ox = ox0;
                int xb = xOff + b0 * inW * c + (dm == 1 ? oc : oc / dm);
                int yp = yOff + p0 * cout + oc;
                int p = p0;
                while (p < p1)
                {
                    if (ox == outW)
                    {
                        ox = 0;
                        xb += inW * c;
                    }
                    int ix0 = ox * s - pl;
                    int acc;
                    int n = outW - ox;
                    if (n > p1 - p) n = p1 - p;
                    if (wl != null && n >= 2)
                    {
                        // Two or three positions: one multiply per input; taps in the padding read as x_zp
                        // (with the folded bias their x_zp·w cancels, as ConvLanes.Gather3Padded).
                        if (n > 3) n = 3;
                        int end = n == 3 ? span3 : span2;
                        int xi = xb + ix0 * c;
                        long sum = ConvLanes.LaneBias;
                        int j = 0;
                        if (ox >= xLo && ox + n <= xHi)
                        {
                            // Four inputs a trip (one bound check and two index steps per four).
                            for (int end4 = end - 3; j < end4; j += 4)
                            {
                                sum += a[xi] * wl[j] + a[xi + c] * wl[j + 1] + a[xi + c2] * wl[j + 2] + a[xi + c3] * wl[j + 3];
                                xi += c4;
                            }
                            for (; j < end; j++, xi += c) sum += a[xi] * wl[j];
                        }
                        else
                            for (int ix = ix0; j < end; j++, ix++, xi += c)
                                sum += (ix >= 0 && ix < inW ? a[xi] : xZero) * wl[j];
                        acc = bLane + (int)(sum & ConvLanes.LaneMask);
                        int v = yZero + (int)(((acc << left) * m + (acc < 0 ? kn : kp)) >> t);
                        if (v < actMin) v = actMin;
                        if (v > actMax) v = actMax;
                        a[yp] = (sbyte)v;
                        acc = bLane + (int)((sum >> 21) & ConvLanes.LaneMask);
                        v = yZero + (int)(((acc << left) * m + (acc < 0 ? kn : kp)) >> t);
                        if (v < actMin) v = actMin;
                        if (v > actMax) v = actMax;
                        a[yp + cout] = (sbyte)v;
                        if (n == 3)
                        {
                            acc = bLane + (int)(sum >> 42);
                            v = yZero + (int)(((acc << left) * m + (acc < 0 ? kn : kp)) >> t);
                            if (v < actMin) v = actMin;
                            if (v > actMax) v = actMax;
                            a[yp + 2 * cout] = (sbyte)v;
                        }
                        p += n;
                        ox += n;
                        yp += n * cout;
                        continue;
                    }
                    if (ox >= xLo && ox < xHi)
                    {
                        // Interior: raw inputs, folded bias.
                        acc = bIn;
                        int xq = xb + ix0 * c;
                        for (int tap = 0, wi = wOff + oc; tap < k; tap++, wi += cout)
                        {
                            acc += a[xq] * (sbyte)w[wi];
                            xq += tapStep;
                        }
                    }
                    else
                    {
                        // Border: only the taps inside the input, (x − x_zp), true bias.
                        int k0 = ConvGeometry.FirstTap(ix0, d), k1 = ConvGeometry.EndTap(ix0, d, inW, k);
                        acc = biasBorder[oc];
                        int xq = xb + (ix0 + d * k0) * c;
                        for (int tap = k0, wi = wOff + k0 * cout + oc; tap < k1; tap++, wi += cout)
                        {
                            acc += (a[xq] - xZero) * (sbyte)w[wi];
                            xq += tapStep;
                        }
                    }
                    int y = yZero + (int)(((acc << left) * m + (acc < 0 ? kn : kp)) >> t);
                    if (y < actMin) y = actMin;
                    if (y > actMax) y = actMax;
                    a[yp] = (sbyte)y;
                    p++;
                    ox++;
                    yp += cout;
                }
            }
        }
    }
}
