using Micro.Nano.Tests.Support;
using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;
using Micro.Tooling.TFLite;

namespace Micro.Nano.Tests;

/// <summary>LSTM (opcode 30) on nanoCLR: byte-identical to the host on a chain of two LSTMs, the first of
/// TFLM's MNIST example shape (28 steps of 28 inputs, 20 units, cell clip on), the second time-major.</summary>
public sealed partial class NanoConformanceTests
{
    [TestMethod]
    public void LstmChainMatchesHostOnNanoClr()
    {
        NanoToolchain.RequireToolchain();
        var rng = new Random(30);
        var g = new QGraph { Name = "lstm", Version = "test" };
        var x = g.AddTensor("x", new[] { 1, 28, 28 }, 0.02f, -3);
        var h1 = g.AddTensor("h1", new[] { 1, 28, 20 }, 1f / 128, 2);
        var h1t = g.AddTensor("h1t", new[] { 28, 1, 20 }, 1f / 128, 2);
        var h2 = g.AddTensor("h2", new[] { 28, 1, 12 }, 1f / 100, -4);
        g.Add(LstmOp(rng, x, h1, 28, 20, timeMajor: false, cellPower: -11, clip: 3000));
        var reshape = new QSimpleOp(OpCodes.Reshape, Reshape.Encode()) { Name = "reshape", Output = h1t };
        reshape.Inputs.Add(h1);
        g.Add(reshape);
        g.Add(LstmOp(rng, h1t, h2, 20, 12, timeMajor: true, cellPower: -13, clip: 0));
        g.Inputs.Add(x);
        g.Outputs.Add(h2);
        var input = new byte[6 * x.ElementCount];
        rng.NextBytes(input);
        RunAndCompare("lstm", BlobEmitter.Emit(g), new List<(string, byte[])> { ("random", input) });
    }

    /// <summary>An LSTM op with random weights and TFLM's parameters for these scales (as TfliteImporter.Lstm derives them).</summary>
    private static QTableOp LstmOp(Random rng, QTensor x, QTensor y, int n, int s, bool timeMajor, int cellPower, int clip)
    {
        var weights = new sbyte[4 * s * n + 4 * s * s];
        for (int i = 0; i < weights.Length; i++) weights[i] = (sbyte)rng.Next(-127, 128);
        var mult = new int[8];
        var shift = new int[8];
        for (int k = 0; k < 8; k++)
            (mult[k], shift[k]) = TflmParams.FullyConnectedMultiplier(k < 4 ? x.Scale : y.Scale, 0.005f + 0.003f * k, null, 1f / 4096, "lstm");
        var inBias = new int[4 * s];
        var recBias = new int[4 * s];
        for (int i = 0; i < inBias.Length; i++)
        {
            inBias[i] = rng.Next(-40000, 40000);
            recBias[i] = rng.Next(-4000, 4000);
        }
        float cellScale = MathF.Pow(2, cellPower);
        var (fm, fs) = TflmParams.Mul(1f / 32768, cellScale, cellScale, "forget");
        var (im, ish) = TflmParams.Mul(1f / 32768, 1f / 32768, cellScale, "input");
        var (om, os) = TflmParams.Mul(1f / 32768, 1f / 32768, y.Scale, "output");
        var op = new QTableOp(OpCodes.Lstm, Lstm.Encode(0, 0, 0, 0, 0, timeMajor, y.ZeroPoint, clip, cellPower, fm, fs, im, ish, om, os))
        { Name = "lstm " + y.Name, Output = y };
        op.Inputs.Add(x);
        op.Tables.Add((Lstm.PWeights, TfliteImporter.PackBytes(weights)));
        op.Tables.Add((Lstm.PInBias, inBias));
        op.Tables.Add((Lstm.PRecBias, recBias));
        op.Tables.Add((Lstm.PMult, mult));
        op.Tables.Add((Lstm.PShift, shift));
        return op;
    }
}
