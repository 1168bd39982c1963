#nullable enable
using Micro.Tooling.TFLite;
using static Micro.Tooling.Tests.TFLite.Reference.Gemmlowp;

namespace Micro.Tooling.Tests.TFLite.Reference;

/// <summary>
/// MUL, SUB, broadcasting ADD and HARD_SWISH, restated from TFLM's reference kernels: the two inputs are
/// addressed as TFLite's NdArrayDesc does (shapes extended to rank 4 on the left, stride 0 along a dim of
/// size 1, loops b, y, x, c), and hard-swish follows reference_ops::HardSwish's int16 steps.
/// </summary>
internal sealed partial class TflmReference
{
    private bool SameShapes(TfliteOperator op) =>
        T(op.Inputs[0]).Shape.SequenceEqual(T(op.Outputs[0]).Shape) && T(op.Inputs[1]).Shape.SequenceEqual(T(op.Outputs[0]).Shape);

    /// <summary>NdArrayDesc&lt;4&gt; of a tensor against the output: extended dims and strides, 0 where broadcast.</summary>
    private int[] Desc(int tensor)
    {
        int[] s = T(tensor).Shape;
        var dims = new int[4];
        for (int d = 0; d < 4; d++) dims[d] = d < 4 - s.Length ? 1 : s[d - (4 - s.Length)];
        var strides = new int[4];
        int st = 1;
        for (int d = 3; d >= 0; d--) { strides[d] = dims[d] == 1 ? 0 : st; st *= dims[d]; }
        return strides;
    }

    private void ForEachPair(TfliteOperator op, Dictionary<int, sbyte[]> v, sbyte[] y, Func<int, int, sbyte> f)
    {
        int ai = op.Inputs[0], bi = op.Inputs[1];
        sbyte[] a = v[ai], b = v[bi];
        int[] da = Desc(ai), db = Desc(bi);
        int[] ys = T(op.Outputs[0]).Shape;
        var e = new int[4];
        for (int d = 0; d < 4; d++) e[d] = d < 4 - ys.Length ? 1 : ys[d - (4 - ys.Length)];
        int o = 0;
        for (int n = 0; n < e[0]; n++)
            for (int h = 0; h < e[1]; h++)
                for (int w = 0; w < e[2]; w++)
                    for (int c = 0; c < e[3]; c++)
                        y[o++] = f(a[n * da[0] + h * da[1] + w * da[2] + c * da[3]], b[n * db[0] + h * db[1] + w * db[2] + c * db[3]]);
    }

    private void BroadcastAddSub(TfliteOperator op, int sign, Dictionary<int, sbyte[]> v, sbyte[] y)
    {
        int ai = op.Inputs[0], bi = op.Inputs[1], yi = op.Outputs[0];
        var p = TflmParams.Add(S(ai), S(bi), S(yi), "ref");
        var act = op.Options switch { AddOptions o => o.Activation, SubOptions o => o.Activation, _ => TfliteActivation.None };
        var (lo, hi) = TflmParams.ActivationRange(act, S(yi), Zp(yi));
        ForEachPair(op, v, y, (a, b) =>
        {
            int sa = Mbqm((a - Zp(ai)) * (1 << p.LeftShift), p.Input1.Multiplier, p.Input1.Shift);
            int sb = Mbqm((b - Zp(bi)) * (1 << p.LeftShift), p.Input2.Multiplier, p.Input2.Shift);
            return Clamp(Mbqm(sa + sign * sb, p.Output.Multiplier, p.Output.Shift) + Zp(yi), lo, hi);
        });
    }

    private void BroadcastMul(TfliteOperator op, Dictionary<int, sbyte[]> v, sbyte[] y)
    {
        int ai = op.Inputs[0], bi = op.Inputs[1], yi = op.Outputs[0];
        var (m, s) = TflmParams.Mul(S(ai), S(bi), S(yi), "ref");
        var (lo, hi) = TflmParams.ActivationRange((op.Options as MulOptions)?.Activation ?? TfliteActivation.None, S(yi), Zp(yi));
        ForEachPair(op, v, y, (a, b) => Clamp(Zp(yi) + Mbqm((a - Zp(ai)) * (b - Zp(bi)), m, s), lo, hi));
    }

    private static short Sat16(long v) => (short)Math.Max(short.MinValue, Math.Min(short.MaxValue, v));

    private static short RoundingDoublingHigh16(short a, short b)
    {
        if (a == short.MinValue && b == short.MinValue) return short.MaxValue;
        int ab = a * b;
        return (short)((ab + (ab >= 0 ? 1 << 14 : 1 - (1 << 14))) / (1 << 15));
    }

    private void HardSwish(TfliteOperator op, sbyte[] x, sbyte[] y)
    {
        int xi = op.Inputs[0], yi = op.Outputs[0];
        var (rm, re, om, oe) = TflmParams.HardSwish(S(xi), S(yi), "ref");
        for (int i = 0; i < y.Length; i++)
        {
            short hires = (short)((x[i] - Zp(xi)) * 128);
            short pre = RoundingDoublingHigh16(hires, (short)om);
            short r = hires;
            if (re > 0) r = Sat16((long)r << (re - 1));
            r = RoundingDoublingHigh16(r, (short)rm);
            if (re > 0) r = Sat16(2L * r);
            if (re < 0) r = (short)Rdbpot(r, -re);
            r = (short)((r + 32768) >> 1);
            short prod = r == short.MinValue && pre == short.MinValue ? short.MaxValue : (short)(r * pre / 32768);
            y[i] = Clamp(Rdbpot(prod, -oe) + Zp(yi), -128, 127);
        }
    }
}
