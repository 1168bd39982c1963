using Micro.Nano.Tests.Support;
using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;
using Micro.Tooling.Packing;
using Micro.Tooling.TFLite;

namespace Micro.Nano.Tests;

/// <summary>The element-wise and activation kernels of issue 13 (MUL, SUB, BROADCAST_ADD, LUT, HARD_SWISH) on
/// nanoCLR: byte-identical to the host on the PyTorch fixtures packed from ONNX (lnorm for LAYER_NORM) and on a chain of every opcode.</summary>
public sealed partial class NanoConformanceTests
{
    [TestMethod]
    [DataRow("mbv3se")]
    [DataRow("silunet")]
    [DataRow("lnorm")]
    public void ActivationFixtureMatchesHostOnNanoClr(string fixture)
    {
        NanoToolchain.RequireToolchain();
        string dir = Path.Combine(NanoToolchain.RepoRoot, "tests", "fixtures", "onnx");
        byte[] blob = Packer.Pack(new PackOptions { Model = Path.Combine(dir, fixture + ".onnx"), Calibration = Path.Combine(dir, fixture + "_calib.npy") }).Blob;
        int inSize = new Micro.Tooling.Running.BlobRunner(blob).Input.ByteSize;
        var input = new byte[8 * inSize];
        new Random(13).NextBytes(input);
        RunAndCompare(fixture, blob, new List<(string, byte[])> { ("random", input) });
    }

    [TestMethod]
    public void ElementwiseChainMatchesHostOnNanoClr()
    {
        NanoToolchain.RequireToolchain();
        var g = new QGraph { Name = "elementwise", Version = "test" };
        QTensor T(string n, int[] s, float sc, int z) => g.AddTensor(n, s, sc, z);
        var x = T("x", new[] { 1, 4, 5, 6 }, 0.05f, 3);
        var gate = T("g", new[] { 1, 1, 1, 6 }, 0.03f, -2);
        var h = T("h", new[] { 1, 4, 5, 6 }, 0.035f, -110);
        var m = T("m", new[] { 1, 4, 5, 6 }, 0.02f, -5);
        var s = T("s", new[] { 1, 4, 5, 6 }, 0.05f, 10);
        var a = T("a", new[] { 1, 4, 5, 6 }, 0.04f, -20);
        var y = T("y", new[] { 1, 4, 5, 6 }, 0.03f, -100);
        void Op(int code, int[] p, QTensor o, params QTensor[] i)
        {
            var op = new QSimpleOp(code, p) { Name = OpCodes.Name(code), Output = o };
            op.Inputs.AddRange(i);
            g.Add(op);
        }
        var (mm, ms) = TflmParams.Rescale(x.Scale, gate.Scale, "mean");
        Op(OpCodes.Mean, Mean.Encode(mm, ms, -128, 127), gate, x);
        var (rm, re, om, oe) = TflmParams.HardSwish(x.Scale, h.Scale, "hard_swish");
        Op(OpCodes.HardSwish, HardSwish.Encode(rm, re, om, oe), h, x);
        var (pm, ps) = TflmParams.Mul(h.Scale, gate.Scale, m.Scale, "mul");
        Op(OpCodes.Mul, Mul.Encode(pm, ps, -128, 127), m, h, gate);
        var sp = TflmParams.Add(m.Scale, gate.Scale, s.Scale, "sub");
        Op(OpCodes.Sub, Add.Encode(sp.LeftShift, sp.Input1.Multiplier, sp.Input1.Shift, sp.Input2.Multiplier, sp.Input2.Shift, sp.Output.Multiplier, sp.Output.Shift, -128, 127), s, m, gate);
        var ap = TflmParams.Add(gate.Scale, s.Scale, a.Scale, "add");
        Op(OpCodes.BroadcastAdd, Add.Encode(ap.LeftShift, ap.Input1.Multiplier, ap.Input1.Shift, ap.Input2.Multiplier, ap.Input2.Shift, ap.Output.Multiplier, ap.Output.Shift, -20, 127), a, gate, s);
        var table = new sbyte[256];
        for (int q = -128; q < 128; q++)
        {
            double v = a.Scale * (q - a.ZeroPoint), f = v / (1 + Math.Exp(-v));
            table[q + 128] = (sbyte)Math.Clamp(Math.Round(f / y.Scale) + y.ZeroPoint, -128, 127);
        }
        Op(OpCodes.Lut, Lut.Encode(table), y, a);
        g.Inputs.Add(x);
        g.Outputs.Add(y);
        var input = new byte[16 * x.ElementCount];
        new Random(19).NextBytes(input);
        RunAndCompare("elementwise", BlobEmitter.Emit(g), new List<(string, byte[])> { ("random", input) });
    }
}
