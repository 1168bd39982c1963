using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// What the four convolution kernels share: the output-size rule, the interior/border split (kept in
    /// ConvData), the two biases, and the layout of their first eight params.
    ///
    /// Output-size rule (per spatial axis; n = input size, k = kernel, s = stride, d = dilation,
    /// ek = d·(k − 1) + 1 the effective kernel, pad = pad_top or pad_left, o = output size):
    ///   o = floor((n + pad + pad_end − ek) / s) + 1 for some pad_end in 0..ek − 1, with 0 ≤ pad ≤ ek − 1.
    /// Equivalently the implied pad_end = (o − 1)·s + ek − n − pad lies in −(s − 1)..ek − 1 (a negative
    /// value means the last s − 1 or fewer input rows are unused, as in VALID). This accepts exactly what
    /// TFLite's VALID and SAME give, and explicit paddings such as causal (pad = ek − 1, pad_end = 0);
    /// it refuses output sizes with a window lying wholly in padding. Every tap of every output then lies
    /// in [−pad, n + ek − 1); kernels skip the taps outside [0, n) (TFLite: padded taps contribute
    /// nothing, as if the input there were its zero point).
    ///
    /// Biases (int8): an output position is interior when all its taps are inside the input. There the
    /// kernel multiplies raw inputs and adds the folded bias b_in = bias − x_zp·Σ_all w; at border
    /// positions it computes Σ over the inside taps of (x − x_zp)·w and adds the true bias. Both biases
    /// are made at Prepare from whichever one the blob stored (flag bit 0). All sums wrap in int32, so
    /// both are exact modulo 2^32, as TFLite's int32 accumulator.
    /// </summary>
    public static class ConvGeometry
    {
        /// <summary>
        /// The first eight params of every convolution, in this order (docs/blob-format.md): weights, bias,
        /// multipliers and shifts (constant offsets), q_count, act_min, act_max, flags. Each kernel names
        /// them as its own P* constants; its geometry params follow from PGeometry.
        /// </summary>
        public const int PWeights = 0, PBias = 1, PMult = 2, PShift = 3, PQCount = 4, PActMin = 5, PActMax = 6, PFlags = 7, PGeometry = 8;

        /// <summary>
        /// The params of a quantized FC or convolution op, count slots long, with the eight slots they share
        /// (PWeights..PFlags) written; the kernel's own Encode fills its geometry from PGeometry on.
        /// </summary>
        public static int[] EncodeQuantized(int count, int weightsOffset, int biasOffset, int multOffset, int shiftOffset, int qCount, int actMin, int actMax, int flags)
        {
            int[] p = new int[count];
            p[PWeights] = weightsOffset;
            p[PBias] = biasOffset;
            p[PMult] = multOffset;
            p[PShift] = shiftOffset;
            p[PQCount] = qCount;
            p[PActMin] = actMin;
            p[PActMax] = actMax;
            p[PFlags] = flags;
            return p;
        }

        /// <summary>Largest kernel, stride, dilation, padding and effective kernel accepted (= largest tensor dim).</summary>
        public const int MaxExtent = 65535;

        /// <summary>
        /// Null when output size `o` follows from the rule above for this axis, else why not. Kernel,
        /// stride and dilation must be ≥ 1, pad ≥ 0 (the caller checked).
        /// </summary>
        public static string AxisError(string axis, int n, int k, int s, int d, int pad, int o)
        {
            long ek = (long)d * (k - 1) + 1;
            if (ek > MaxExtent)
                return axis + ": effective kernel dilation·(kernel−1)+1 = " + ek + " exceeds " + MaxExtent;
            if (pad >= ek)
                return axis + ": padding " + pad + " must be smaller than the effective kernel " + ek;
            long padEnd = (long)(o - 1) * s + ek - n - pad;
            if (padEnd < -(long)(s - 1) || padEnd > ek - 1)
                return axis + ": output size " + o + " does not follow from input " + n + ", kernel " + k + ", stride " + s
                    + ", dilation " + d + ", padding " + pad + " (it implies end padding " + padEnd + ", allowed "
                    + (1 - s) + ".." + (ek - 1) + ")";
            return null;
        }

        /// <summary>Prepare-time check of one axis; throws the rule's message as a BlobFormatException.</summary>
        public static void CheckAxis(PrepareContext m, Op op, string axis, int n, int k, int s, int d, int pad, int o)
        {
            string e = AxisError(axis, n, k, s, d, pad, o);
            if (e != null) throw m.OpError(op, ErrorCodes.ShapeMismatch, e);
        }

        /// <summary>Product of four counts (each ≤ 65535) as a long; fails above int.MaxValue instead of overflowing.</summary>
        public static long Product(PrepareContext m, Op op, int a, int b, int c, int d, string what)
        {
            long p = (long)a * b;
            if (p <= int.MaxValue) p *= c;
            if (p <= int.MaxValue) p *= d;
            if (p > int.MaxValue) throw m.OpError(op, ErrorCodes.BadOpParams, what + " is too large");
            return p;
        }

        /// <summary>First output index whose taps along this axis all lie at or after 0: ceil(pad / s), at most o.</summary>
        public static int InteriorLo(int pad, int s, int o)
        {
            int lo = (pad + s - 1) / s;
            return lo < o ? lo : o;
        }

        /// <summary>One past the last output index whose last tap lies before n (never below InteriorLo).</summary>
        public static int InteriorHi(int n, int k, int s, int d, int pad, int o)
        {
            int lo = InteriorLo(pad, s, o);
            int room = n - (d * (k - 1) + 1) + pad; // o·s must be ≤ room
            int hi = room < 0 ? 0 : room / s + 1;
            if (hi > o) hi = o;
            return hi < lo ? lo : hi;
        }

        /// <summary>First tap t (0..) with 0 ≤ start + d·t, where start is the position of tap 0.</summary>
        public static int FirstTap(int start, int d)
        {
            return start >= 0 ? 0 : (d - 1 - start) / d;
        }

        /// <summary>One past the last tap t &lt; k with start + d·t &lt; n.</summary>
        public static int EndTap(int start, int d, int n, int k)
        {
            int room = n - start;
            if (room <= 0) return 0;
            int t = (room + d - 1) / d;
            return t < k ? t : k;
        }

        /// <summary>
        /// Makes the interior (folded) and border (true) biases from the stored one. Output channel oc's
        /// weights are w[wOff + oc·ocStride + t·tapStride] for t &lt; taps (conv: ocStride = taps,
        /// tapStride = 1; depthwise: ocStride = 1, tapStride = channels).
        /// </summary>
        public static void SplitBias(int[] stored, bool folded, int xZero, byte[] w, int wOff, int channels, int taps,
            int ocStride, int tapStride, int[] interior, int[] border)
        {
            for (int oc = 0; oc < channels; oc++)
            {
                int sum = 0;
                int p = wOff + oc * ocStride;
                for (int t = 0; t < taps; t++)
                {
                    sum += (sbyte)w[p];
                    p += tapStride;
                }
                int z = unchecked(xZero * sum);
                if (folded)
                {
                    interior[oc] = stored[oc];
                    border[oc] = unchecked(stored[oc] + z);
                }
                else
                {
                    interior[oc] = unchecked(stored[oc] - z);
                    border[oc] = stored[oc];
                }
            }
        }

        /// <summary>Prepare-time bias for int8 convolutions: reads the stored bias, sets d.BiasInterior and d.BiasBorder.</summary>
        public static void PrepareBiasInt8(PrepareContext m, Op op, ConvData d, bool folded, int channels, int taps,
            int ocStride, int tapStride)
        {
            int[] stored = m.ConstInt32(op, PBias, channels, "bias");
            if (HasBorder(d))
            {
                d.BiasInterior = new int[channels];
                d.BiasBorder = new int[channels];
                SplitBias(stored, folded, d.XZero, m.Blob, d.WeightsOffset, channels, taps, ocStride, tapStride, d.BiasInterior, d.BiasBorder);
                return;
            }
            // Every position is interior (pointwise, VALID): the kernels never read a border bias, so only the
            // folded one is kept, in the array ConstInt32 made (device heap: one int per channel less).
            if (!folded)
            {
                int[] border = new int[channels];
                SplitBias(stored, false, d.XZero, m.Blob, d.WeightsOffset, channels, taps, ocStride, tapStride, stored, border);
            }
            d.BiasInterior = stored;
            d.BiasBorder = null;
        }

        /// <summary>True when some output position has a tap outside the input (it then needs BiasBorder).</summary>
        public static bool HasBorder(ConvData d)
        {
            return d.InteriorYLo > 0 || d.InteriorYHi < d.OutH || d.InteriorXLo > 0 || d.InteriorXHi < d.OutW;
        }

        /// <summary>Prepare-time: per-channel requantization (PMult, PShift, PQCount) into d, shifts up to maxLeftShift.</summary>
        public static void PrepareRequant(PrepareContext m, Op op, ConvData d, int channels, int maxLeftShift)
        {
            Requant r = m.ReadRequant(op, PMult, channels, maxLeftShift);
            d.Multiplier = r.Multiplier;
            d.Shift = r.Shift;
        }

        /// <summary>Prepare-time: act_min/act_max checked against the output type and copied into d, with the arena offsets and zero points.</summary>
        public static void PrepareIo(PrepareContext m, Op op, ConvData d, Tensor x, Tensor y)
        {
            m.CheckActivationRange(op, PActMin);
            d.ActMin = op.Params[PActMin];
            d.ActMax = op.Params[PActMax];
            d.XOffset = x.ArenaOffset;
            d.YOffset = y.ArenaOffset;
            d.XZero = x.ZeroPoint;
            d.YZero = y.ZeroPoint;
        }

        /// <summary>Fails on flag bits other than bias-folded (other weight layouts are not in version 1).</summary>
        public static bool ReadFlags(PrepareContext m, Op op, bool int16)
        {
            int flags = op.Params[PFlags];
            if ((flags & ~BlobLayout.FlagBiasFolded) != 0) throw m.OpError(op, ErrorCodes.BadOpParams, "unknown flags " + flags);
            bool folded = (flags & BlobLayout.FlagBiasFolded) != 0;
            if (folded && int16) throw m.OpError(op, ErrorCodes.BadOpParams, "int16 ops have zero points 0: nothing to fold");
            return folded;
        }

        /// <summary>Fails unless input and output are both of `rank` (3 = NWC, 4 = NHWC) with the same batch.</summary>
        public static void CheckIo(PrepareContext m, Op op, Tensor x, Tensor y, int rank)
        {
            if (x.Rank != rank || y.Rank != rank)
                throw m.OpError(op, ErrorCodes.ShapeMismatch, "input and output must be rank " + rank + (rank == 3 ? " (NWC)" : " (NHWC)") + ", are " + x.Rank + " and " + y.Rank);
            if (x.Batch != y.Batch) throw m.OpError(op, ErrorCodes.ShapeMismatch, "input batch " + x.Batch + " and output batch " + y.Batch + " differ");
        }

        /// <summary>
        /// Bias and requantization of a dense convolution (CONV_1D / CONV_2D, weights [Cout][taps·Cin]):
        /// int16 activations take int64 biases and shifts up to 7 (TFLite's 64-bit requantization); int8 take
        /// int32 biases split into folded and border copies (PrepareBiasInt8) and shifts up to 30.
        /// </summary>
        public static void PrepareDenseBias(PrepareContext m, Op op, ConvData d, bool int16, bool folded, int cout, int perOc)
        {
            if (int16)
            {
                d.Bias64 = m.ConstInt64(op, PBias, cout, "bias");
                PrepareRequant(m, op, d, cout, 7);
            }
            else
            {
                PrepareBiasInt8(m, op, d, folded, cout, perOc, perOc, 1);
                PrepareRequant(m, op, d, cout, 30);
            }
        }
    }
}
