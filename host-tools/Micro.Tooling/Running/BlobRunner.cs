using Micro.Runtime;
using Micro.Runtime.Format;

namespace Micro.Tooling.Running;

/// <summary>
/// Runs a blob on the host with the exact runtime code the device uses, sample after sample on one
/// interpreter (as the conformance vectors were made).
/// </summary>
public sealed class BlobRunner
{
    public BlobRunner(byte[] blob, bool earlyExit = true)
    {
        Model = Model.Load(blob);
        Interpreter = new Interpreter(Model) { EarlyExitEnabled = earlyExit };
    }

    public Model Model { get; }
    public Interpreter Interpreter { get; }
    public Tensor Input => Model.Tensors[Model.Inputs[0]];
    public Tensor Output => Model.Tensors[Model.Outputs[0]];

    /// <summary>Runs raw input samples (input 0's tensor bytes back to back); returns output 0's raw bytes back to back.</summary>
    public byte[] RunRaw(byte[] inputs)
    {
        int inSize = Input.ByteSize, outSize = Output.ByteSize;
        if (inputs.Length == 0 || inputs.Length % inSize != 0)
            throw new InvalidDataException($"input data has {inputs.Length} bytes, not a whole number of samples of {inSize} bytes ({DType.Name(Input.DType)} [{string.Join(",", Input.Dims)}])");
        int samples = inputs.Length / inSize;
        var result = new byte[samples * outSize];
        for (int s = 0; s < samples; s++)
        {
            Buffer.BlockCopy(inputs, s * inSize, Interpreter.Arena, Input.ArenaOffset, inSize);
            Interpreter.Invoke();
            var t = Model.Tensors[Interpreter.OutputTensor(0)];
            Buffer.BlockCopy(Interpreter.Arena, t.ArenaOffset, result, s * outSize, outSize);
        }
        return result;
    }

    /// <summary>Quantizes float samples into input 0 (round half away from zero, clamp), runs, and dequantizes output 0.</summary>
    public float[][] RunFloat(float[][] samples, List<int>? exitsTaken = null)
    {
        int n = Input.ElementCount;
        var outputs = new float[samples.Length][];
        for (int s = 0; s < samples.Length; s++)
        {
            if (samples[s].Length != n)
                throw new InvalidDataException($"sample {s} has {samples[s].Length} values; the model input is [{string.Join(",", Input.Dims)}] = {n} values");
            Quantize(samples[s], Input, Interpreter.Arena);
            int exit = Interpreter.Invoke();
            exitsTaken?.Add(exit);
            var t = Model.Tensors[Interpreter.OutputTensor(0)];
            outputs[s] = new float[t.ElementCount];
            for (int i = 0; i < t.ElementCount; i++) outputs[s][i] = Interpreter.OutputReal(0, i);
        }
        return outputs;
    }

    public static void Quantize(float[] values, Tensor t, sbyte[] arena)
    {
        int lo = t.DType == DType.Int16 ? short.MinValue : sbyte.MinValue;
        int hi = t.DType == DType.Int16 ? short.MaxValue : sbyte.MaxValue;
        for (int i = 0; i < values.Length; i++)
        {
            double q = Math.Round(values[i] / (double)t.Scale, MidpointRounding.AwayFromZero) + t.ZeroPoint;
            int v = (int)Math.Clamp(double.IsNaN(q) ? t.ZeroPoint : q, lo, hi);
            if (t.DType == DType.Int16)
            {
                arena[t.ArenaOffset + 2 * i] = (sbyte)v;
                arena[t.ArenaOffset + 2 * i + 1] = (sbyte)(v >> 8);
            }
            else arena[t.ArenaOffset + i] = (sbyte)v;
        }
    }
}
