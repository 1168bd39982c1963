using Micro.Nano.Tests.Support;
using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;
using Micro.Tooling.TFLite;

namespace Micro.Nano.Tests;

/// <summary>
/// The 16×8 kernels (int16 activations, int8 weights, int64 biases) on nanoCLR: a chain of every one
/// (QUANTIZE int8 → int16, CONV_2D, DEPTHWISE_CONV_16, ADD_16, RESHAPE, FULLY_CONNECTED, QUANTIZE int16 → int8)
/// and each kernel alone give bytes identical to the host runtime, which Micro.Tooling.Tests holds to the
/// restatement of TFLM's 16×8 reference kernels. The single-kernel runs print their µs per inference (the
/// docs' nanoCLR cost per MAC or element).
/// </summary>
public sealed partial class NanoConformanceTests
{
    private static long[] Bias64(Random rng, int n, int magnitude) => Enumerable.Range(0, n).Select(_ => (long)rng.Next(-magnitude, magnitude)).ToArray();

    private static sbyte[] Weights8(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (sbyte)rng.Next(-127, 128)).ToArray();

    private static void Append(QGraph g, QOp op, QTensor output, params QTensor[] inputs)
    {
        op.Name = OpCodes.Name(op.OpCode);
        op.Output = output;
        op.Inputs.AddRange(inputs);
        g.Add(op);
    }

    private static QConv Conv16(Random rng, QTensor x, QTensor y, int k, bool depthwise, float wScale)
    {
        int cout = y.Channels;
        var (m, s) = TflmParams.PerChannelMultipliers(x.Scale, Enumerable.Range(0, cout).Select(i => wScale * (1 + 0.1f * i)).ToArray(), y.Scale, cout, "conv");
        return new QConv
        {
            Depthwise = depthwise,
            Weights = Weights8(rng, depthwise ? k * k * cout : cout * k * k * x.Channels),
            Bias64 = Bias64(rng, cout, 1 << 18),
            Multipliers = m,
            Shifts = s,
            ActMin = -32768,
            ActMax = 32767,
            KernelH = k,
            KernelW = k,
            PadTop = k / 2,
            PadLeft = k / 2,
            FoldInputZeroPoint = false,
        };
    }

    private static QFullyConnected Fc16(Random rng, QTensor x, QTensor y, float wScale)
    {
        int k = x.Shape[^1], m = y.Shape[^1];
        var (mult, shift) = TflmParams.FullyConnectedMultiplier(x.Scale, wScale, null, y.Scale, "fc");
        return new QFullyConnected
        {
            Weights = Weights8(rng, m * k),
            Bias64 = Bias64(rng, m, 1 << 20),
            Multipliers = new[] { mult },
            Shifts = new[] { shift },
            ActMin = -32768,
            ActMax = 32767,
            FoldInputZeroPoint = false,
        };
    }

    private static QSimpleOp Add16Op(QTensor a, QTensor b, QTensor y)
    {
        var p = TflmParams.Add(a.Scale, b.Scale, y.Scale, "add16", leftShift: 15);
        return new QSimpleOp(OpCodes.Add16, Micro.Runtime.Kernels.Add.Encode(p.LeftShift, p.Input1.Multiplier, p.Input1.Shift,
            p.Input2.Multiplier, p.Input2.Shift, p.Output.Multiplier, p.Output.Shift, -32768, 32767));
    }

    private static QSimpleOp Requantize(QTensor x, QTensor y)
    {
        var (m, s) = TflmParams.Rescale(x.Scale, y.Scale, "quantize");
        return new QSimpleOp(OpCodes.Quantize, Quantize.Encode(m, s));
    }

    [TestMethod]
    public void Int16ChainMatchesHostOnNanoClr()
    {
        NanoToolchain.RequireToolchain();
        var rng = new Random(23);
        var g = new QGraph { Name = "int16x8", Version = "test" };
        var x = g.AddTensor("x", new[] { 1, 8, 8, 3 }, 0.05f, 2);
        var x16 = g.AddTensor("x16", new[] { 1, 8, 8, 3 }, 1f / 4096, 0, DType.Int16);
        var c = g.AddTensor("c", new[] { 1, 8, 8, 8 }, 0.002f, 0, DType.Int16);
        var d = g.AddTensor("d", new[] { 1, 8, 8, 8 }, 0.003f, 0, DType.Int16);
        var s = g.AddTensor("s", new[] { 1, 8, 8, 8 }, 0.004f, 0, DType.Int16);
        var flat = g.AddTensor("flat", new[] { 1, 512 }, 0.004f, 0, DType.Int16);
        var logits = g.AddTensor("logits", new[] { 1, 10 }, 0.05f, 0, DType.Int16);
        var y = g.AddTensor("y", new[] { 1, 10 }, 2f, -3);
        Append(g, Requantize(x, x16), x16, x);
        Append(g, Conv16(rng, x16, c, 3, false, 0.01f), c, x16);
        Append(g, Conv16(rng, c, d, 3, true, 0.02f), d, c);
        Append(g, Add16Op(c, d, s), s, c, d);
        Append(g, new QSimpleOp(OpCodes.Reshape, Reshape.Encode()), flat, s);
        Append(g, Fc16(rng, flat, logits, 0.01f), logits, flat);
        Append(g, Requantize(logits, y), y, logits);
        g.Inputs.Add(x);
        g.Outputs.Add(y);
        CollectionAssert.AreEqual(new[] { OpCodes.Quantize, OpCodes.Conv2D, OpCodes.DepthwiseConv16, OpCodes.Add16, OpCodes.Reshape, OpCodes.FullyConnected, OpCodes.Quantize },
            g.Ops.Select(o => o.OpCode).ToArray());
        var input = new byte[16 * x.ElementCount];
        rng.NextBytes(input);
        RunAndCompare("int16x8", BlobEmitter.Emit(g), new List<(string, byte[])> { ("random", input) });
    }

    /// <summary>One 16×8 kernel alone, int16 in and out, on random int16 inputs: byte-identical, and timed.</summary>
    [TestMethod]
    [DataRow("conv2d16_3x3_8to16_16x16")]
    [DataRow("dwconv16_3x3_16ch_16x16")]
    [DataRow("fc16_256x64")]
    [DataRow("add16_16x16x16")]
    [DataRow("quantize16to8_4096")]
    public void Int16KernelMatchesHostOnNanoClr(string name)
    {
        NanoToolchain.RequireToolchain();
        var rng = new Random(name.Length);
        var g = new QGraph { Name = name, Version = "test" };
        QTensor x;
        switch (name)
        {
            case "conv2d16_3x3_8to16_16x16":
                {
                    x = g.AddTensor("x", new[] { 1, 16, 16, 8 }, 1f / 4096, 0, DType.Int16);
                    var y = g.AddTensor("y", new[] { 1, 16, 16, 16 }, 0.01f, 0, DType.Int16);
                    Append(g, Conv16(rng, x, y, 3, false, 0.01f), y, x);
                    break;
                }
            case "dwconv16_3x3_16ch_16x16":
                {
                    x = g.AddTensor("x", new[] { 1, 16, 16, 16 }, 1f / 4096, 0, DType.Int16);
                    var y = g.AddTensor("y", new[] { 1, 16, 16, 16 }, 0.002f, 0, DType.Int16);
                    Append(g, Conv16(rng, x, y, 3, true, 0.02f), y, x);
                    break;
                }
            case "fc16_256x64":
                {
                    x = g.AddTensor("x", new[] { 1, 256 }, 1f / 4096, 0, DType.Int16);
                    var y = g.AddTensor("y", new[] { 1, 64 }, 0.01f, 0, DType.Int16);
                    Append(g, Fc16(rng, x, y, 0.01f), y, x);
                    break;
                }
            case "add16_16x16x16":
                {
                    x = g.AddTensor("x", new[] { 1, 16, 16, 16 }, 1f / 4096, 0, DType.Int16);
                    var h = g.AddTensor("h", new[] { 1, 16, 16, 16 }, 1f / 3000, 0, DType.Int16);
                    var y = g.AddTensor("y", new[] { 1, 16, 16, 16 }, 1f / 1500, 0, DType.Int16);
                    Append(g, Requantize(x, h), h, x);
                    Append(g, Add16Op(x, h, y), y, x, h);
                    break;
                }
            default:
                {
                    x = g.AddTensor("x", new[] { 1, 4096 }, 1f / 4096, 0, DType.Int16);
                    var y = g.AddTensor("y", new[] { 1, 4096 }, 0.05f, 1);
                    Append(g, Requantize(x, y), y, x);
                    break;
                }
        }
        g.Inputs.Add(x);
        g.Outputs.Add(g.Ops[^1].Output);
        var input = new byte[4 * x.ByteSize];
        rng.NextBytes(input);
        byte[] blob = BlobEmitter.Emit(g);
        // MICRO_NANO_KEEP_BLOBS=DIR keeps the blobs, e.g. for instruction counts with bench/nano-models.sh's runner.
        string? keep = Environment.GetEnvironmentVariable("MICRO_NANO_KEEP_BLOBS");
        if (!string.IsNullOrEmpty(keep)) File.WriteAllBytes(Path.Combine(keep, name + ".mblob"), blob);
        var model = Micro.Runtime.Model.Load(blob);
        TestContext.WriteLine($"{name}: MACs per op {string.Join(", ", model.Ops.Select(o => OpCodes.Name(o.Code) + " " + o.Macs))}");
        RunAndCompare(name, blob, new List<(string, byte[])> { ("random", input) });
    }
}
