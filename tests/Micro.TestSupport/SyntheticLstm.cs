#nullable enable
using System.Buffers.Binary;
using Micro.Tooling.TFLite;
using static Micro.Tooling.TFLite.TfliteSchema;

namespace Micro.TestSupport;

/// <summary>
/// Synthetic int8 UNIDIRECTIONAL_SEQUENCE_LSTM models as TFLite's converter lays them out for TFLM: 24
/// inputs (x, four input and four recurrent int8 weight matrices, no peephole, four int32 biases, no
/// projection, the int8 hidden and int16 cell states as variables, no layer norm), options TANH / cell clip /
/// time_major. Random weights and scales sized so the gates cover their int16 range, saturation included.
/// </summary>
public static class SyntheticLstm
{
    public sealed record Spec(int Batch, int Steps, int Input, int Hidden, bool TimeMajor, float CellClip, int Seed)
    {
        /// <summary>Cell state scale 2^CellPower.</summary>
        public int CellPower { get; init; } = -11;
        /// <summary>Output tensor quantization; null = the hidden state's.</summary>
        public (float Scale, int Zero)? Output { get; init; }
        public TfliteActivation Activation { get; init; } = TfliteActivation.Tanh;
    }

    /// <summary>Input slots of the optional parts, to set in <see cref="Build"/>'s tweak for refusal tests.</summary>
    public const int Peephole = 9, Projection = 16, LayerNorm = 20, InputGateWeights = 1;

    /// <summary>The model; tweak may replace input slots (tensor indices) before the op is added.</summary>
    public static byte[] Build(Spec s, Action<TfliteBuilder, int[]>? tweak = null)
    {
        var rng = new Random(s.Seed);
        var b = new TfliteBuilder();
        int[] xShape = s.TimeMajor ? new[] { s.Steps, s.Batch, s.Input } : new[] { s.Batch, s.Steps, s.Input };
        int[] yShape = s.TimeMajor ? new[] { s.Steps, s.Batch, s.Hidden } : new[] { s.Batch, s.Steps, s.Hidden };
        float xScale = 0.01f + (float)rng.NextDouble() * 0.03f;
        int x = b.Int8("x", xShape, xScale, rng.Next(-20, 21));
        float hScale = 1f / 128 + (float)rng.NextDouble() / 512;
        int hZero = rng.Next(-5, 6);
        var inputs = new int[24];
        Array.Fill(inputs, -1);
        inputs[0] = x;
        var wScale = new float[8];
        for (int k = 0; k < 8; k++)
        {
            int cols = k < 4 ? s.Input : s.Hidden;
            wScale[k] = 0.004f + (float)rng.NextDouble() * 0.03f;
            var w = new sbyte[s.Hidden * cols];
            for (int i = 0; i < w.Length; i++) w[i] = (sbyte)rng.Next(-127, 128);
            inputs[1 + k] = b.Int8Const((k < 4 ? "input_to_" : "recurrent_to_") + Gate(k % 4) + "_weights", new[] { s.Hidden, cols }, wScale[k], w);
        }
        for (int k = 0; k < 4; k++)
        {
            float biasScale = xScale * wScale[k];
            int range = (int)Math.Min(int.MaxValue / 4, 2.0 / biasScale);
            var bias = Enumerable.Range(0, s.Hidden).Select(_ => rng.Next(-range, range)).ToArray();
            inputs[12 + k] = b.Int32Const(Gate(k) + "_gate_bias", bias, biasScale);
        }
        int h = b.Int8("output_state", new[] { s.Batch, s.Hidden }, hScale, hZero);
        int c = b.Tensor("cell_state", TfliteTensorType.Int16, new[] { s.Batch, s.Hidden }, MathF.Pow(2, s.CellPower), 0);
        b.VariableTensors.Add(h);
        b.VariableTensors.Add(c);
        inputs[18] = h;
        inputs[19] = c;
        var (oScale, oZero) = s.Output ?? (hScale, hZero);
        int y = b.Int8("y", yShape, oScale, oZero);
        tweak?.Invoke(b, inputs);
        b.Op(Op.UnidirectionalSequenceLstm, inputs, new[] { y }, OptUnidirectionalSequenceLstm, TfliteBuilder.Options(
            (LstmActivation, (byte)s.Activation), (LstmCellClip, s.CellClip), (LstmProjClip, 0f), (LstmTimeMajor, s.TimeMajor)));
        b.Inputs = new[] { x };
        b.Outputs = new[] { y };
        return b.Build();
    }

    private static string Gate(int k) => k switch { 0 => "input", 1 => "forget", 2 => "cell", _ => "output" };

    /// <summary>A constant int16 vector (layer-norm coefficients) for the refusal tests.</summary>
    public static int Int16Const(TfliteBuilder b, string name, int n)
    {
        var bytes = new byte[2 * n];
        for (int i = 0; i < n; i++) BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), (short)(1000 + i));
        return b.Tensor(name, TfliteTensorType.Int16, new[] { n }, 1f / 1024, 0, bytes);
    }
}
