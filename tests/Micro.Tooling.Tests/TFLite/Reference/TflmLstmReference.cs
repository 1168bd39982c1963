#nullable enable
using System.Buffers.Binary;
using Micro.Tooling.TFLite;
using static Micro.Tooling.Tests.TFLite.Reference.Gemmlowp;

namespace Micro.Tooling.Tests.TFLite.Reference;

/// <summary>
/// A slow, literal re-statement of TFLite Micro's integer UNIDIRECTIONAL_SEQUENCE_LSTM (lstm_eval.h LstmStep
/// with int8 activations, int8 weights, int16 cell, int32 bias), written apart from the runtime's fused
/// kernel: TFLM's structure step by step, whole vectors at a time, with its four int16 scratch buffers,
/// its variable state tensors (reset: h = h_zp, c = 0) and its two loop orders (time major: all batches
/// per step; batch major: one batch's sequence after another). Per step:
/// <code>
/// gate k = act( AddSat( FC(x_t, W_k, bias_k) → int16 at 2^−12,  FC(h, R_k) → int16 at 2^−12 ) )   k = f, i, g, o
/// c = AddSat( Mul(f, c) → c,  Mul(i, g) → c ),  clip to ±clip_q when cell_clip &gt; 0
/// h = Mul(Tanh(c, 2^p), o) → int8 at (s_h, h_zp);  y_t = h
/// </code>
/// with reference_integer_ops' FullyConnected, MulElementwise, Logistic (int16) and Tanh (int16).
/// </summary>
internal static class TflmLstmReference
{
    private sealed class Model
    {
        public int B, T, I, S, HZero, ClipQ, CellPower;
        public bool TimeMajor, Clip;
        public int XZero;
        public sbyte[][] W = new sbyte[8][];
        public int[][] Bias = new int[4][];
        public int[] FcMult = new int[8], FcShift = new int[8];
        public int FMult, FShift, IMult, IShift, OMult, OShift;
    }

    public static sbyte[] Run(TfliteModel model, TfliteOperator op, sbyte[] x) => Run(model, op, x, out _);

    /// <summary>The output, and the int16 cell state [B][S] after the last step (the state tensor TFLM keeps).</summary>
    public static sbyte[] Run(TfliteModel model, TfliteOperator op, sbyte[] x, out short[] finalCell)
    {
        Model m = Load(model, op);
        var y = new sbyte[x.Length / m.I * m.S];
        var hidden = new sbyte[m.B * m.S];
        var cell = new short[m.B * m.S];
        Array.Fill(hidden, (sbyte)m.HZero);
        if (m.TimeMajor)
        {
            for (int t = 0; t < m.T; t++)
                Step(m, m.B, x, t * m.B * m.I, hidden, cell, 0, y, t * m.B * m.S);
        }
        else
        {
            for (int b = 0; b < m.B; b++)
                for (int t = 0; t < m.T; t++)
                    Step(m, 1, x, (b * m.T + t) * m.I, hidden, cell, b * m.S, y, (b * m.T + t) * m.S);
        }
        finalCell = cell;
        return y;
    }

    private static Model Load(TfliteModel model, TfliteOperator op)
    {
        TfliteSubGraph sg = model.SubGraphs[0];
        TfliteTensor Tn(int slot) => sg.Tensors[op.Inputs[slot]];
        var o = (UnidirectionalSequenceLstmOptions)op.Options!;
        TfliteTensor xt = Tn(0), h = Tn(18), c = Tn(19);
        var m = new Model
        {
            TimeMajor = o.TimeMajor,
            B = o.TimeMajor ? xt.Shape[1] : xt.Shape[0],
            T = o.TimeMajor ? xt.Shape[0] : xt.Shape[1],
            I = xt.Shape[2],
            S = h.Shape[^1],
            XZero = (int)xt.Quantization!.ZeroPoint[0],
            HZero = (int)h.Quantization!.ZeroPoint[0],
        };
        float xs = xt.Quantization.Scale[0], hs = h.Quantization.Scale[0], cs = c.Quantization!.Scale[0];
        const float q312 = 1f / 4096, q015 = 1f / 32768;
        // lstm_shared.h order: weights 1..4 (input, forget, cell, output), 5..8 recurrent, biases 12..15.
        for (int k = 0; k < 8; k++)
        {
            TfliteTensor w = Tn(1 + k);
            m.W[k] = model.Buffers[w.Buffer].Data.ToArray().Select(v => unchecked((sbyte)v)).ToArray();
            (m.FcMult[k], m.FcShift[k]) = TflmParams.FullyConnectedMultiplier(k < 4 ? xs : hs, w.Quantization!.Scale[0], null, q312, "ref");
        }
        for (int k = 0; k < 4; k++)
        {
            byte[] d = model.Buffers[Tn(12 + k).Buffer].Data.ToArray();
            m.Bias[k] = Enumerable.Range(0, m.S).Select(i => BinaryPrimitives.ReadInt32LittleEndian(d.AsSpan(4 * i))).ToArray();
        }
        (m.FMult, m.FShift) = TflmParams.Mul(q015, cs, cs, "ref");
        (m.IMult, m.IShift) = TflmParams.Mul(q015, q015, cs, "ref");
        (m.OMult, m.OShift) = TflmParams.Mul(q015, q015, hs, "ref");
        // CheckedLog2: log(x) · (1 / log 2) in float, rounded half away from zero.
        float l2 = (float)Math.Log(cs) * (1.0f / (float)Math.Log(2.0f));
        m.CellPower = (int)(l2 >= 0 ? Math.Floor(l2 + 0.5f) : -Math.Floor(-l2 + 0.5f));
        m.Clip = o.CellClip > 0;
        m.ClipQ = (short)Math.Min(Math.Max((double)o.CellClip / cs, -32768.0), 32767.0);
        return m;
    }

    // Weight index of each gate: input weights k, recurrent weights 4 + k, bias k (lstm_shared.h gate order).
    private const int GInput = 0, GForget = 1, GCell = 2, GOutput = 3;

    private static void Step(Model m, int nb, sbyte[] x, int xOff, sbyte[] hidden, short[] cell, int sOff, sbyte[] y, int yOff)
    {
        int n = nb * m.S;
        var buffer0 = new short[n];
        var buffer1 = new short[n];
        var buffer2 = new short[n];
        var buffer3 = new short[n];
        Gate(m, GForget, nb, x, xOff, hidden, sOff, buffer0, buffer3, sigmoid: true);
        Gate(m, GInput, nb, x, xOff, hidden, sOff, buffer1, buffer3, sigmoid: true);
        Gate(m, GCell, nb, x, xOff, hidden, sOff, buffer2, buffer3, sigmoid: false);
        // UpdateLstmCell: c = f·c; buffer1 = i·g; c = c + buffer1; clip.
        for (int i = 0; i < n; i++) cell[sOff + i] = (short)Mul16(buffer0[i], cell[sOff + i], m.FMult, m.FShift);
        for (int i = 0; i < n; i++) buffer1[i] = (short)Mul16(buffer1[i], buffer2[i], m.IMult, m.IShift);
        for (int i = 0; i < n; i++) cell[sOff + i] = (short)Math.Clamp(cell[sOff + i] + buffer1[i], short.MinValue, short.MaxValue);
        if (m.Clip)
            for (int i = 0; i < n; i++) cell[sOff + i] = (short)Math.Max(Math.Min((int)cell[sOff + i], m.ClipQ), -m.ClipQ);
        // The output gate reuses buffer1; the recurrent FC still reads the old hidden state.
        Gate(m, GOutput, nb, x, xOff, hidden, sOff, buffer1, buffer3, sigmoid: true);
        // UpdateLstmHidden: buffer0 = tanh(c); h = buffer0 · o → int8.
        int left = 15 + m.CellPower - 3, mult = 0;
        if (left < 0) { left = -left; mult = 3; }
        for (int i = 0; i < n; i++) buffer0[i] = Tanh16(cell[sOff + i], mult, left);
        for (int i = 0; i < n; i++)
            hidden[sOff + i] = (sbyte)Math.Clamp(m.HZero + Mbqm(buffer0[i] * buffer1[i], m.OMult, m.OShift), -128, 127);
        Array.Copy(hidden, sOff, y, yOff, n);
    }

    private static int Mul16(int a, int b, int mult, int shift) => Math.Clamp(Mbqm(a * b, mult, shift), short.MinValue, short.MaxValue);

    /// <summary>CalculateLstmGate: input FC (with bias) into gate, recurrent FC (no bias) into scratch, saturating add, activation.</summary>
    private static void Gate(Model m, int k, int nb, sbyte[] x, int xOff, sbyte[] hidden, int hOff, short[] gate, short[] scratch, bool sigmoid)
    {
        Fc(m.W[k], m.Bias[k], -m.XZero, m.FcMult[k], m.FcShift[k], nb, m.I, m.S, x, xOff, gate);
        Fc(m.W[4 + k], null, -m.HZero, m.FcMult[4 + k], m.FcShift[4 + k], nb, m.S, m.S, hidden, hOff, scratch);
        for (int i = 0; i < nb * m.S; i++) gate[i] = (short)Math.Clamp(gate[i] + scratch[i], short.MinValue, short.MaxValue);
        for (int i = 0; i < nb * m.S; i++) gate[i] = sigmoid ? Logistic16(gate[i], 0, 0) : Tanh16(gate[i], 0, 0);
    }

    /// <summary>reference_integer_ops::FullyConnected, int8 in, int16 out (output offset 0, activation NONE).</summary>
    private static void Fc(sbyte[] w, int[]? bias, int inputOffset, int mult, int shift, int nb, int depth, int outs, sbyte[] x, int xOff, short[] y)
    {
        for (int b = 0; b < nb; b++)
            for (int o = 0; o < outs; o++)
            {
                int acc = 0;
                for (int d = 0; d < depth; d++) acc += w[o * depth + d] * (x[xOff + b * depth + d] + inputOffset);
                if (bias != null) acc += bias[o];
                y[b * outs + o] = (short)Math.Clamp(Mbqm(acc, mult, shift), short.MinValue, short.MaxValue);
            }
    }

    private static uint Table(uint i) => (uint)Micro.Runtime.Kernels.Lstm.SigmoidTableEntry((int)i);

    /// <summary>reference_integer_ops::Logistic (int16).</summary>
    public static short Logistic16(short input, int inputMultiplier, int inputLeftShift)
    {
        if (inputMultiplier == 0) { inputMultiplier = 3 << inputLeftShift; inputLeftShift = 0; }
        int round = inputLeftShift > 0 ? 1 << (inputLeftShift - 1) : 0;
        int v = (input * inputMultiplier + round) >> inputLeftShift;
        uint abs = (uint)Math.Abs(v);
        uint uh = abs >> 9;
        uint result;
        if (uh >= 255) result = 0x7FFFu << 10;
        else
        {
            uint ua = Table(uh), ub = Table(uh + 1), ut = abs & 0x1ff;
            result = (ua << 9) + ut * (ub - ua);
        }
        result = v >= 0 ? result + (1u << 9) : (1u << (16 + 9)) - result + (1u << 9) - 1;
        result >>= 10;
        return unchecked((short)result);
    }

    /// <summary>reference_integer_ops::Tanh (int16).</summary>
    public static short Tanh16(short input, int inputMultiplier, int inputLeftShift)
    {
        if (inputMultiplier == 0) { inputMultiplier = 3 << inputLeftShift; inputLeftShift = 0; }
        int round = inputLeftShift > 0 ? 1 << (inputLeftShift - 1) : 0;
        int v = (input * inputMultiplier + round) >> inputLeftShift;
        uint abs = (uint)Math.Abs(v);
        uint uh = abs >> 8;
        int result;
        if (uh >= 255) result = 0xFFFF << 8;
        else
        {
            uint ua = Table(uh), ub = Table(uh + 1);
            byte ut = (byte)(abs & 0xFF);
            result = unchecked((int)((ua << 8) + ut * (ub - ua)));
        }
        result = v >= 0 ? result - (1 << (14 + 9)) + (1 << (9 - 2)) : -result + (1 << (14 + 9)) + (1 << (9 - 2)) - 1;
        result >>= 9 - 1;
        return unchecked((short)result);
    }
}
