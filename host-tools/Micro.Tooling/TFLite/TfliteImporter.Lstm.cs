using Micro.Runtime.Format;
using Micro.Tooling.Graph;
using LstmKernel = Micro.Runtime.Kernels.Lstm;

namespace Micro.Tooling.TFLite;

/// <summary>UnidirectionalSequenceLSTMOptions (schema.fbs): the cell gate's activation, clips, layout and two flags.</summary>
public sealed record UnidirectionalSequenceLstmOptions(TfliteActivation Activation, float CellClip, float ProjClip, bool TimeMajor,
    bool AsymmetricQuantizeInputs, bool DiagonalRecurrentTensors) : TfliteOptions;

/// <summary>
/// UNIDIRECTIONAL_SEQUENCE_LSTM → runtime LSTM (opcode 30), with the integer parameters TFLM's 8×8→16 kernel
/// derives in its Prepare (lstm_eval_common.cc, tflite-micro 90b983c):
/// <code>
/// gate FC (input and recurrent, per gate): QuantizeMultiplier((double)(s_x · s_w) / 2^−12)   (FC output Q3.12, int16)
/// forget × cell  → cell:   QuantizeMultiplier(2^−15 · s_c / s_c)        (all in double)
/// input × cell gate → cell: QuantizeMultiplier(2^−15 · 2^−15 / s_c)
/// tanh(cell) × output → h: QuantizeMultiplier(2^−15 · 2^−15 / s_h), h_zp added
/// cell power p = round(log2 s_c) (float, CheckedLog2; its failure is not checked by TFLM), quantized clip
/// = (int16) clamp(cell_clip / s_c, −32768, 32767) when cell_clip &gt; 0
/// </code>
/// The operator's intermediate tensors are not read: TFLM's integer kernel fixes the gate scales (Q3.12 in,
/// Q0.15 out) and ignores them. The 24 inputs: 0 x, 1–4 input weights (i, f, g, o), 5–8 recurrent weights,
/// 9–11 peephole weights, 12–15 biases, 16–17 projection, 18 hidden state, 19 cell state, 20–23 layer-norm
/// coefficients. Peephole, projection, layer norm and CIFG (no input gate) are refused by name, as TFLM's
/// kernel refuses them; so are float and hybrid LSTMs, per-channel or asymmetric weights and a cell gate
/// activation other than TANH. The state tensors (variables) do not become blob tensors: each inference
/// starts from TFLM's reset state (h = h_zp, c = 0).
/// </summary>
public sealed partial class TfliteImporter
{
    private const int LstmInputs = 24, LstmHidden = 18, LstmCell = 19;
    private const float GateInputScale = 0.000244140625f;    // 2^−12: FC output (Q3.12)
    private const float GateOutputScale = 0.000030517578125f; // 2^−15: sigmoid / tanh output (Q0.15)

    private void UnidirectionalSequenceLstm(TfliteOperator op)
    {
        string where = OpLabel(op);
        if (op.Inputs.Length != LstmInputs)
            throw new TfliteImportException($"{where} has {op.Inputs.Length} inputs; UNIDIRECTIONAL_SEQUENCE_LSTM has 24");
        var o = Options<UnidirectionalSequenceLstmOptions>(op, null);
        bool Present(int slot) => op.Inputs[slot] >= 0;
        if (!Present(1) || !Present(5))
            throw new TfliteImportException($"{where}: CIFG LSTM (no input gate weights, inputs 1 and 5) is not supported (TFLM's kernel needs all four gates)");
        foreach (int slot in new[] { 9, 10, 11 })
            if (Present(slot)) throw new TfliteImportException($"{where}: peephole LSTM (cell-to-gate weights, input {slot}) is not supported");
        foreach (int slot in new[] { 16, 17 })
            if (Present(slot)) throw new TfliteImportException($"{where}: LSTM with projection (input {slot}) is not supported");
        foreach (int slot in new[] { 20, 21, 22, 23 })
            if (Present(slot)) throw new TfliteImportException($"{where}: layer-norm LSTM (coefficients, input {slot}) is not supported");
        if (o.Activation != TfliteActivation.Tanh)
            throw new TfliteImportException($"{where}: cell gate activation {o.Activation.ToString().ToUpperInvariant()} is not supported (TFLM's integer LSTM takes TANH)");
        if (o.DiagonalRecurrentTensors)
            throw new TfliteImportException($"{where}: diagonal recurrent weights are not supported");
        if (!Present(LstmHidden) || !Present(LstmCell))
            throw new TfliteImportException($"{where}: the hidden state (input 18) and cell state (input 19) must be present");

        QTensor x = Input(op, 0), y = Output(op);
        if (x.Shape.Length != 3 || y.Shape.Length != 3)
            throw new TfliteImportException($"{where}: input [{string.Join(",", x.Shape)}] and output [{string.Join(",", y.Shape)}] must be rank 3");
        int batch = o.TimeMajor ? x.Shape[1] : x.Shape[0], n = x.Shape[2], s = y.Shape[2];
        if (x.Shape[0] != y.Shape[0] || x.Shape[1] != y.Shape[1])
            throw new TfliteImportException($"{where}: input [{string.Join(",", x.Shape)}] and output [{string.Join(",", y.Shape)}] differ in batch or time");

        // The state tensors: variables, int8 hidden state and int16 cell state of B·S elements each.
        TfliteTensor h = _sg.Tensors[op.Inputs[LstmHidden]], c = _sg.Tensors[op.Inputs[LstmCell]];
        if (IsConstant(h.Index) || IsConstant(c.Index))
            throw new TfliteImportException($"{where}: the hidden and cell states must be variable tensors, not constants");
        if (h.Type != TfliteTensorType.Int8)
            throw new TfliteImportException($"{where}: hidden state {h.Describe()} has type {TfliteSchema.TypeName(h.Type)}; the int8 LSTM needs INT8");
        if (c.Type != TfliteTensorType.Int16)
            throw new TfliteImportException($"{where}: cell state {c.Describe()} has type {TfliteSchema.TypeName(c.Type)}; TFLM's integer LSTM needs INT16");
        if (h.ElementCount != (long)batch * s || c.ElementCount != (long)batch * s)
            throw new TfliteImportException($"{where}: hidden and cell states must have batch × state = {batch * s} elements");
        var (hScale, hZero) = PerTensorQuantization(h.Index, where + " hidden state");
        var (cScale, cZero) = PerTensorQuantization(c.Index, where + " cell state");
        if (hZero < -128 || hZero > 127) throw new TfliteImportException($"{where}: hidden state zero point {hZero} is outside int8");
        if (cZero != 0) throw new TfliteImportException($"{where}: cell state zero point is {cZero}; it must be 0");

        // Weights [S][I] and [S][S] (gates i, f, g, o), per-tensor and symmetric; int32 biases [S].
        var weights = new sbyte[4 * s * n + 4 * s * s];
        var inBias = new int[4 * s];
        var recBias = new int[4 * s];
        var mult = new int[8];
        var shift = new int[8];
        string[] gate = { "input", "forget", "cell", "output" };
        for (int k = 0; k < 4; k++)
        {
            sbyte[] wi = LstmWeights(op, 1 + k, s, n, gate[k] + " gate input weights", out float wiScale);
            sbyte[] wr = LstmWeights(op, 5 + k, s, s, gate[k] + " gate recurrent weights", out float wrScale);
            if (!Present(12 + k)) throw new TfliteImportException($"{where}: the {gate[k]} gate bias (input {12 + k}) is missing");
            var bt = _sg.Tensors[op.Inputs[12 + k]];
            if (bt.Shape.Length != 1 || bt.Shape[0] != s)
                throw new TfliteImportException($"{where}: the {gate[k]} gate bias {bt.Describe()} must have shape [{s}]");
            int[] bias = ConstantInt32(op.Inputs[12 + k], where, gate[k] + " gate bias");
            Array.Copy(wi, 0, weights, k * s * n, wi.Length);
            Array.Copy(wr, 0, weights, 4 * s * n + k * s * s, wr.Length);
            for (int u = 0; u < s; u++)
            {
                long sumIn = 0, sumRec = 0;
                for (int i = 0; i < n; i++) sumIn += wi[u * n + i];
                for (int j = 0; j < s; j++) sumRec += wr[u * s + j];
                inBias[k * s + u] = unchecked((int)(bias[u] - (long)x.ZeroPoint * sumIn));
                recBias[k * s + u] = unchecked((int)(-(long)hZero * sumRec));
            }
            (mult[k], shift[k]) = TflmParams.FullyConnectedMultiplier(Scale(x), wiScale, null, GateInputScale, $"{where} {gate[k]} gate input FC");
            (mult[4 + k], shift[4 + k]) = TflmParams.FullyConnectedMultiplier(hScale, wrScale, null, GateInputScale, $"{where} {gate[k]} gate recurrent FC");
        }
        for (int k = 0; k < 8; k++)
            if (shift[k] > 30) throw new TfliteImportException($"{where}: gate FC shift {shift[k]} exceeds 30");

        var (fm, fs) = TflmParams.Mul(GateOutputScale, cScale, cScale, where + " forget × cell");
        var (im, ish) = TflmParams.Mul(GateOutputScale, GateOutputScale, cScale, where + " input × cell gate");
        var (om, os) = TflmParams.Mul(GateOutputScale, GateOutputScale, hScale, where + " output × tanh(cell)");
        int power = CellScalePower(cScale);
        if (power < -40 || power > 0)
            throw new TfliteImportException($"{where}: cell state scale {cScale:G9} (2^{power}) is outside 2^−40..2^0");
        int clip = 0;
        if (o.CellClip > 0)
        {
            clip = (short)Math.Min(Math.Max((double)o.CellClip / cScale, -32768.0), 32767.0);
            if (clip < 1) throw new TfliteImportException($"{where}: cell clip {o.CellClip:G9} is below one cell-state step ({cScale:G9})");
        }

        var q = new QTableOp(OpCodes.Lstm, LstmKernel.Encode(0, 0, 0, 0, 0, o.TimeMajor, hZero, clip, power, fm, fs, im, ish, om, os)) { Output = y };
        q.Tables.Add((LstmKernel.PWeights, PackBytes(weights)));
        q.Tables.Add((LstmKernel.PInBias, inBias));
        q.Tables.Add((LstmKernel.PRecBias, recBias));
        q.Tables.Add((LstmKernel.PMult, mult));
        q.Tables.Add((LstmKernel.PShift, shift));
        Emit(op, q, x);
    }

    /// <summary>A gate's int8 weight matrix [rows][cols]: per-tensor scale, zero point 0 (TFLM's FC params cannot hold more).</summary>
    private sbyte[] LstmWeights(TfliteOperator op, int slot, int rows, int cols, string role, out float scale)
    {
        string where = OpLabel(op);
        if (op.Inputs[slot] < 0) throw new TfliteImportException($"{where}: the {role} (input {slot}) are missing");
        int index = op.Inputs[slot];
        TfliteTensor t = _sg.Tensors[index];
        if (t.Type != TfliteTensorType.Int8)
            throw new TfliteImportException($"{where}: the {role} ({t.Describe()}) have type {TfliteSchema.TypeName(t.Type)}; the integer LSTM needs INT8 weights");
        if (t.Shape.Length != 2 || t.Shape[0] != rows || t.Shape[1] != cols)
            throw new TfliteImportException($"{where}: the {role} ({t.Describe()}) have shape [{string.Join(",", t.Shape)}], expected [{rows},{cols}]");
        if (t.Quantization is { IsPerAxis: true })
            throw new TfliteImportException($"{where}: the {role} ({t.Describe()}) are quantized per channel; TFLM's LSTM takes per-tensor weights");
        var (sc, zp) = PerTensorQuantization(index, where);
        if (zp != 0) throw new TfliteImportException($"{where}: the {role} ({t.Describe()}) have zero point {zp}; weights must be symmetric");
        scale = sc;
        return ConstantInt8(index, where, role);
    }

    /// <summary>CheckedLog2 (quantization_util.cc): round(log(x) · (1 / log 2)) in float32, half away from zero.</summary>
    public static int CellScalePower(float scale)
    {
        float log2 = MathF.Log(scale) * (1.0f / MathF.Log(2.0f));
        return (int)MathF.Round(log2, MidpointRounding.AwayFromZero);
    }

    /// <summary>Bytes as little-endian int32 words (zero padded), so an int32 table holds them unchanged.</summary>
    public static int[] PackBytes(sbyte[] bytes)
    {
        var words = new int[(bytes.Length + 3) / 4];
        for (int i = 0; i < bytes.Length; i++) words[i >> 2] |= (bytes[i] & 0xFF) << (8 * (i & 3));
        return words;
    }
}
