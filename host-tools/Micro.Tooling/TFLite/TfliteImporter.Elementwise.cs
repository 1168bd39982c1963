using Micro.Runtime.Format;
using Micro.Tooling.Graph;

namespace Micro.Tooling.TFLite;

/// <summary>MUL, SUB (both with broadcasting; ADD's broadcasting is in Add), MUL by a constant, HARD_SWISH and GELU,
/// with TFLM's parameters.</summary>
public sealed partial class TfliteImporter
{
    /// <summary>TFLite's broadcasting: dims right-aligned, each input dim equal to the output's or 1; the output
    /// is the broadcast shape. Ranks up to 4 (the blob's); TFLM goes to 6, such models are refused here by name.</summary>
    private static void CheckBroadcast(QTensor a, QTensor b, QTensor y, string where)
    {
        string shapes = $"[{string.Join(",", a.Shape)}] and [{string.Join(",", b.Shape)}] → [{string.Join(",", y.Shape)}]";
        int r = y.Shape.Length;
        if (a.Shape.Length > r || b.Shape.Length > r) throw new TfliteImportException($"{where}: {shapes}: an input has a higher rank than the output");
        for (int d = 0; d < r; d++)
        {
            int ad = d - (r - a.Shape.Length) is int ia && ia >= 0 ? a.Shape[ia] : 1;
            int bd = d - (r - b.Shape.Length) is int ib && ib >= 0 ? b.Shape[ib] : 1;
            if (y.Shape[d] != Math.Max(ad, bd) || (ad != 1 && ad != y.Shape[d]) || (bd != 1 && bd != y.Shape[d]))
                throw new TfliteImportException($"{where}: {shapes} do not broadcast (dimension {d})");
        }
    }

    /// <summary>MUL: params out_mult, out_shift = QuantizeMultiplier(s_a·s_b / s_y), act_min, act_max.</summary>
    private void MulOp(TfliteOperator op)
    {
        string where = OpLabel(op);
        var o = Options(op, new MulOptions(TfliteActivation.None));
        if (op.Inputs.Length != 2) throw new TfliteImportException($"{where} has {op.Inputs.Length} inputs, expected 2");
        for (int k = 0; k < 2; k++)
        {
            if (op.Inputs[k] >= 0 && IsConstant(op.Inputs[k]) && op.Inputs[1 - k] >= 0 && !IsConstant(op.Inputs[1 - k]))
            {
                MulByConstant(op, o, k);
                return;
            }
        }
        QTensor a = Input(op, 0), b = Input(op, 1), y = Output(op);
        CheckBroadcast(a, b, y, where);
        var (m, s) = TflmParams.Mul(Scale(a), Scale(b), Scale(y), where);
        var (lo, hi) = Activation(op, o.Activation, y);
        Emit(op, new QSimpleOp(OpCodes.Mul, Micro.Runtime.Kernels.Mul.Encode(m, s, lo, hi)) { Output = y }, a, b);
    }

    /// <summary>SUB: ADD's nine params (TFLM derives them the same way, left shift 20 for int8).</summary>
    private void SubOp(TfliteOperator op)
    {
        string where = OpLabel(op);
        var o = Options(op, new SubOptions(TfliteActivation.None, true));
        if (op.Inputs.Length != 2) throw new TfliteImportException($"{where} has {op.Inputs.Length} inputs, expected 2");
        QTensor a = Input(op, 0), b = Input(op, 1), y = Output(op);
        CheckBroadcast(a, b, y, where);
        AddQuantParams p = TflmParams.Add(Scale(a), Scale(b), Scale(y), where);
        var (lo, hi) = Activation(op, o.Activation, y);
        Emit(op, new QSimpleOp(OpCodes.Sub, Micro.Runtime.Kernels.Add.Encode(p.LeftShift, p.Input1.Multiplier, p.Input1.Shift,
            p.Input2.Multiplier, p.Input2.Shift, p.Output.Multiplier, p.Output.Shift, lo, hi))
        { Output = y }, a, b);
    }

    /// <summary>HARD_SWISH: TFLM's HardSwishParams (TflmParams.HardSwish); the zero points are the tensors'.</summary>
    private void HardSwishOp(TfliteOperator op)
    {
        string where = OpLabel(op);
        QTensor x = Input(op, 0), y = Output(op);
        if (!SameShape(x, y)) throw new TfliteImportException($"{where}: input and output shapes differ");
        var (rm, re, om, oe) = TflmParams.HardSwish(Scale(x), Scale(y), where);
        Emit(op, new QSimpleOp(OpCodes.HardSwish, Micro.Runtime.Kernels.HardSwish.Encode(rm, re, om, oe)) { Output = y }, x);
    }

    /// <summary>
    /// MUL of an activation a by a constant c (input <paramref name="constSlot"/>), TFLM's arithmetic
    /// y = clamp(y_zp + MBQM((a − a_zp)·(c − c_zp), m, s)) with (m, s) = QuantizeMultiplier(s_a·s_c / s_y), on existing
    /// opcodes: a scalar c is tabulated over the 256 values of a into a LUT; a per-channel c (shape [..., 1, C],
    /// C = a's last dimension, a NHWC) is a 1×1 DEPTHWISE_CONV with weights c − c_zp (int8) and the same multiplier
    /// on every channel, whose accumulate-requantize-clamp is TFLM MUL's for one product.
    /// </summary>
    private void MulByConstant(TfliteOperator op, MulOptions o, int constSlot)
    {
        string where = OpLabel(op);
        int ci = op.Inputs[constSlot];
        TfliteTensor ct = _sg.Tensors[ci];
        sbyte[] c = ConstantInt8(ci, where, "constant operand");
        var (cScale, cZero) = PerTensorQuantization(ci, where);
        QTensor a = Input(op, 1 - constSlot), y = Output(op);
        string shapes = $"[{string.Join(",", a.Shape)}] × constant [{string.Join(",", ct.Shape)}] → [{string.Join(",", y.Shape)}]";
        if (!SameShape(a, y)) throw new TfliteImportException($"{where}: {shapes}: the constant broadcasts the activation to a larger shape; only constants that keep its shape are supported");
        var (m, s) = TflmParams.Mul(Scale(a), cScale, Scale(y), where);
        var (lo, hi) = Activation(op, o.Activation, y);
        if (c.Length == 1)
        {
            var table = new sbyte[256];
            for (int q = -128; q < 128; q++)
            {
                int v = y.ZeroPoint + Micro.Runtime.Kernels.FixedPoint.MultiplyByQuantizedMultiplier((q - a.ZeroPoint) * (c[0] - cZero), m, s);
                table[q + 128] = (sbyte)Math.Clamp(v, lo, hi);
            }
            Emit(op, new QSimpleOp(OpCodes.Lut, Micro.Runtime.Kernels.Lut.Encode(table)) { Output = y }, a);
            return;
        }
        int ch = a.Shape[^1];
        bool perChannel = ct.Shape.Length <= a.Shape.Length && ct.Shape.Length >= 1 && ct.Shape[^1] == ch && c.Length == ch;
        if (!perChannel)
            throw new TfliteImportException($"{where}: {shapes}: MUL by a constant is supported for a scalar or one value per channel (the last axis)");
        if (a.Shape.Length != 4)
            throw new TfliteImportException($"{where}: {shapes}: MUL by a per-channel constant needs a rank-4 (NHWC) activation");
        var w = new sbyte[ch];
        for (int i = 0; i < ch; i++)
        {
            int d = c[i] - cZero;
            if (d < -128 || d > 127)
                throw new TfliteImportException($"{where}: constant value {c[i]} minus its zero point {cZero} is {d}, outside int8 (per-channel MUL runs as a depthwise product)");
            w[i] = (sbyte)d;
        }
        var conv = new QConv
        {
            Depthwise = true,
            Weights = w,
            Multipliers = Enumerable.Repeat(m, ch).ToArray(),
            Shifts = Enumerable.Repeat(s, ch).ToArray(),
            ActMin = lo,
            ActMax = hi,
            Output = y,
        };
        Emit(op, conv, a);
    }

    /// <summary>
    /// GELU (int8): TFLM tabulates it at prepare (LUTPopulate) and so does this, into a LUT: for each input q,
    /// x = s_x·(q − x_zp) in float, f = 0.5·x·(1 + erf(x/√2)) or, with approximate, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))),
    /// y = clamp(round_half_away(f · (1/s_y)) + y_zp, −128, 127), all in float32 like TFLM.
    /// </summary>
    private void GeluOp(TfliteOperator op)
    {
        string where = OpLabel(op);
        var o = Options(op, new GeluOptions(false));
        QTensor x = Input(op, 0), y = Output(op);
        if (!SameShape(x, y)) throw new TfliteImportException($"{where}: input and output shapes differ");
        float sx = Scale(x), inv = 1f / Scale(y);
        var table = new sbyte[256];
        for (int q = -128; q < 128; q++)
        {
            float v = sx * (q - x.ZeroPoint);
            float f = o.Approximate
                ? 0.5f * v * (1f + MathF.Tanh(SqrtTwoOverPi * (v + 0.044715f * v * v * v)))
                : 0.5f * v * (1f + ErfF(v * SqrtHalf));
            float r = MathF.Round(f * inv, MidpointRounding.AwayFromZero);
            table[q + 128] = (sbyte)Math.Clamp((int)r + y.ZeroPoint, -128, 127);
        }
        Emit(op, new QSimpleOp(OpCodes.Lut, Micro.Runtime.Kernels.Lut.Encode(table)) { Output = y }, x);
    }

    private static readonly float SqrtHalf = (float)0.70710678118654752440, SqrtTwoOverPi = (float)(1.12837916709551257390 * 0.70710678118654752440);

    /// <summary>erf in float, correctly rounded from a double evaluation (as erff): the Maclaurin series below
    /// |x| = 3, the continued fraction of erfc above (both far below a float ulp there).</summary>
    public static float ErfF(float xf)
    {
        double x = Math.Abs((double)xf), r;
        if (x < 3)
        {
            double term = x, sum = x;
            for (int n = 1; n < 200 && Math.Abs(term) > 1e-17 * Math.Abs(sum); n++)
            {
                term *= -x * x / n;
                sum += term / (2 * n + 1);
            }
            r = 2 / Math.Sqrt(Math.PI) * sum;
        }
        else
        {
            double f = x;
            for (int k = 80; k >= 1; k--) f = x + k / 2.0 / f;
            r = 1 - Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
        }
        return (float)(xf < 0 ? -r : r);
    }
}
