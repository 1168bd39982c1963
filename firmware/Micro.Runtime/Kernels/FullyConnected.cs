using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// FULLY_CONNECTED, TFLite int8 semantics. For each batch b and output o:
    ///   acc = bias[o] + Σ_k (x[b,k] − x_zp) · w[o,k]
    ///   y[b,o] = clamp(y_zp + MultiplyByQuantizedMultiplier(acc, mult[o], shift[o]), act_min, act_max)
    /// With the bias-folded flag the host stored bias'[o] = bias[o] − x_zp·Σ_k w[o,k], so the loop multiplies
    /// raw inputs (one subtraction fewer per MAC; exact, as int32 wraps the same either way).
    /// Int16 activations (16×8): x_zp = y_zp = 0, int64 bias and accumulator, 64-bit requantization.
    /// Weights int8 row-major [M][K], read in place from the blob.
    /// </summary>
    public static class FullyConnected
    {
        public const int PWeights = 0, PBias = 1, PMult = 2, PShift = 3, PQCount = 4, PActMin = 5, PActMax = 6, PFlags = 7, ParamCount = 8;


        /// <summary>The op record's params, for every writer (the blob writers call this; Prepare reads the same P* indices). Offsets are relative to the constant data.</summary>
        public static int[] Encode(int weightsOffset, int biasOffset, int multOffset, int shiftOffset, int qCount, int actMin, int actMax, int flags)
        {
            return ConvGeometry.EncodeQuantized(ParamCount, weightsOffset, biasOffset, multOffset, shiftOffset, qCount, actMin, actMax, flags);
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 1, ParamCount);
            Tensor x = m.In(op, 0), y = m.Out(op);
            if (x.DType != y.DType) throw m.OpError(op, ErrorCodes.BadDType, "input " + DType.Name(x.DType) + " and output " + DType.Name(y.DType) + " differ");
            int outputs = y.Dims[y.Rank - 1];
            int batches = y.ElementCount / outputs;
            if (x.ElementCount % batches != 0) throw m.OpError(op, ErrorCodes.ShapeMismatch, "input of " + x.ElementCount + " elements does not split into " + batches + " batches");
            int depth = x.ElementCount / batches;
            int flags = op.Params[PFlags];
            if ((flags & ~BlobLayout.FlagBiasFolded) != 0) throw m.OpError(op, ErrorCodes.BadOpParams, "unknown flags " + flags);
            FullyConnectedData d = new FullyConnectedData();
            d.WeightsOffset = m.ConstRef(op, PWeights, (long)outputs * depth, 1, "weights");
            Requant r;
            if (x.DType == DType.Int16)
            {
                if ((flags & BlobLayout.FlagBiasFolded) != 0) throw m.OpError(op, ErrorCodes.BadOpParams, "int16 ops have zero points 0: nothing to fold");
                d.Bias64 = m.ConstInt64(op, PBias, outputs, "bias");
                r = m.ReadRequant(op, PMult, outputs, 7);
            }
            else
            {
                d.Bias = m.ConstInt32(op, PBias, outputs, "bias");
                r = m.ReadRequant(op, PMult, outputs, 30);
            }
            d.Multiplier = r.Multiplier;
            d.Shift = r.Shift;
            m.CheckActivationRange(op, PActMin);
            d.ActMin = op.Params[PActMin];
            d.ActMax = op.Params[PActMax];
            d.Batches = batches;
            d.Depth = depth;
            d.Outputs = outputs;
            d.XOffset = x.ArenaOffset;
            d.YOffset = y.ArenaOffset;
            d.XZero = (flags & BlobLayout.FlagBiasFolded) != 0 ? 0 : x.ZeroPoint;
            d.YZero = y.ZeroPoint;
            op.Data = d;
            op.Macs = (long)batches * depth * outputs;
            OpSlices.Set(op, batches * outputs, depth, x.DType == DType.Int16 ? OpSlices.Int16Mac : OpSlices.PlainMac, OpSlices.PerOutput);
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            FullyConnectedData d = (FullyConnectedData)op.Data;
            EvalBlock(m, op, arena, 0, d.Batches, 0, d.Outputs);
        }

        /// <summary>Batch rows [b0, b1), outputs [o0, o1): a slice (OpSlices; a position is a batch row).</summary>
        public static void EvalBlock(Model m, Op op, sbyte[] arena, int b0, int b1, int o0, int o1)
        {
            FullyConnectedData d = (FullyConnectedData)op.Data;
            if (d.Bias64 != null) EvalInt16(d, m.Blob, arena, b0, b1, o0, o1);
            else EvalInt8(d, m.Blob, arena, b0, b1, o0, o1);
        }

        /// <summary>EvalInt8 over the whole output.</summary>
        public static void EvalInt8(FullyConnectedData d, byte[] w, sbyte[] a)
        {
            EvalInt8(d, w, a, 0, d.Batches, 0, d.Outputs);
        }

        /// <summary>
        /// The int8 kernel (d.XZero = 0 when the bias is folded). Four output rows per pass
        /// share each input load (x − x_zp taken once for the four): 5 array loads per 4 MACs instead of 8,
        /// no extra memory. The last outputs mod 4 take one row at a time. Batch rows [b0, b1), outputs [o0, o1).
        /// </summary>
        public static void EvalInt8(FullyConnectedData d, byte[] w, sbyte[] a, int b0, int b1, int o0, int o1)
        {
            int wOff = d.WeightsOffset, xOff = d.XOffset, yOff = d.YOffset, batches = d.Batches, depth = d.Depth, outputs = d.Outputs;
            int xZero = d.XZero, yZero = d.YZero, actMin = d.ActMin, actMax = d.ActMax;
            int[] bias = d.Bias, mult = d.Multiplier, shift = d.Shift;
            int depth2 = depth & ~1;
            for (int b = b0; b < b1; b++)
            {
                int xb = xOff + b * depth;
                int yb = yOff + b * outputs;
                int xEnd = xb + depth, xEnd2 = xb + depth2;
                int wp = wOff + o0 * depth;
                int o = o0;
                for (; o + 3 < o1; o += 4)
                {
                    int acc0 = bias[o], acc1 = bias[o + 1], acc2 = bias[o + 2], acc3 = bias[o + 3];
                    int p0 = wp, p1 = wp + depth, p2 = p1 + depth, p3 = p2 + depth;
                    int xp = xb;
                    while (xp < xEnd2)
                    {
                        int x0 = a[xp] - xZero, x1 = a[xp + 1] - xZero;
                        acc0 += x0 * (sbyte)w[p0] + x1 * (sbyte)w[p0 + 1];
                        acc1 += x0 * (sbyte)w[p1] + x1 * (sbyte)w[p1 + 1];
                        acc2 += x0 * (sbyte)w[p2] + x1 * (sbyte)w[p2 + 1];
                        acc3 += x0 * (sbyte)w[p3] + x1 * (sbyte)w[p3 + 1];
                        xp += 2;
                        p0 += 2;
                        p1 += 2;
                        p2 += 2;
                        p3 += 2;
                    }
                    if (xp < xEnd)
                    {
                        int xv = a[xp] - xZero;
                        acc0 += xv * (sbyte)w[p0];
                        acc1 += xv * (sbyte)w[p1];
                        acc2 += xv * (sbyte)w[p2];
                        acc3 += xv * (sbyte)w[p3];
                    }
                    wp += 4 * depth;
                    Store(a, yb + o, acc0, mult[o], shift[o], yZero, actMin, actMax);
                    Store(a, yb + o + 1, acc1, mult[o + 1], shift[o + 1], yZero, actMin, actMax);
                    Store(a, yb + o + 2, acc2, mult[o + 2], shift[o + 2], yZero, actMin, actMax);
                    Store(a, yb + o + 3, acc3, mult[o + 3], shift[o + 3], yZero, actMin, actMax);
                }
                for (; o < o1; o++)
                {
                    int acc = bias[o];
                    int xp = xb;
                    int end = wp + depth;
                    if (xZero == 0)
                    {
                        int end4 = wp + (depth & ~3);
                        while (wp < end4)
                        {
                            acc += a[xp] * (sbyte)w[wp] + a[xp + 1] * (sbyte)w[wp + 1] + a[xp + 2] * (sbyte)w[wp + 2] + a[xp + 3] * (sbyte)w[wp + 3];
                            xp += 4;
                            wp += 4;
                        }
                        while (wp < end) acc += a[xp++] * (sbyte)w[wp++];
                    }
                    else
                    {
                        while (wp < end) acc += (a[xp++] - xZero) * (sbyte)w[wp++];
                    }
                    // MBQM in Requant's one-rounding form, written out (no call).
                    int qs = shift[o], left = qs > 0 ? qs : 0, t = 31 - qs + left;
                    long rq = 1L << (t - 1);
                    if (qs < 0) rq += acc < 0 ? -(1L << 30) : 1L << 30;
                    int v = yZero + (int)(((acc << left) * (long)mult[o] + rq) >> t);
                    if (v < actMin) v = actMin;
                    if (v > actMax) v = actMax;
                    a[yb + o] = (sbyte)v;
                }
            }
        }

        /// <summary>y = clamp(y_zp + MBQM(acc, m, sh), act_min, act_max) stored at a[y]; MBQM in Requant's one-rounding form.</summary>
        private static void Store(sbyte[] a, int y, int acc, int m, int sh, int yZero, int actMin, int actMax)
        {
            int left = sh > 0 ? sh : 0, t = 31 - sh + left;
            long rq = 1L << (t - 1);
            if (sh < 0) rq += acc < 0 ? -(1L << 30) : 1L << 30;
            int v = yZero + (int)(((acc << left) * (long)m + rq) >> t);
            if (v < actMin) v = actMin;
            if (v > actMax) v = actMax;
            a[y] = (sbyte)v;
        }

        /// <summary>EvalInt16 over the whole output.</summary>
        public static void EvalInt16(FullyConnectedData d, byte[] w, sbyte[] a)
        {
            EvalInt16(d, w, a, 0, d.Batches, 0, d.Outputs);
        }

        /// <summary>The 16×8 kernel over batch rows [b0, b1), outputs [o0, o1): int16 activations (little-endian in the arena), int8 weights, int64 bias.</summary>
        public static void EvalInt16(FullyConnectedData d, byte[] w, sbyte[] a, int b0, int b1, int o0, int o1)
        {
            int wOff = d.WeightsOffset, xOff = d.XOffset, yOff = d.YOffset, batches = d.Batches, depth = d.Depth, outputs = d.Outputs;
            int actMin = d.ActMin, actMax = d.ActMax;
            long[] bias = d.Bias64;
            int[] mult = d.Multiplier, shift = d.Shift;
            for (int b = b0; b < b1; b++)
            {
                int xb = xOff + 2 * b * depth;
                int yb = yOff + 2 * b * outputs;
                int wp = wOff + o0 * depth;
                for (int o = o0; o < o1; o++)
                {
                    long acc = bias[o];
                    int xp = xb;
                    for (int k = 0; k < depth; k++)
                    {
                        int xv = (a[xp] & 0xFF) | (a[xp + 1] << 8);
                        acc += (long)(xv * (sbyte)w[wp++]);
                        xp += 2;
                    }
                    int v = FixedPoint.MultiplyByQuantizedMultiplier(acc, mult[o], shift[o]);
                    if (v < actMin) v = actMin;
                    if (v > actMax) v = actMax;
                    a[yb + 2 * o] = (sbyte)v;
                    a[yb + 2 * o + 1] = (sbyte)(v >> 8);
                }
            }
        }
    }

    /// <summary>
    /// Prepared state of FULLY_CONNECTED: Batches rows of Depth inputs into Outputs outputs; weights in
    /// place at WeightsOffset; int32 Bias (int8, as stored: folded when XZero is 0 by the flag) or int64
    /// Bias64 (int16); per-output requantization; zero points, clamp and arena offsets.
    /// </summary>
    public sealed class FullyConnectedData
    {
        public int WeightsOffset;
        public int[] Bias;
        public long[] Bias64;
        public int[] Multiplier, Shift;
        public int Batches, Depth, Outputs;
        public int XOffset, YOffset, XZero, YZero, ActMin, ActMax;
    }
}
