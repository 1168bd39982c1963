namespace Micro.Runtime.Tests.Reference;

/// <summary>
/// TFLite Micro's int8 MUL, SUB, ADD (with broadcasting) and HARD_SWISH restated from its reference kernels
/// (reference_integer_ops::MulElementwise / BroadcastMul*DSlow, reference_ops::BroadcastQuantSubSlow,
/// AddFunc, reference_ops::HardSwish), independently of the runtime: broadcasting by NumPy subscripts on the
/// rank-extended shapes (no dim merging), rounding through <see cref="ReferenceRounding"/>'s exact arithmetic,
/// and the 16-bit hard-swish arithmetic written with C's int16 truncations.
/// </summary>
public static class ReferenceBroadcast
{
    /// <summary>y[i] = f(a[sub(i)], b[sub(i)]) over y's shape, inputs broadcast NumPy-style.</summary>
    public static sbyte[] Broadcast(sbyte[] a, int[] aDims, sbyte[] b, int[] bDims, int[] yDims, Func<int, int, int> f)
    {
        int r = yDims.Length, n = yDims.Aggregate(1, (p, d) => p * d);
        var y = new sbyte[n];
        var idx = new int[r];
        for (int i = 0; i < n; i++)
        {
            int rem = i;
            for (int d = r - 1; d >= 0; d--) { idx[d] = rem % yDims[d]; rem /= yDims[d]; }
            y[i] = (sbyte)f(a[Flat(idx, aDims)], b[Flat(idx, bDims)]);
        }
        return y;
    }

    /// <summary>Row-major index into a tensor of <paramref name="dims"/> (right-aligned) for output subscript idx; dims of 1 repeat.</summary>
    private static int Flat(int[] idx, int[] dims)
    {
        int off = idx.Length - dims.Length, flat = 0;
        for (int d = 0; d < dims.Length; d++) flat = flat * dims[d] + (dims[d] == 1 ? 0 : idx[off + d]);
        return flat;
    }

    public static int Mul(int a, int b, int aZp, int bZp, int yZp, int m, int s, int lo, int hi) =>
        ReferenceRounding.Clamp(yZp + ReferenceRounding.Mbqm((a - aZp) * (b - bZp), m, s), lo, hi);

    /// <summary>ADD (sign +1) or SUB (sign −1) of one pair with ADD's nine params p.</summary>
    public static int AddSub(int sign, int a, int b, int aZp, int bZp, int yZp, int[] p)
    {
        int sa = ReferenceRounding.Mbqm((a - aZp) * (1 << p[0]), p[1], p[2]);
        int sb = ReferenceRounding.Mbqm((b - bZp) * (1 << p[0]), p[3], p[4]);
        return ReferenceRounding.Clamp(yZp + ReferenceRounding.Mbqm(sa + sign * sb, p[5], p[6]), p[7], p[8]);
    }

    // ---- HARD_SWISH ----

    private static short SatShort(long v) => (short)Math.Clamp(v, short.MinValue, short.MaxValue);

    /// <summary>gemmlowp SaturatingRoundingDoublingHighMul on int16.</summary>
    private static short Sqrdmulh(short a, short b)
    {
        if (a == short.MinValue && b == short.MinValue) return short.MaxValue;
        int ab = a * b;
        int nudge = ab >= 0 ? 1 << 14 : 1 - (1 << 14);
        return (short)((ab + nudge) / (1 << 15));
    }

    /// <summary>SQDMULH: the doubled high half, truncated.</summary>
    private static short Sqdmulh(short a, short b) =>
        a == short.MinValue && b == short.MinValue ? short.MaxValue : (short)(a * b / (1 << 15));

    public static int HardSwish(int x, int xZp, int yZp, short reluishMult, int reluishExp, short outMult, int outExp)
    {
        short v = (short)(x - xZp);
        short hires = (short)(v * (1 << 7));
        short pre = Sqrdmulh(hires, outMult);
        short r = hires;
        if (reluishExp > 0) r = SatShort((long)r * (1L << (reluishExp - 1)));
        r = Sqrdmulh(r, reluishMult);
        if (reluishExp > 0) r = SatShort(r * 2L);
        if (reluishExp < 0) r = (short)ReferenceRounding.Rdbpot(r, -reluishExp);
        r = (short)((r + (1 << 15)) >> 1);
        short o = (short)ReferenceRounding.Rdbpot(Sqdmulh(r, pre), -outExp);
        return ReferenceRounding.Clamp(o + yZp, -128, 127);
    }

    /// <summary>TFLite's HardSwishPrepare: float hires scale, QuantizeMultiplier, DownScaleInt32ToInt16Multiplier.</summary>
    public static (short ReluishMult, int ReluishExp, short OutMult, int OutExp) HardSwishParams(float xScale, float yScale)
    {
        float hires = (1.0f / 128.0f) * xScale;
        float outReal = hires / yScale, reluReal = hires / (3.0f / 32768.0f);
        var (om, oe) = ReferenceElementwise.QuantizeMultiplier(outReal);
        var (rm, re) = ReferenceElementwise.QuantizeMultiplier(reluReal);
        static short Down(int m) => m >= int.MaxValue - (1 << 15) ? short.MaxValue : (short)((m + (1 << 15)) >> 16);
        return (Down(rm), re, Down(om), oe);
    }
}
