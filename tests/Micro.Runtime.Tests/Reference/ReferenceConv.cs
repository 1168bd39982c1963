namespace Micro.Runtime.Tests.Reference;

/// <summary>
/// One convolution test case: shapes, params and data in plain arrays, and the slow, obviously-right
/// reference result. The reference follows TFLite's reference_integer_ops loops literally: for every
/// output element, sum (x − x_zp)·w over the taps that lie inside the input (a tap in the padding is
/// skipped), add the true bias, requantize with ReferenceRounding, clamp. No interior/border split, no
/// folding, 4-d index functions instead of running offsets.
/// </summary>
public sealed class ConvCase
{
    public bool Depthwise, Is1D, Int16;
    public int N, H, W, Cin, Cout, Kh, Kw, Sh, Sw, Dh, Dw, PadT, PadL, Ho, Wo, Dm = 1;
    public int XZp, YZp, ActMin, ActMax;
    public bool Folded, PerChannel;
    /// <summary>Input NHWC (int8 cases).</summary>
    public sbyte[] X;
    /// <summary>Input NHWC (int16 cases).</summary>
    public short[] X16;
    /// <summary>Weights: conv [Cout][Kh][Kw][Cin], depthwise [Kh][Kw][Cout].</summary>
    public sbyte[] Wt;
    /// <summary>The true bias (before any folding); int16 cases use Bias64.</summary>
    public int[] Bias;
    public long[] Bias64;
    /// <summary>Per output channel (a per-tensor case repeats one value).</summary>
    public int[] Mult, Shift;

    public int Taps => Kh * Kw * (Depthwise ? 1 : Cin);

    public int WIndex(int oc, int ky, int kx, int ic) =>
        Depthwise ? (ky * Kw + kx) * Cout + oc : ((oc * Kh + ky) * Kw + kx) * Cin + ic;

    public int XIndex(int n, int y, int x, int c) => ((n * H + y) * W + x) * Cin + c;

    public int YIndex(int n, int y, int x, int c) => ((n * Ho + y) * Wo + x) * Cout + c;

    /// <summary>The bias as the blob stores it: with the folded flag, bias − x_zp·Σ_all taps w.</summary>
    public int[] StoredBias()
    {
        var r = new int[Cout];
        for (int oc = 0; oc < Cout; oc++)
        {
            long sum = 0;
            for (int ky = 0; ky < Kh; ky++)
                for (int kx = 0; kx < Kw; kx++)
                    for (int ic = 0; ic < (Depthwise ? 1 : Cin); ic++)
                        sum += Wt[WIndex(oc, ky, kx, ic)];
            r[oc] = Folded ? checked((int)(Bias[oc] - XZp * sum)) : Bias[oc];
        }
        return r;
    }

    private long Accumulate(int n, int oy, int ox, int oc, Func<int, long> input)
    {
        long acc = 0;
        for (int ky = 0; ky < Kh; ky++)
            for (int kx = 0; kx < Kw; kx++)
            {
                int iy = oy * Sh - PadT + ky * Dh;
                int ix = ox * Sw - PadL + kx * Dw;
                if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue; // padding: contributes nothing
                if (Depthwise)
                {
                    int ic = oc / Dm;
                    acc += (input(XIndex(n, iy, ix, ic)) - XZp) * Wt[WIndex(oc, ky, kx, 0)];
                }
                else
                {
                    for (int ic = 0; ic < Cin; ic++)
                        acc += (input(XIndex(n, iy, ix, ic)) - XZp) * Wt[WIndex(oc, ky, kx, ic)];
                }
            }
        return acc;
    }

    /// <summary>Reference int8 output, NHWC.</summary>
    public sbyte[] Reference()
    {
        var y = new sbyte[N * Ho * Wo * Cout];
        for (int n = 0; n < N; n++)
            for (int oy = 0; oy < Ho; oy++)
                for (int ox = 0; ox < Wo; ox++)
                    for (int oc = 0; oc < Cout; oc++)
                    {
                        long acc = Bias[oc] + Accumulate(n, oy, ox, oc, i => X[i]);
                        if (acc < int.MinValue || acc > int.MaxValue) throw new InvalidOperationException("test case overflows int32");
                        int v = YZp + ReferenceRounding.Mbqm((int)acc, Mult[oc], Shift[oc]);
                        y[YIndex(n, oy, ox, oc)] = (sbyte)ReferenceRounding.Clamp(v, ActMin, ActMax);
                    }
        return y;
    }

    /// <summary>
    /// Sets the shifts (per channel or per tensor, as the case is) so that the largest |accumulator| on
    /// this case's input maps to at most `target`, as a calibrated quantizer would: stacked layers then
    /// keep their values spread instead of shrinking or clamping.
    /// </summary>
    public void CalibrateShifts(int target)
    {
        var maxAbs = new long[Cout];
        for (int n = 0; n < N; n++)
            for (int oy = 0; oy < Ho; oy++)
                for (int ox = 0; ox < Wo; ox++)
                    for (int oc = 0; oc < Cout; oc++)
                    {
                        long acc = Math.Abs(Bias[oc] + Accumulate(n, oy, ox, oc, i => X[i]));
                        maxAbs[oc] = Math.Max(maxAbs[oc], acc);
                    }
        long all = maxAbs.Max();
        for (int oc = 0; oc < Cout; oc++)
        {
            long m = PerChannel ? maxAbs[oc] : all;
            int shift = 0;
            while (m > (long)target << -shift) shift--;
            while (shift < 0 && m * 2 <= (long)target << -(shift + 1)) shift++;
            Shift[oc] = shift;
            if (!PerChannel) Mult[oc] = Mult[0];
        }
    }

    /// <summary>Reference int16 (16×8) output, NHWC: zero points 0, int64 bias, 64-bit requantization.</summary>
    public short[] Reference16()
    {
        var y = new short[N * Ho * Wo * Cout];
        for (int n = 0; n < N; n++)
            for (int oy = 0; oy < Ho; oy++)
                for (int ox = 0; ox < Wo; ox++)
                    for (int oc = 0; oc < Cout; oc++)
                    {
                        long acc = Bias64[oc] + Accumulate(n, oy, ox, oc, i => X16[i]);
                        int v = ReferenceRounding.Mbqm64(acc, Mult[oc], Shift[oc]);
                        y[YIndex(n, oy, ox, oc)] = (short)ReferenceRounding.Clamp(v, ActMin, ActMax);
                    }
        return y;
    }

    public override string ToString() =>
        $"{(Depthwise ? "dw" : "conv")}{(Is1D ? "1d" : "2d")}{(Int16 ? " int16" : "")} N{N} H{H} W{W} Cin{Cin} Cout{Cout} dm{Dm} " +
        $"k{Kh}x{Kw} s{Sh}x{Sw} d{Dh}x{Dw} pad{PadT},{PadL} out{Ho}x{Wo} xzp{XZp} yzp{YZp} act{ActMin}..{ActMax} " +
        $"{(Folded ? "folded" : "unfolded")} {(PerChannel ? "per-channel" : "per-tensor")}";

    /// <summary>
    /// A random case. Per axis the padding is VALID, SAME (TFLite's split, extra on the end) or explicit
    /// (pad and end pad each in 0..ek − 1), and the output size follows from it.
    /// </summary>
    public static ConvCase Random(Random rng, bool depthwise, bool is1D, bool int16)
    {
        var c = new ConvCase { Depthwise = depthwise, Is1D = is1D, Int16 = int16 };
        c.N = rng.Next(1, 3);
        c.Cin = rng.Next(1, 18);
        c.Dm = depthwise ? rng.Next(1, 4) : 1;
        c.Cout = depthwise ? c.Cin * c.Dm : rng.Next(1, 18);
        (c.H, c.Kh, c.Sh, c.Dh, c.PadT, c.Ho) = is1D ? (1, 1, 1, 1, 0, 1) : RandomAxis(rng);
        (c.W, c.Kw, c.Sw, c.Dw, c.PadL, c.Wo) = RandomAxis(rng);
        c.Folded = !int16 && rng.Next(2) == 0;
        c.PerChannel = rng.Next(2) == 0;
        c.FillRandom(rng, randomActivation: true);
        return c;
    }

    /// <summary>
    /// Random data for a case whose shapes and params are set: zero points (int8), clamp range, input,
    /// weights (symmetric, −127..127 as TFLite), bias, multipliers in [0.5, 1) and shifts (half of the
    /// time the brief's −12..2, otherwise scaled to the accumulator so that most outputs are not clamped).
    /// </summary>
    public void FillRandom(Random rng, bool randomActivation)
    {
        var c = this;
        bool int16 = Int16;
        // Layers of a network (randomActivation false) get moderate zero points, so that stacked layers
        // keep their values spread instead of clamping.
        int zpRange = randomActivation ? 128 : 30;
        c.XZp = int16 ? 0 : rng.Next(-zpRange, zpRange);
        c.YZp = int16 ? 0 : rng.Next(-zpRange, zpRange);
        int lo = int16 ? -32768 : -128, hi = int16 ? 32767 : 127;
        c.ActMin = randomActivation && rng.Next(3) == 0 ? rng.Next(lo, hi / 4) : lo;
        c.ActMax = randomActivation && rng.Next(3) == 0 ? rng.Next(Math.Max(c.ActMin, hi / 4), hi + 1) : hi;
        int xCount = c.N * c.H * c.W * c.Cin;
        if (int16)
        {
            c.X16 = new short[xCount];
            for (int i = 0; i < xCount; i++) c.X16[i] = (short)rng.Next(-32768, 32768);
        }
        else
        {
            c.X = new sbyte[xCount];
            for (int i = 0; i < xCount; i++) c.X[i] = (sbyte)rng.Next(-128, 128);
        }
        int wCount = Depthwise ? c.Kh * c.Kw * c.Cout : c.Cout * c.Kh * c.Kw * c.Cin;
        c.Wt = new sbyte[wCount];
        for (int i = 0; i < wCount; i++) c.Wt[i] = (sbyte)rng.Next(-127, 128);
        c.Bias = new int[c.Cout];
        c.Bias64 = new long[c.Cout];
        for (int oc = 0; oc < c.Cout; oc++)
        {
            c.Bias[oc] = randomActivation ? rng.Next(-40_000, 40_000) : rng.Next(-5_000, 5_000);
            c.Bias64[oc] = rng.Next(-1 << 21, 1 << 21);
        }
        int typicalBits = 7 + (int16 ? 15 : 7) + Log2(c.Taps) / 2; // rough log2 |acc|
        int outBits = int16 ? 14 : 6;
        c.Mult = new int[c.Cout];
        c.Shift = new int[c.Cout];
        bool scaled = !randomActivation || rng.Next(2) == 0;
        for (int oc = 0; oc < c.Cout; oc++)
        {
            if (oc > 0 && !c.PerChannel)
            {
                c.Mult[oc] = c.Mult[0];
                c.Shift[oc] = c.Shift[0];
                continue;
            }
            c.Mult[oc] = rng.Next(1 << 30, int.MaxValue);
            c.Shift[oc] = scaled ? outBits - typicalBits + (randomActivation ? rng.Next(-2, 3) : rng.Next(-1, 1)) : rng.Next(-12, 3);
            if (int16 && c.Shift[oc] > 7) c.Shift[oc] = 7;
        }
    }

    private static (int n, int k, int s, int d, int pad, int o) RandomAxis(Random rng)
    {
        while (true)
        {
            int n = rng.Next(1, 10), k = rng.Next(1, 6), s = rng.Next(1, 4), d = rng.Next(1, 3);
            int ek = d * (k - 1) + 1;
            int mode = rng.Next(3);
            int pad, padEnd;
            if (mode == 0) { pad = 0; padEnd = 0; } // VALID
            else if (mode == 1)
            {
                // SAME: o = ceil(n / s), total = max((o − 1)·s + ek − n, 0), pad = total / 2.
                int o = (n + s - 1) / s;
                int total = Math.Max((o - 1) * s + ek - n, 0);
                pad = total / 2;
                padEnd = total - pad;
            }
            else { pad = rng.Next(0, ek); padEnd = rng.Next(0, ek); }
            int span = n + pad + padEnd - ek;
            if (span < 0) continue;
            return (n, k, s, d, pad, span / s + 1);
        }
    }

    private static int Log2(int v)
    {
        int r = 0;
        while ((1 << (r + 1)) <= v) r++;
        return r;
    }
}

/// <summary>Fully connected reference: y[b, o] = clamp(y_zp + MBQM(bias[o] + Σ_k (x[b,k] − x_zp)·w[o,k])).</summary>
public static class ReferenceFullyConnected
{
    public static sbyte[] Int8(sbyte[] x, int batches, int depth, sbyte[] w, int outputs, int[] bias, int[] mult, int[] shift,
        int xZp, int yZp, int actMin, int actMax)
    {
        var y = new sbyte[batches * outputs];
        for (int b = 0; b < batches; b++)
            for (int o = 0; o < outputs; o++)
            {
                long acc = bias[o];
                for (int k = 0; k < depth; k++) acc += (x[b * depth + k] - xZp) * w[o * depth + k];
                int v = yZp + ReferenceRounding.Mbqm(checked((int)acc), mult[o], shift[o]);
                y[b * outputs + o] = (sbyte)ReferenceRounding.Clamp(v, actMin, actMax);
            }
        return y;
    }

    public static short[] Int16(short[] x, int batches, int depth, sbyte[] w, int outputs, long[] bias, int[] mult, int[] shift,
        int actMin, int actMax)
    {
        var y = new short[batches * outputs];
        for (int b = 0; b < batches; b++)
            for (int o = 0; o < outputs; o++)
            {
                long acc = bias[o];
                for (int k = 0; k < depth; k++) acc += x[b * depth + k] * w[o * depth + k];
                int v = ReferenceRounding.Mbqm64(acc, mult[o], shift[o]);
                y[b * outputs + o] = (short)ReferenceRounding.Clamp(v, actMin, actMax);
            }
        return y;
    }
}
