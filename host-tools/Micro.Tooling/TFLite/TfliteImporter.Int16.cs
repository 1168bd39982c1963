using System.Buffers.Binary;
using Micro.Runtime.Format;
using Micro.Tooling.Graph;
using Op = Micro.Tooling.TFLite.TfliteSchema.Op;

namespace Micro.Tooling.TFLite;

/// <summary>
/// TFLite's 16x8 mode: int16 activations (zero point 0), int8 weights, int64 biases. Every operator that reads
/// or writes an int16 activation comes here; each is lowered with TFLM's integer parameters, or refused with
/// "int16x8 OP is not supported".
/// <list type="bullet">
/// <item>QUANTIZE between int8 and int16 (either way) and int16 → int16: QUANTIZE, reference_ops::Requantize;</item>
/// <item>FULLY_CONNECTED (per-tensor weights), CONV_2D (dense or grouped) with int64 (or no) bias: the int8
/// lowering with the int64 bias set afterwards; the runtime's FC / conv kernels run their 16×8 path;</item>
/// <item>DEPTHWISE_CONV_2D: DEPTHWISE_CONV_16;</item>
/// <item>ADD of same-shape tensors: ADD_16 (TFLM's general path with left_shift 15; pot_scale_int16 is ignored,
/// as TFLM ignores it);</item>
/// <item>RESHAPE: as for int8 (bytes copied).</item>
/// </list>
/// A float model input feeding a QUANTIZE to int16, and a DEQUANTIZE of an int16 output, are stripped like their
/// int8 forms (TfliteImporter.ResolveInputEdges / ResolveOutputEdges).
/// </summary>
public sealed partial class TfliteImporter
{
    /// <summary>Set while a 16x8 weighted operator goes through the int8 lowering: Bias then leaves an int64 bias to LowerWeighted16.</summary>
    private bool _wideBias;

    /// <summary>Whether any activation the operator reads or writes is int16.</summary>
    private bool TouchesInt16(TfliteOperator op)
    {
        // The int8 LSTM keeps an int16 cell state (a variable tensor): that is TfliteImporter.Lstm's affair.
        if (Code(op) == Op.UnidirectionalSequenceLstm) return false;
        foreach (int t in op.Inputs.Concat(op.Outputs))
        {
            if (t >= 0 && t < _sg.Tensors.Count && !IsConstant(t) && _sg.Tensors[t].Type == TfliteTensorType.Int16) return true;
        }
        return false;
    }

    private void LowerInt16(TfliteOperator op, int code)
    {
        switch (code)
        {
            case Op.Quantize: Requantize(op); break;
            case Op.FullyConnected: LowerWeighted16(op, () => FullyConnected(op), perChannelAllowed: false); break;
            case Op.Conv2D: LowerWeighted16(op, () => Conv(op, depthwise: false), perChannelAllowed: true); break;
            case Op.DepthwiseConv2D: LowerWeighted16(op, () => Conv(op, depthwise: true), perChannelAllowed: true); break;
            case Op.Add: Add16(op); break;
            case Op.Reshape:
                RequireInt16(op, "RESHAPE");
                Reshape(op);
                break;
            default:
                throw new TfliteImportException($"{OpLabel(op)}: int16x8 {BareName(code)} is not supported (16x8 operators supported: QUANTIZE, FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D, ADD, RESHAPE)");
        }
    }

    private static string BareName(int code)
    {
        string n = TfliteSchema.OperatorName(code);
        int paren = n.IndexOf(" (", StringComparison.Ordinal);
        return paren > 0 ? n[..paren] : n;
    }

    /// <summary>Every activation of the operator is int16 (16x8 operators do not mix types; QUANTIZE converts).</summary>
    private void RequireInt16(TfliteOperator op, string name)
    {
        foreach (int t in op.Inputs.Concat(op.Outputs))
        {
            if (t < 0 || IsConstant(t)) continue;
            if (_sg.Tensors[t].Type != TfliteTensorType.Int16)
                throw new TfliteImportException($"{OpLabel(op)}: int16x8 {name} mixes int16 with {TfliteSchema.TypeName(_sg.Tensors[t].Type)} activation {Describe(t)}; it is not supported");
        }
    }

    /// <summary>
    /// FULLY_CONNECTED / CONV_2D / DEPTHWISE_CONV_2D with int16 input and output, int8 weights and an int64
    /// bias (TFLM's 16×8 kernels accumulate in 64 bits and requantize with the 64-bit
    /// MultiplyByQuantizedMultiplier). The int8 lowering computes shapes, padding and multipliers (the same
    /// formulas in TFLM); the int64 bias is attached afterwards and the input zero point is never folded.
    /// </summary>
    private void LowerWeighted16(TfliteOperator op, Action lower, bool perChannelAllowed)
    {
        int code = Code(op);
        string name = BareName(code);
        RequireInt16(op, name);
        string where = OpLabel(op);
        long[]? bias64 = null;
        if (op.Inputs.Length > 2 && op.Inputs[2] >= 0)
        {
            int bi = op.Inputs[2];
            TfliteTensor bt = _sg.Tensors[bi];
            // TFLM runs an int32 bias through a 32-bit accumulator and the 32-bit rescale: other arithmetic.
            if (bt.Type != TfliteTensorType.Int64)
                throw new TfliteImportException($"{where}: int16x8 {name} with an {TfliteSchema.TypeName(bt.Type)} bias is not supported (16x8 models have int64 biases)");
            ReadOnlySpan<byte> b = ConstantBytes(bi, TfliteTensorType.Int64, where, "bias").Span;
            bias64 = new long[b.Length / 8];
            for (int i = 0; i < bias64.Length; i++) bias64[i] = BinaryPrimitives.ReadInt64LittleEndian(b.Slice(8 * i, 8));
        }
        if (!perChannelAllowed && op.Inputs.Length > 1 && op.Inputs[1] >= 0 && _sg.Tensors[op.Inputs[1]].Quantization is { Scale.Length: > 1 })
            throw new TfliteImportException($"{where}: int16x8 {name} with per-channel weights is not supported");

        int before = _graph.Ops.Count;
        _wideBias = true;
        try
        {
            lower();
        }
        finally
        {
            _wideBias = false;
        }
        if (_graph.Ops.Count != before + 1 || _graph.Ops[^1] is not QWeightedOp q)
            throw new InvalidOperationException($"{where}: the int8 lowering did not emit one weighted op");
        int channels = q.Output.Channels;
        if (bias64 != null && bias64.Length != channels)
            throw new TfliteImportException($"{where}: bias has {bias64.Length} values for {channels} output channels");
        foreach (int s in q.Shifts)
        {
            // TFLM's 64-bit MultiplyByQuantizedMultiplier requires shift < 8 (it DCHECKs it).
            if (s > 7) throw new TfliteImportException($"{where}: int16x8 requantization shift {s} exceeds 7 (output scale far below input × weight scale)");
        }
        q.Bias = null;
        q.Bias64 = bias64;
        q.FoldInputZeroPoint = false;
    }

    /// <summary>ADD of two int16 tensors of the output's shape: ADD_16 with ADD's params at left_shift 15.</summary>
    private void Add16(TfliteOperator op)
    {
        string where = OpLabel(op);
        RequireInt16(op, "ADD");
        var o = Options(op, new AddOptions(TfliteActivation.None, true));
        if (op.Inputs.Length != 2) throw new TfliteImportException($"{where} has {op.Inputs.Length} inputs, expected 2");
        QTensor a = Input(op, 0);
        QTensor b = Input(op, 1);
        QTensor y = Output(op);
        if (!SameShape(a, y) || !SameShape(b, y))
            throw new TfliteImportException($"{where}: int16x8 ADD with broadcasting is not supported ([{string.Join(",", a.Shape)}] + [{string.Join(",", b.Shape)}] → [{string.Join(",", y.Shape)}])");
        AddQuantParams p = TflmParams.Add(Scale(a), Scale(b), Scale(y), where, leftShift: 15);
        var (actMin, actMax) = Activation(op, o.Activation, y);
        var q = new QSimpleOp(OpCodes.Add16, Micro.Runtime.Kernels.Add.Encode(p.LeftShift, p.Input1.Multiplier, p.Input1.Shift,
            p.Input2.Multiplier, p.Input2.Shift, p.Output.Multiplier, p.Output.Shift, actMin, actMax))
        { Output = y };
        Emit(op, q, a, b);
    }
}
