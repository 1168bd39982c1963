#nullable enable
using Micro.Runtime.Format;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;
using Micro.Tooling.Running;
using Micro.Tooling.Tests.TFLite.Reference;
using Micro.Tooling.TFLite;
using static Micro.Tooling.TFLite.TfliteSchema;

namespace Micro.Tooling.Tests.TFLite;

/// <summary>
/// MUL, SUB, broadcasting ADD and HARD_SWISH from synthetic TFLite models: the runtime's output bytes equal
/// the test-side restatement of TFLM's int8 kernels (TflmReference) on random inputs, for per-channel gates
/// on either side, fused activations and both signs of the MUL shift; and the refusals name the operator.
/// </summary>
[TestClass]
public class TfliteElementwiseTests
{
    private static sbyte[] RandomInt8(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (sbyte)rng.Next(-128, 128)).ToArray();

    /// <summary>x [1,4,5,6] → MEAN gate g [1,1,1,6]; HARD_SWISH(x) → h; MUL(h, g) → m; SUB(m, g) → s; ADD(g, s) → y.</summary>
    private static byte[] GateModel(float mulScale, TfliteActivation addAct, float swishOut = 0.035f)
    {
        var b = new TfliteBuilder();
        int x = b.Int8("x", new[] { 1, 4, 5, 6 }, 0.05f, 3);
        int axis = b.Int32Const("axis", new[] { 1, 2 });
        int g = b.Int8("g", new[] { 1, 1, 1, 6 }, 0.03f, -2);
        b.Op(Op.Mean, new[] { x, axis }, new[] { g }, OptReducer, TfliteBuilder.Options((ReducerKeepDims, true)));
        int h = b.Int8("h", new[] { 1, 4, 5, 6 }, swishOut, -110);
        b.Op(Op.HardSwish, new[] { x }, new[] { h });
        int m = b.Int8("m", new[] { 1, 4, 5, 6 }, mulScale, -5);
        b.Op(Op.Mul, new[] { h, g }, new[] { m }, OptMul, TfliteBuilder.Options((MulActivation, (byte)TfliteActivation.None)));
        int s = b.Int8("s", new[] { 1, 4, 5, 6 }, 0.05f, 10);
        b.Op(Op.Sub, new[] { m, g }, new[] { s }, OptSub, TfliteBuilder.Options((SubActivation, (byte)TfliteActivation.None)));
        int y = b.Int8("y", new[] { 1, 4, 5, 6 }, 0.04f, -128);
        b.Op(Op.Add, new[] { g, s }, new[] { y }, OptAdd, TfliteBuilder.Options((AddActivation, (byte)addAct)));
        b.Inputs = new[] { x };
        b.Outputs = new[] { y };
        return b.Build();
    }

    private static void CompareAllTensors(byte[] file, int samples)
    {
        TfliteModel m = TfliteModelReader.Read(file);
        TfliteImportResult imp = TfliteImporter.ImportDetailed(m, "synthetic");
        var reference = new TflmReference(m);
        int inT = imp.TfliteTensor[imp.Graph.Inputs[0]];
        var rng = new Random(samples);
        // One blob per op boundary: each op's output is compared, not only the last.
        for (int k = 0; k < imp.Graph.Ops.Count; k++)
        {
            QGraph cut = Cut(imp.Graph, k);
            var runner = new BlobRunner(BlobEmitter.Emit(cut), earlyExit: false);
            int outT = imp.TfliteTensor[imp.Graph.Ops[k].Output];
            for (int s = 0; s < samples; s++)
            {
                sbyte[] x = RandomInt8(rng, runner.Input.ElementCount);
                byte[] got = runner.RunRaw(x.Select(v => (byte)v).ToArray());
                sbyte[] want = reference.Run(inT, x)[outT];
                for (int i = 0; i < want.Length; i++)
                    Assert.AreEqual(want[i], (sbyte)got[i], $"op {k} ({OpCodes.Name(imp.Graph.Ops[k].OpCode)}), sample {s}, element {i}");
            }
        }
    }

    /// <summary>The graph up to op k, whose output becomes the model output (also used by TfliteInt16Tests).</summary>
    internal static QGraph Cut(QGraph g, int k)
    {
        var c = new QGraph { Name = g.Name, Version = g.Version };
        var ops = g.Ops.Take(k + 1).ToList();
        var used = new HashSet<QTensor>(g.Inputs);
        foreach (var op in ops) { used.UnionWith(op.Inputs); used.Add(op.Output); }
        c.Tensors.AddRange(g.Tensors.Where(used.Contains));
        c.Inputs.AddRange(g.Inputs);
        c.Outputs.Add(ops[^1].Output);
        c.Ops.AddRange(ops);
        return c;
    }

    [TestMethod]
    public void GatedChainIsByteIdenticalToTflm()
    {
        byte[] file = GateModel(0.02f, TfliteActivation.Relu6);
        var g = TfliteImporter.Import(file);
        CollectionAssert.AreEqual(new[] { OpCodes.Mean, OpCodes.HardSwish, OpCodes.Mul, OpCodes.Sub, OpCodes.BroadcastAdd }, g.Ops.Select(o => o.OpCode).ToArray());
        CompareAllTensors(file, 12);
    }

    [TestMethod]
    public void MulWithALeftShiftAndHardSwishWithCoarseOutputAreByteIdentical()
    {
        // s_h·s_g / s_m > 1: the MUL multiplier's shift is positive; a coarse hard-swish output scale.
        byte[] file = GateModel(0.0004f, TfliteActivation.Relu, swishOut: 0.2f);
        var mul = (QSimpleOp)TfliteImporter.Import(file).Ops[2];
        Assert.IsGreaterThan(0, mul.Params[Micro.Runtime.Kernels.Mul.POutShift]);
        CompareAllTensors(file, 8);
    }

    [TestMethod]
    public void HardSwishParamsAreTflmsForKnownScales()
    {
        // hires = 0.05/128; output multiplier hires/0.03 = 0.8333·2^−6 → Q15 27307; relu-ish hires/(3/32768)
        // = 0.5333·2^3 → Q15 17476.
        Assert.AreEqual((17476, 3, 27307, -6), TflmParams.HardSwish(0.05f, 0.03f, "t"));
        Assert.AreEqual(32767, TflmParams.DownScaleToInt16(int.MaxValue));
        Assert.AreEqual(1, TflmParams.DownScaleToInt16(1 << 15));
    }

    [TestMethod]
    public void NonBroadcastingShapesAreRefusedByName()
    {
        var b = new TfliteBuilder();
        int x = b.Int8("x", new[] { 1, 4, 6 }, 0.05f, 0);
        int r = b.Int8("r", new[] { 1, 6, 4 }, 0.05f, 0);
        b.Op(Op.Reshape, new[] { x }, new[] { r });
        int y = b.Int8("y", new[] { 1, 4, 6 }, 0.05f, 0);
        b.Op(Op.Mul, new[] { x, r }, new[] { y }, OptMul, TfliteBuilder.Options((MulActivation, (byte)0)));
        b.Inputs = new[] { x };
        b.Outputs = new[] { y };
        var e = Assert.ThrowsExactly<TfliteImportException>(() => TfliteImporter.Import(b.Build()));
        StringAssert.Contains(e.Message, "MUL");
        StringAssert.Contains(e.Message, "do not broadcast");
    }
}
