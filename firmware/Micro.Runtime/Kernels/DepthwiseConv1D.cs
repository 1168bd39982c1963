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
            op.Data = data;
            op.Macs = (long)y.ElementCount * k;
            OpSlices.Set(op, y.ElementCount, k, OpSlices.DepthwiseMac, OpSlices.PerOutput);
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            ConvData d = (ConvData)op.Data;
            EvalInt8(d, m.Blob, arena, 0, d.Batches * d.OutW, 0, d.OutC);
        }

        /// <summary>Output positions [p0, p1) (p = b·Wo + ox), channels [c0, c1): a slice (OpSlices).</summary>
        public static void EvalBlock(Model m, Op op, sbyte[] arena, int p0, int p1, int c0, int c1)
        {
            EvalInt8((ConvData)op.Data, m.Blob, arena, p0, p1, c0, c1);
        }

        /// <summary>EvalInt8 over the whole output.</summary>
        public static void EvalInt8(ConvData d, byte[] w, sbyte[] a)
        {
            EvalInt8(d, w, a, 0, d.Batches * d.OutW, 0, d.OutC);
        }

        /// <summary>
        /// The int8 kernel over positions [p0, p1) and output channels [c0, c1). cd.BiasInterior: folded bias
        /// (interior), cd.BiasBorder: true bias (ConvGeometry.SplitBias with ocStride 1, tapStride C·dm);
        /// H = Ho = Kh = 1. Output channel oc reads input channel oc / dm.
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

            int tapStep = d * c;
            int b = p0 / outW;
            int ox = p0 - b * outW;
            int xb = xOff + b * inW * c;
            for (int p = p0; p < p1; p++, ox++)
            {
                if (ox == outW)
                {
                    ox = 0;
                    xb += inW * c;
                }
                int ix0 = ox * s - pl;
                int yp = yOff + p * cout + c0;
                if (ox >= xLo && ox < xHi)
                {
                    // Interior: raw inputs, folded bias.
                    int xp0 = xb + ix0 * c;
                    for (int oc = c0; oc < c1; oc++)
                    {
                        int acc = biasIn[oc];
                        int wi = wOff + oc;
                        int xi = xp0 + (dm == 1 ? oc : oc / dm);
                        for (int t = 0; t < k; t++)
                        {
                            acc += a[xi] * (sbyte)w[wi];
                            xi += tapStep;
                            wi += cout;
                        }
                        int v = yZero + FixedPoint.MultiplyByQuantizedMultiplier(acc, mult[oc], shift[oc]);
                        if (v < actMin) v = actMin;
                        if (v > actMax) v = actMax;
                        a[yp++] = (sbyte)v;
                    }
                    continue;
                }

                // Border: only the taps inside the input, (x − x_zp), true bias.
                int k0 = ConvGeometry.FirstTap(ix0, d), k1 = ConvGeometry.EndTap(ix0, d, inW, k);
                int xStart = xb + (ix0 + d * k0) * c;
                int wStart = wOff + k0 * cout;
                for (int oc = c0; oc < c1; oc++)
                {
                    int acc = biasBorder[oc];
                    int xi = xStart + (dm == 1 ? oc : oc / dm);
                    int wi = wStart + oc;
                    for (int t = k0; t < k1; t++)
                    {
                        acc += (a[xi] - xZero) * (sbyte)w[wi];
                        xi += tapStep;
                        wi += cout;
                    }
                    int v = yZero + FixedPoint.MultiplyByQuantizedMultiplier(acc, mult[oc], shift[oc]);
                    if (v < actMin) v = actMin;
                    if (v > actMax) v = actMax;
                    a[yp++] = (sbyte)v;
                }
            }
        }
    }
}
