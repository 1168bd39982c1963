using Micro.Runtime.Format;
using Micro.Tooling.Graph;

namespace Micro.Tooling.TFLite;

/// <summary>MUL, SUB (both with broadcasting; ADD's broadcasting is in Add) and HARD_SWISH, with TFLM's parameters.</summary>
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
}
