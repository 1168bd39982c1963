using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// DEPTHWISE_CONV_16: DEPTHWISE_CONV_2D with int16 activations, int8 weights and int64 biases, TFLite's
    /// 16×8 semantics (reference_integer_ops::DepthwiseConvPerChannel for int16 input). Zero points are 0. For
    /// batch b, output (oy, ox), input channel ic and m &lt; depth_multiplier, output channel oc = ic·dm + m:
    ///   acc = bias[oc] + Σ_{ky,kx, tap inside} x[b, oy·sh − pad_top + dh·ky, ox·sw − pad_left + dw·kx, ic] · w[ky, kx, oc]   (64-bit)
    ///   y[b, oy, ox, oc] = clamp(MBQM64(acc, mult[oc], shift[oc]), act_min, act_max)
    /// MBQM64 is TFLite's 64-bit MultiplyByQuantizedMultiplier (FixedPoint: the Q31 multiplier rounded to Q15,
    /// one rounding shift by 15 − shift; shifts −31..7). Taps in the padding are skipped (they would add 0).
    /// Weights int8 [Kh][Kw][C·dm], read in place. Params: DEPTHWISE_CONV_2D's 17 (DepthwiseConv2D.Encode);
    /// flags 0. Kept apart from the int8 kernel so that kernel's fast paths stay as they are.
    /// </summary>
    public static class DepthwiseConv16
    {
        public const int ParamCount = DepthwiseConv2D.ParamCount;

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 1, ParamCount);
            Tensor x = m.In(op, 0), y = m.Out(op);
            if (x.DType != DType.Int16 || y.DType != DType.Int16)
                throw m.OpError(op, ErrorCodes.BadDType, "input and output must be int16, are " + DType.Name(x.DType) + " and " + DType.Name(y.DType));
            ConvGeometry.CheckIo(m, op, x, y, 4);
            int kh = m.Param(op, DepthwiseConv2D.PKh, 1, ConvGeometry.MaxExtent, "kh");
            int kw = m.Param(op, DepthwiseConv2D.PKw, 1, ConvGeometry.MaxExtent, "kw");
            int sh = m.Param(op, DepthwiseConv2D.PStrideH, 1, ConvGeometry.MaxExtent, "stride_h");
            int sw = m.Param(op, DepthwiseConv2D.PStrideW, 1, ConvGeometry.MaxExtent, "stride_w");
            int dh = m.Param(op, DepthwiseConv2D.PDilH, 1, ConvGeometry.MaxExtent, "dilation_h");
            int dw = m.Param(op, DepthwiseConv2D.PDilW, 1, ConvGeometry.MaxExtent, "dilation_w");
            int pt = m.Param(op, DepthwiseConv2D.PPadTop, 0, ConvGeometry.MaxExtent, "pad_top");
            int pl = m.Param(op, DepthwiseConv2D.PPadLeft, 0, ConvGeometry.MaxExtent, "pad_left");
            int dm = m.Param(op, DepthwiseConv2D.PDepthMultiplier, 1, ConvGeometry.MaxExtent, "depth_multiplier");
            if ((long)x.Channels * dm != y.Channels)
                throw m.OpError(op, ErrorCodes.ShapeMismatch, "output channels " + y.Channels + " must be input channels " + x.Channels + " × depth_multiplier " + dm);
            ConvGeometry.CheckAxis(m, op, "height", x.Height, kh, sh, dh, pt, y.Height);
            ConvGeometry.CheckAxis(m, op, "width", x.Width, kw, sw, dw, pl, y.Width);
            int cout = y.Channels;
            ConvGeometry.ReadFlags(m, op, true);
            long taps = ConvGeometry.Product(m, op, kh, kw, 1, 1, "kernel size");
            ConvData data = ConvData.Geometry(x.Batch, x.Height, x.Width, x.Channels, y.Height, y.Width, cout, kh, kw, sh, sw, dh, dw, pt, pl, dm);
            data.WeightsOffset = m.ConstRef(op, DepthwiseConv2D.PWeights, ConvGeometry.Product(m, op, kh, kw, cout, 1, "weights size"), 1, "weights");
            ConvGeometry.PrepareIo(m, op, data, x, y);
            data.Bias64 = m.ConstInt64(op, DepthwiseConv2D.PBias, cout, "bias");
            ConvGeometry.PrepareRequant(m, op, data, cout, 7);
            op.Data = data;
            op.Macs = (long)y.ElementCount * taps;
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            EvalInt16((ConvData)op.Data, m.Blob, arena);
        }

        /// <summary>The whole output: int16 activations little-endian in the arena (offsets below count bytes).</summary>
        public static void EvalInt16(ConvData c, byte[] w, sbyte[] a)
        {
            int inH = c.InH, inW = c.InW, cin = c.InC;
            int outH = c.OutH, outW = c.OutW, cout = c.OutC;
            int kh = c.Kh, kw = c.Kw, sh = c.StrideH, sw = c.StrideW;
            int dh = c.DilH, dw = c.DilW, pt = c.PadTop, pl = c.PadLeft, dm = c.DepthMultiplier;
            int wOff = c.WeightsOffset, xOff = c.XOffset, yp = c.YOffset, actMin = c.ActMin, actMax = c.ActMax;
            long[] bias = c.Bias64;
            int[] mult = c.Multiplier, shift = c.Shift;

            int rowStride = 2 * inW * cin;
            int tapStepY = dh * rowStride;
            int tapStepX = 2 * dw * cin;
            int wRow = kw * cout;
            for (int b = 0; b < c.Batches; b++)
            {
                int xb = xOff + b * inH * rowStride;
                for (int oy = 0; oy < outH; oy++)
                {
                    int iy0 = oy * sh - pt;
                    int ky0 = ConvGeometry.FirstTap(iy0, dh), ky1 = ConvGeometry.EndTap(iy0, dh, inH, kh);
                    for (int ox = 0; ox < outW; ox++)
                    {
                        int ix0 = ox * sw - pl;
                        int kx0 = ConvGeometry.FirstTap(ix0, dw), kx1 = ConvGeometry.EndTap(ix0, dw, inW, kw);
                        // First inside tap of input channel 0, and its weight for output channel 0.
                        int xTap0 = xb + (iy0 + dh * ky0) * rowStride + 2 * (ix0 + dw * kx0) * cin;
                        int wTap0 = wOff + ky0 * wRow + kx0 * cout;
                        for (int oc = 0; oc < cout; oc++)
                        {
                            long acc = bias[oc];
                            int xr = xTap0 + 2 * (oc / dm);
                            int wr = wTap0 + oc;
                            for (int ky = ky0; ky < ky1; ky++)
                            {
                                int xi = xr, wi = wr;
                                for (int kx = kx0; kx < kx1; kx++)
                                {
                                    acc += ((a[xi] & 0xFF) | (a[xi + 1] << 8)) * (sbyte)w[wi];
                                    xi += tapStepX;
                                    wi += cout;
                                }
                                xr += tapStepY;
                                wr += wRow;
                            }
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
    }
}
