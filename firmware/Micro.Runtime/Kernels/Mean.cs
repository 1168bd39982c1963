using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// MEAN over the spatial axes (global average pooling), TFLite int8 semantics
    /// (reference_ops::QuantizedMeanOrSum, as TFLM's MEAN runs it). Params: mult, shift =
    /// QuantizeMultiplier(x_scale / y_scale), act_min, act_max. With n = H·W values per channel, Prepare
    /// folds 1/n into the multiplier exactly as TFLite does:
    ///   s = min(floor(log2 n), 32, 31 + shift);  mult' = (mult · 2^s) / n (int64, truncated);  shift' = shift − s
    /// and Eval computes per batch and channel
    ///   y = clamp(y_zp + MultiplyByQuantizedMultiplier(Σ x − x_zp·n, mult', shift'), act_min, act_max).
    /// (TFLite clamps to the int8 range; the host writes −128..127 unless it fuses a clamp.)
    /// Input int8 [N,W,C] or [N,H,W,C]; output int8 [N,C], [N,1,C] (from rank 3) or [N,1,1,C] (from rank 4).
    /// Prepared state: MeanData. Macs = input elements. The sum runs four positions a trip; the
    /// requantization is Requant's one-rounding form written out (no call per output).
    /// </summary>
    public static class Mean
    {
        public const int PMult = 0, PShift = 1, PActMin = 2, PActMax = 3, ParamCount = 4;


        /// <summary>The op record's params, for every writer (the blob writers call this; Prepare reads the same P* indices). </summary>
        public static int[] Encode(int mult, int shift, int actMin, int actMax)
        {
            int[] p = new int[ParamCount];
            p[PMult] = mult;
            p[PShift] = shift;
            p[PActMin] = actMin;
            p[PActMax] = actMax;
            return p;
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 1, ParamCount);
            Tensor x = m.In(op, 0), y = m.Out(op);
            if (x.DType != DType.Int8 || y.DType != DType.Int8)
                throw m.OpError(op, ErrorCodes.BadDType, "needs int8 input and output, has " + DType.Name(x.DType) + " → " + DType.Name(y.DType));
            if (x.Rank != 3 && x.Rank != 4)
                throw m.OpError(op, ErrorCodes.ShapeMismatch, "needs a rank-3 NWC or rank-4 NHWC input, has rank " + x.Rank);
            bool outputOk = (y.Rank == 2 || y.Rank == x.Rank) && y.Batch == x.Batch && y.Channels == x.Channels && y.ElementCount == x.Batch * x.Channels;
            if (!outputOk)
                throw m.OpError(op, ErrorCodes.ShapeMismatch, "output must be [N,C] or the input shape with spatial dims 1 (N=" + x.Batch + ", C=" + x.Channels + ")");
            int mult = m.Param(op, PMult, 0, int.MaxValue, "mult");
            int shift = m.Param(op, PShift, -31, 30, "shift");
            m.CheckActivationRange(op, PActMin);
            int n = x.Height * x.Width;
            int foldedShift;
            int foldedMult = FoldCount(mult, shift, n, out foldedShift);
            MeanData d = new MeanData();
            d.XOffset = x.ArenaOffset;
            d.YOffset = y.ArenaOffset;
            d.Batches = x.Batch;
            d.Spatial = n;
            d.Channels = x.Channels;
            d.XZero = x.ZeroPoint;
            d.YZero = y.ZeroPoint;
            d.FoldedMult = foldedMult;
            d.FoldedShift = foldedShift;
            d.ActMin = op.Params[PActMin];
            d.ActMax = op.Params[PActMax];
            op.Data = d;
            op.Macs = x.ElementCount;
            OpSlices.Set(op, y.ElementCount, n, OpSlices.PoolTap, OpSlices.PerOutput);
        }

        /// <summary>
        /// TFLite's folding of 1/count into (mult, shift) (count ≥ 1, shift ≥ −31): returns mult', sets shift'.
        /// </summary>
        public static int FoldCount(int mult, int shift, int count, out int foldedShift)
        {
            int s = 31 - GemmlowpFixedPoint.CountLeadingZeros((uint)count); // floor(log2 count)
            if (s > 32) s = 32;
            if (s > 31 + shift) s = 31 + shift;
            foldedShift = shift - s;
            return (int)(((long)mult << s) / count);
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            MeanData d = (MeanData)op.Data;
            EvalInt8(d, arena, 0, d.Batches, 0, d.Channels);
        }

        /// <summary>Batches [b0, b1), channels [c0, c1): a slice (OpSlices; a position is a batch).</summary>
        public static void EvalBlock(Model m, Op op, sbyte[] arena, int b0, int b1, int c0, int c1)
        {
            EvalInt8((MeanData)op.Data, arena, b0, b1, c0, c1);
        }

        /// <summary>EvalInt8 over the whole output.</summary>
        public static void EvalInt8(MeanData d, sbyte[] a)
        {
            EvalInt8(d, a, 0, d.Batches, 0, d.Channels);
        }

        /// <summary>
        /// Mean of `spatial` values per batch and channel (NHWC with H·W = spatial), with the folded
        /// multiplier and shift; batches [b0, b1), channels [c0, c1).
        /// </summary>
        public static void EvalInt8(MeanData d, sbyte[] a, int b0, int b1, int c0, int c1)
        {
            int xOff = d.XOffset, yOff = d.YOffset, batches = d.Batches, spatial = d.Spatial, channels = d.Channels;
            int xZero = d.XZero, yZero = d.YZero, foldedMult = d.FoldedMult, foldedShift = d.FoldedShift, actMin = d.ActMin, actMax = d.ActMax;
            int zeroSum = xZero * spatial;
            // Requant's one-rounding form of MultiplyByQuantizedMultiplier, the constants once (per tensor).
            int left = Requant.Left(foldedShift), t = Requant.Total(foldedShift);
            long m = foldedMult, kp = Requant.Round(foldedShift, false), kn = Requant.Round(foldedShift, true);
            int step4 = 4 * channels, end4 = spatial & ~3;
            for (int b = b0; b < b1; b++)
            {
                int xb = xOff + b * spatial * channels;
                int yb = yOff + b * channels;
                for (int c = c0; c < c1; c++)
                {
                    int sum = 0;
                    int p = xb + c, p2 = p + channels, p3 = p2 + channels, p4 = p3 + channels;
                    int i = 0;
                    // Four positions a trip, each its own running index (no index arithmetic in the sum).
                    for (; i < end4; i += 4)
                    {
                        sum += a[p] + a[p2] + a[p3] + a[p4];
                        p += step4;
                        p2 += step4;
                        p3 += step4;
                        p4 += step4;
                    }
                    for (; i < spatial; i++)
                    {
                        sum += a[p];
                        p += channels;
                    }
                    sum -= zeroSum;
                    int v = yZero + (int)(((sum << left) * m + (sum < 0 ? kn : kp)) >> t);
                    if (v < actMin) v = actMin;
                    if (v > actMax) v = actMax;
                    a[yb + c] = (sbyte)v;
                }
            }
        }
    }

    /// <summary>Prepared state of MEAN: n = H·W values per channel, 1/n folded into (FoldedMult, FoldedShift).</summary>
    public sealed class MeanData
    {
        public int XOffset, YOffset, Batches, Spatial, Channels, XZero, YZero, FoldedMult, FoldedShift, ActMin, ActMax;
    }
}
