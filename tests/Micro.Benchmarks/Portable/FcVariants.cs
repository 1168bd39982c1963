using Micro.Runtime.Kernels;

namespace Micro.Benchmarks.Portable
{
    /// <summary>
    /// Candidate inner loops for the int8 FULLY_CONNECTED kernel (batch 1, zero point folded into the bias,
    /// so the loop multiplies raw inputs). Copies of the loop only, for measurement: the runtime's kernel is
    /// firmware/Micro.Runtime/Kernels/FullyConnected.cs. Every variant gives the runtime's bytes exactly
    /// (checked at setup). Plain C# that nanoFramework 1.x could run (no generics, no Span, no unsafe).
    ///
    /// Arguments as the runtime's EvalInt8: w = blob bytes (weights read in place at wOff, [M][K] row-major),
    /// a = arena, x at xOff (K values), y at yOff (M values).
    /// </summary>
    public static class FcVariants
    {
        /// <summary>Zero point folded, fields in locals, one MAC per loop trip, no unrolling.</summary>
        public static void Hoisted(byte[] w, int wOff, int[] bias, int[] mult, int[] shift, sbyte[] a, int xOff, int yOff,
            int depth, int outputs, int yZero, int actMin, int actMax)
        {
            int wp = wOff;
            for (int o = 0; o < outputs; o++)
            {
                int acc = bias[o];
                int xp = xOff;
                int end = wp + depth;
                while (wp < end) acc += a[xp++] * (sbyte)w[wp++];
                int v = yZero + FixedPoint.MultiplyByQuantizedMultiplier(acc, mult[o], shift[o]);
                if (v < actMin) v = actMin;
                if (v > actMax) v = actMax;
                a[yOff + o] = (sbyte)v;
            }
        }

        /// <summary>As the runtime's loop but unrolled ×8 instead of ×4.</summary>
        public static void Unroll8(byte[] w, int wOff, int[] bias, int[] mult, int[] shift, sbyte[] a, int xOff, int yOff,
            int depth, int outputs, int yZero, int actMin, int actMax)
        {
            int wp = wOff;
            for (int o = 0; o < outputs; o++)
            {
                int acc = bias[o];
                int xp = xOff;
                int end = wp + depth;
                int end8 = wp + (depth & ~7);
                while (wp < end8)
                {
                    acc += a[xp] * (sbyte)w[wp] + a[xp + 1] * (sbyte)w[wp + 1] + a[xp + 2] * (sbyte)w[wp + 2] + a[xp + 3] * (sbyte)w[wp + 3]
                         + a[xp + 4] * (sbyte)w[wp + 4] + a[xp + 5] * (sbyte)w[wp + 5] + a[xp + 6] * (sbyte)w[wp + 6] + a[xp + 7] * (sbyte)w[wp + 7];
                    xp += 8;
                    wp += 8;
                }
                while (wp < end) acc += a[xp++] * (sbyte)w[wp++];
                int v = yZero + FixedPoint.MultiplyByQuantizedMultiplier(acc, mult[o], shift[o]);
                if (v < actMin) v = actMin;
                if (v > actMax) v = actMax;
                a[yOff + o] = (sbyte)v;
            }
        }

        /// <summary>Two output rows per pass: each x load feeds two MACs (1.5 array loads per MAC instead of 2). Unrolled ×4.</summary>
        public static void Rows2(byte[] w, int wOff, int[] bias, int[] mult, int[] shift, sbyte[] a, int xOff, int yOff,
            int depth, int outputs, int yZero, int actMin, int actMax)
        {
            int o = 0;
            int xEnd = xOff + depth, xEnd4 = xOff + (depth & ~3);
            for (; o + 1 < outputs; o += 2)
            {
                int acc0 = bias[o], acc1 = bias[o + 1];
                int p0 = wOff + o * depth, p1 = p0 + depth;
                int xp = xOff;
                while (xp < xEnd4)
                {
                    int x0 = a[xp], x1 = a[xp + 1], x2 = a[xp + 2], x3 = a[xp + 3];
                    acc0 += x0 * (sbyte)w[p0] + x1 * (sbyte)w[p0 + 1] + x2 * (sbyte)w[p0 + 2] + x3 * (sbyte)w[p0 + 3];
                    acc1 += x0 * (sbyte)w[p1] + x1 * (sbyte)w[p1 + 1] + x2 * (sbyte)w[p1 + 2] + x3 * (sbyte)w[p1 + 3];
                    xp += 4;
                    p0 += 4;
                    p1 += 4;
                }
                while (xp < xEnd)
                {
                    int xv = a[xp++];
                    acc0 += xv * (sbyte)w[p0++];
                    acc1 += xv * (sbyte)w[p1++];
                }
                Store(a, yOff + o, acc0, mult[o], shift[o], yZero, actMin, actMax);
                Store(a, yOff + o + 1, acc1, mult[o + 1], shift[o + 1], yZero, actMin, actMax);
            }
            if (o < outputs) Row(w, wOff, bias, mult, shift, a, xOff, yOff, depth, o, yZero, actMin, actMax);
        }

        /// <summary>Four output rows per pass: 1.25 array loads per MAC. Unrolled ×2.</summary>
        public static void Rows4(byte[] w, int wOff, int[] bias, int[] mult, int[] shift, sbyte[] a, int xOff, int yOff,
            int depth, int outputs, int yZero, int actMin, int actMax)
        {
            int o = 0;
            int xEnd = xOff + depth, xEnd2 = xOff + (depth & ~1);
            for (; o + 3 < outputs; o += 4)
            {
                int acc0 = bias[o], acc1 = bias[o + 1], acc2 = bias[o + 2], acc3 = bias[o + 3];
                int p0 = wOff + o * depth, p1 = p0 + depth, p2 = p1 + depth, p3 = p2 + depth;
                int xp = xOff;
                while (xp < xEnd2)
                {
                    int x0 = a[xp], x1 = a[xp + 1];
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
                    int xv = a[xp];
                    acc0 += xv * (sbyte)w[p0];
                    acc1 += xv * (sbyte)w[p1];
                    acc2 += xv * (sbyte)w[p2];
                    acc3 += xv * (sbyte)w[p3];
                }
                Store(a, yOff + o, acc0, mult[o], shift[o], yZero, actMin, actMax);
                Store(a, yOff + o + 1, acc1, mult[o + 1], shift[o + 1], yZero, actMin, actMax);
                Store(a, yOff + o + 2, acc2, mult[o + 2], shift[o + 2], yZero, actMin, actMax);
                Store(a, yOff + o + 3, acc3, mult[o + 3], shift[o + 3], yZero, actMin, actMax);
            }
            for (; o < outputs; o++)
                Row(w, wOff, bias, mult, shift, a, xOff, yOff, depth, o, yZero, actMin, actMax);
        }

        // ---- packed weight layouts (built once at load; see PackInt / PackLong2 / PackLong3) ----------------

        /// <summary>
        /// Weights packed four to an int (row-major, rows padded to a multiple of 4 with zeros), inputs packed
        /// four to an int into xq once per call: one array load brings four values, bytes taken out with shifts.
        /// </summary>
        public static void PackedInt(int[] wq, int[] xq, int[] bias, int[] mult, int[] shift, sbyte[] a, int xOff, int yOff,
            int depth, int outputs, int yZero, int actMin, int actMax)
        {
            int words = (depth + 3) >> 2;
            int xp = xOff, xEnd4 = xOff + (depth & ~3);
            int j = 0;
            while (xp < xEnd4)
            {
                xq[j++] = (a[xp] & 0xFF) | ((a[xp + 1] & 0xFF) << 8) | ((a[xp + 2] & 0xFF) << 16) | (a[xp + 3] << 24);
                xp += 4;
            }
            if (j < words)
            {
                int v = 0, s = 0;
                while (xp < xOff + depth) { v |= (a[xp++] & 0xFF) << s; s += 8; }
                xq[j] = v;
            }
            int wp = 0;
            for (int o = 0; o < outputs; o++)
            {
                int acc = bias[o];
                for (int k = 0; k < words; k++)
                {
                    int wv = wq[wp++], xv = xq[k];
                    acc += ((xv << 24) >> 24) * ((wv << 24) >> 24) + ((xv << 16) >> 24) * ((wv << 16) >> 24)
                         + ((xv << 8) >> 24) * ((wv << 8) >> 24) + (xv >> 24) * (wv >> 24);
                }
                Store(a, yOff + o, acc, mult[o], shift[o], yZero, actMin, actMax);
            }
        }

        /// <summary>
        /// Two output rows per long: wl[p] = w[o][k] + w[o+1][k]·2^32, so one 64-bit multiply by x[k] does both
        /// MACs exactly (the low lane's sum fits in 32 bits for K &lt; 131072). Odd last row: plain loop on w.
        /// </summary>
        public static void Long2(long[] wl, byte[] w, int wOff, int[] bias, int[] mult, int[] shift, sbyte[] a, int xOff, int yOff,
            int depth, int outputs, int yZero, int actMin, int actMax)
        {
            int o = 0, wp = 0;
            int xEnd = xOff + depth, xEnd4 = xOff + (depth & ~3);
            for (; o + 1 < outputs; o += 2)
            {
                long acc = 0;
                int xp = xOff;
                while (xp < xEnd4)
                {
                    acc += wl[wp] * a[xp] + wl[wp + 1] * a[xp + 1] + wl[wp + 2] * a[xp + 2] + wl[wp + 3] * a[xp + 3];
                    xp += 4;
                    wp += 4;
                }
                while (xp < xEnd) acc += wl[wp++] * a[xp++];
                int lo = (int)acc;
                int hi = (int)((acc - lo) >> 32);
                Store(a, yOff + o, bias[o] + lo, mult[o], shift[o], yZero, actMin, actMax);
                Store(a, yOff + o + 1, bias[o + 1] + hi, mult[o + 1], shift[o + 1], yZero, actMin, actMax);
            }
            if (o < outputs) Row(w, wOff, bias, mult, shift, a, xOff, yOff, depth, o, yZero, actMin, actMax);
        }

        /// <summary>
        /// Three output rows per long in 21-bit lanes (w0 + w1·2^21 + w2·2^42). A lane holds ±2^20, i.e. 32
        /// products of at most 2^14, so the lanes are split out and added to int accumulators every 32 inputs.
        /// </summary>
        public static void Long3(long[] wl, byte[] w, int wOff, int[] bias, int[] mult, int[] shift, sbyte[] a, int xOff, int yOff,
            int depth, int outputs, int yZero, int actMin, int actMax)
        {
            int o = 0, wp = 0;
            int xEnd = xOff + depth;
            for (; o + 2 < outputs; o += 3)
            {
                int acc0 = bias[o], acc1 = bias[o + 1], acc2 = bias[o + 2];
                int xp = xOff;
                while (xp < xEnd)
                {
                    int chunkEnd = xp + 32;
                    if (chunkEnd > xEnd) chunkEnd = xEnd;
                    int chunkEnd4 = xp + ((chunkEnd - xp) & ~3);
                    long acc = 0;
                    while (xp < chunkEnd4)
                    {
                        acc += wl[wp] * a[xp] + wl[wp + 1] * a[xp + 1] + wl[wp + 2] * a[xp + 2] + wl[wp + 3] * a[xp + 3];
                        xp += 4;
                        wp += 4;
                    }
                    while (xp < chunkEnd) acc += wl[wp++] * a[xp++];
                    int l0 = (int)((acc << 43) >> 43);
                    long rest = (acc - l0) >> 21;
                    int l1 = (int)((rest << 43) >> 43);
                    int l2 = (int)((rest - l1) >> 21);
                    acc0 += l0;
                    acc1 += l1;
                    acc2 += l2;
                }
                Store(a, yOff + o, acc0, mult[o], shift[o], yZero, actMin, actMax);
                Store(a, yOff + o + 1, acc1, mult[o + 1], shift[o + 1], yZero, actMin, actMax);
                Store(a, yOff + o + 2, acc2, mult[o + 2], shift[o + 2], yZero, actMin, actMax);
            }
            for (; o < outputs; o++)
                Row(w, wOff, bias, mult, shift, a, xOff, yOff, depth, o, yZero, actMin, actMax);
        }

        /// <summary>Requantize, clamp, store one output (one static call per output, as the runtime's kernel).</summary>
        public static void Store(sbyte[] a, int at, int acc, int mult, int shift, int yZero, int actMin, int actMax)
        {
            int v = yZero + FixedPoint.MultiplyByQuantizedMultiplier(acc, mult, shift);
            if (v < actMin) v = actMin;
            if (v > actMax) v = actMax;
            a[at] = (sbyte)v;
        }

        /// <summary>One output row o the plain way (leftover rows of the grouped variants).</summary>
        public static void Row(byte[] w, int wOff, int[] bias, int[] mult, int[] shift, sbyte[] a, int xOff, int yOff,
            int depth, int o, int yZero, int actMin, int actMax)
        {
            int acc = bias[o];
            int wp = wOff + o * depth, xp = xOff, end = wp + depth;
            while (wp < end) acc += a[xp++] * (sbyte)w[wp++];
            Store(a, yOff + o, acc, mult[o], shift[o], yZero, actMin, actMax);
        }

        // ---- packing (at load, host or device) ---------------------------------------------------------------

        public static int[] PackInt(byte[] w, int wOff, int depth, int outputs)
        {
            int words = (depth + 3) >> 2;
            int[] q = new int[outputs * words];
            for (int o = 0; o < outputs; o++)
                for (int k = 0; k < depth; k++)
                    q[o * words + (k >> 2)] |= (w[wOff + o * depth + k] & 0xFF) << (8 * (k & 3));
            return q;
        }

        public static long[] PackLong2(byte[] w, int wOff, int depth, int outputs)
        {
            int pairs = outputs / 2;
            long[] q = new long[pairs * depth];
            for (int p = 0; p < pairs; p++)
                for (int k = 0; k < depth; k++)
                    q[p * depth + k] = (sbyte)w[wOff + (2 * p) * depth + k] + ((long)(sbyte)w[wOff + (2 * p + 1) * depth + k] << 32);
            return q;
        }

        public static long[] PackLong3(byte[] w, int wOff, int depth, int outputs)
        {
            int triples = outputs / 3;
            long[] q = new long[triples * depth];
            for (int t = 0; t < triples; t++)
                for (int k = 0; k < depth; k++)
                    q[t * depth + k] = (sbyte)w[wOff + (3 * t) * depth + k]
                        + ((long)(sbyte)w[wOff + (3 * t + 1) * depth + k] << 21)
                        + ((long)(sbyte)w[wOff + (3 * t + 2) * depth + k] << 42);
            return q;
        }
    }
}
