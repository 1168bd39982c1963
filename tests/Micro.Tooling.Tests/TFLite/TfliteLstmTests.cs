#nullable enable
using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.TestSupport;
using Micro.Tooling.Blob;
using Micro.Tooling.Running;
using Micro.Tooling.Tests.TFLite.Reference;
using Micro.Tooling.TFLite;
using static Micro.Tooling.TFLite.TfliteSchema;

namespace Micro.Tooling.Tests.TFLite;

/// <summary>
/// UNIDIRECTIONAL_SEQUENCE_LSTM from synthetic int8 TFLite models: the runtime's LSTM (opcode 30) gives the
/// same bytes as the test-side restatement of TFLM's integer kernel (TflmLstmReference) over batch 1..3,
/// 1..28 time steps, hidden sizes 4..32, both layouts, cell clip on and off; the refusals name the variant.
/// </summary>
[TestClass]
public class TfliteLstmTests
{
    private static void AssertMatchesReference(SyntheticLstm.Spec spec, int samples)
    {
        byte[] file = SyntheticLstm.Build(spec);
        TfliteModel model = TfliteModelReader.Read(file);
        var graph = TfliteImporter.Import(model, "lstm");
        Assert.AreEqual(1, graph.Ops.Count);
        Assert.AreEqual(OpCodes.Lstm, graph.Ops[0].OpCode);
        var runner = new BlobRunner(BlobEmitter.Emit(graph), earlyExit: false);
        var rng = new Random(spec.Seed * 7 + 1);
        var seen = new HashSet<sbyte>();
        for (int s = 0; s < samples; s++)
        {
            var x = new sbyte[runner.Input.ElementCount];
            for (int i = 0; i < x.Length; i++) x[i] = (sbyte)rng.Next(-128, 128);
            byte[] got = runner.RunRaw(x.Select(v => unchecked((byte)v)).ToArray());
            sbyte[] want = TflmLstmReference.Run(model, model.SubGraphs[0].Operators[0], x, out short[] cell);
            Assert.AreEqual(want.Length, got.Length);
            // The int16 cell state after the last step too: an int16 difference rarely reaches the int8 output.
            int[] kernelCell = ((LstmData)runner.Model.Ops[0].Data!).Cell;
            for (int i = 0; i < cell.Length; i++) Assert.AreEqual(cell[i], kernelCell[i], $"{spec}: sample {s}, final cell {i}");
            for (int i = 0; i < want.Length; i++)
            {
                Assert.AreEqual(want[i], unchecked((sbyte)got[i]), $"{spec}: sample {s}, element {i}");
                seen.Add(want[i]);
            }
        }
        // Outputs must vary (a constant output would pass trivially).
        Assert.IsTrue(seen.Count > Math.Min(8, spec.Hidden), $"{spec}: only {seen.Count} distinct output values");
    }

    [TestMethod]
    [DataRow(1, 1, 3, 4, false, 0f, 1)]
    [DataRow(1, 28, 28, 20, false, 0f, 2)]      // the shape of TFLM's MNIST LSTM example
    [DataRow(1, 28, 28, 20, false, 1.5f, 3)]
    [DataRow(2, 5, 7, 32, false, 0f, 4)]
    [DataRow(3, 9, 5, 16, false, 0.8f, 5)]
    [DataRow(2, 6, 10, 12, true, 0f, 6)]
    [DataRow(3, 4, 9, 8, true, 2.5f, 7)]
    [DataRow(1, 17, 1, 32, true, 0f, 8)]
    [DataRow(1, 12, 16, 5, false, 0.3f, 9)]
    public void LstmMatchesTflmRestatement(int batch, int steps, int input, int hidden, bool timeMajor, float clip, int seed)
    {
        AssertMatchesReference(new SyntheticLstm.Spec(batch, steps, input, hidden, timeMajor, clip, seed), 6);
    }

    [TestMethod]
    public void LstmMatchesWithOtherCellScalesAndAnOutputQuantizationUnlikeTheHiddenState()
    {
        // Cell scale 2^-15 (tanh input shifted right), 2^-8 and 2^-12 (no shift); an output tensor whose own
        // quantization differs from the hidden state's (TFLM writes the hidden state's bytes regardless).
        AssertMatchesReference(new SyntheticLstm.Spec(2, 7, 6, 9, false, 0f, 11) { CellPower = -15 }, 4);
        AssertMatchesReference(new SyntheticLstm.Spec(1, 10, 6, 9, false, 0.5f, 12) { CellPower = -8 }, 4);
        AssertMatchesReference(new SyntheticLstm.Spec(1, 10, 6, 9, true, 0f, 13) { CellPower = -12, Output = (0.02f, 7) }, 4);
    }

    [TestMethod]
    public void OutputsVaryAndClipChangesThem()
    {
        // The comparisons above are meaningful only if outputs depend on the input and the clip takes effect.
        var spec = new SyntheticLstm.Spec(1, 20, 8, 16, false, 0f, 21) { CellPower = -11 };
        byte[] Run(SyntheticLstm.Spec s, sbyte[] x) =>
            new BlobRunner(BlobEmitter.Emit(TfliteImporter.Import(SyntheticLstm.Build(s))), earlyExit: false).RunRaw(x.Select(v => unchecked((byte)v)).ToArray());
        var rng = new Random(5);
        var x1 = Enumerable.Range(0, 20 * 8).Select(_ => (sbyte)rng.Next(-128, 128)).ToArray();
        var x2 = Enumerable.Range(0, 20 * 8).Select(_ => (sbyte)rng.Next(-128, 128)).ToArray();
        byte[] a = Run(spec, x1), b = Run(spec, x2), c = Run(spec with { CellClip = 0.05f }, x1);
        Assert.IsTrue(a.Distinct().Count() > 20, "outputs take many values");
        Assert.IsFalse(a.SequenceEqual(b), "outputs depend on the input");
        Assert.IsFalse(a.SequenceEqual(c), "a tight cell clip changes the outputs");
        // Stateless per inference: running the same input twice gives the same bytes.
        var runner = new BlobRunner(BlobEmitter.Emit(TfliteImporter.Import(SyntheticLstm.Build(spec))), earlyExit: false);
        byte[] first = runner.RunRaw(x1.Select(v => unchecked((byte)v)).ToArray());
        runner.RunRaw(x2.Select(v => unchecked((byte)v)).ToArray());
        CollectionAssert.AreEqual(first, runner.RunRaw(x1.Select(v => unchecked((byte)v)).ToArray()));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void SteppedLstmGivesInvokesBytes(bool timeMajor)
    {
        // Interpreter.Step cuts the LSTM at any output element (one unit, a random budget, the default): the
        // cell state of each batch carries across the cuts, so the bytes equal one whole Eval.
        byte[] blob = BlobEmitter.Emit(TfliteImporter.Import(SyntheticLstm.Build(new SyntheticLstm.Spec(3, 6, 5, 7, timeMajor, 0.7f, 50))));
        var invoked = new Micro.Runtime.Interpreter(Micro.Runtime.Model.Load(blob));
        var stepped = new Micro.Runtime.Interpreter(Micro.Runtime.Model.Load(blob));
        Assert.AreEqual(3 * 6 * 7, stepped.Model.Ops[0].Units);
        var rng = new Random(51);
        foreach (int budget in new[] { 1, rng.Next(1, 60000), rng.Next(1, 60000), Micro.Runtime.Interpreter.DefaultStepBudget })
        {
            var x = Enumerable.Range(0, 3 * 6 * 5).Select(_ => (sbyte)rng.Next(-128, 128)).ToArray();
            invoked.SetInput(0, x, 0);
            invoked.Invoke();
            for (int i = 0; i < stepped.Arena.Length; i++) stepped.Arena[i] ^= 0x5A;
            stepped.SetInput(0, x, 0);
            stepped.StepBudget = budget;
            stepped.Start();
            int steps = 1;
            while (!stepped.Step()) steps++;
            if (budget == 1) Assert.AreEqual(3 * 6 * 7, steps);
            var y = invoked.Model.Tensors[invoked.OutputTensor(0)];
            CollectionAssert.AreEqual(invoked.Arena.Skip(y.ArenaOffset).Take(y.ByteSize).ToArray(),
                stepped.Arena.Skip(y.ArenaOffset).Take(y.ByteSize).ToArray(), $"budget {budget}");
        }
    }

    [TestMethod]
    public void SigmoidTableIsTflitesSigmoidOverTwentyFour()
    {
        // σ(i/24) in 0.16 within 1.2 of the exact value, non-decreasing, and TFLite's exact entries by checksum.
        long sum = 0, weighted = 0;
        for (int i = 0; i < 256; i++)
        {
            int v = Lstm.SigmoidTableEntry(i);
            Assert.AreEqual(65536 / (1 + Math.Exp(-i / 24.0)), v, 1.2, $"entry {i}");
            if (i > 0) Assert.IsTrue(v >= Lstm.SigmoidTableEntry(i - 1));
            sum += v;
            weighted += (long)(i + 1) * v;
        }
        Assert.AreEqual(32768, Lstm.SigmoidTableEntry(0));
        Assert.AreEqual(35493, Lstm.SigmoidTableEntry(4)); // 35492.36 exactly: TFLite's table is not plain rounding
        Assert.AreEqual(15670629L, sum);
        Assert.AreEqual(2123733574L, weighted);
    }

    [TestMethod]
    public void ActivationsMatchTheirDefinitionWithinTheirResolution()
    {
        // The restated int16 Logistic and Tanh against float: Q3.12 in, Q0.15 out.
        for (int q = -32768; q <= 32767; q += 7)
        {
            double xv = q / 4096.0;
            Assert.AreEqual(32768 / (1 + Math.Exp(-xv)), TflmLstmReference.Logistic16((short)q, 0, 0), 3.0, $"sigmoid {q}");
            Assert.AreEqual(32768 * Math.Tanh(xv), TflmLstmReference.Tanh16((short)q, 0, 0), 6.0, $"tanh {q}");
            Assert.AreEqual(TflmLstmReference.Logistic16((short)q, 0, 0), Lstm.Sigmoid(q), $"kernel sigmoid {q}");
            Assert.AreEqual(TflmLstmReference.Tanh16((short)q, 0, 0), Lstm.Tanh(q, 3, 0), $"kernel tanh {q}");
        }
    }

    [TestMethod]
    public void UnsupportedVariantsAreRefusedByName()
    {
        var spec = new SyntheticLstm.Spec(1, 3, 4, 4, false, 0f, 30);
        void Refused(string expected, Action<TfliteBuilder, int[]>? tweak, SyntheticLstm.Spec? s = null)
        {
            var e = Assert.ThrowsExactly<TfliteImportException>(() => TfliteImporter.Import(SyntheticLstm.Build(s ?? spec, tweak)));
            StringAssert.Contains(e.Message, expected);
            StringAssert.Contains(e.Message, "UNIDIRECTIONAL_SEQUENCE_LSTM");
        }
        var vec = new sbyte[] { 1, 2, 3, 4 };
        Refused("peephole", (b, ins) => ins[SyntheticLstm.Peephole] = b.Int8Const("peephole", new[] { 4 }, 0.01f, vec));
        Refused("projection", (b, ins) => ins[SyntheticLstm.Projection] = b.Int8Const("proj", new[] { 4, 4 }, 0.01f, new sbyte[16]));
        Refused("layer-norm", (b, ins) => ins[SyntheticLstm.LayerNorm] = SyntheticLstm.Int16Const(b, "ln", 4));
        Refused("CIFG", (b, ins) => ins[SyntheticLstm.InputGateWeights] = -1);
        Refused("cell gate activation RELU", null, spec with { Activation = TfliteActivation.Relu });
        Refused("per channel", (b, ins) => ins[2] = b.Int8ConstPerChannel("pc", new[] { 4, 4 }, new[] { 0.1f, 0.2f, 0.1f, 0.1f }, 0, new sbyte[16]));
        Refused("cell state", (b, ins) => ins[19] = b.Int8("c8", new[] { 1, 4 }, 1f / 2048, 0));
    }

    [TestMethod]
    public void CorruptedLstmParamsAreRefusedAtLoad()
    {
        var g = TfliteImporter.Import(SyntheticLstm.Build(new SyntheticLstm.Spec(1, 3, 4, 4, false, 0f, 40)));
        var op = (Micro.Tooling.Graph.QTableOp)g.Ops[0];
        op.Params[Lstm.PCellPower] = 3;
        var e = Assert.ThrowsExactly<Micro.Runtime.BlobFormatException>(() => new BlobRunner(BlobEmitter.Emit(g)));
        StringAssert.Contains(e.Message, "cell scale power");
        op.Params[Lstm.PCellPower] = -11;
        op.Params[Lstm.PHiddenZero] = 200;
        e = Assert.ThrowsExactly<Micro.Runtime.BlobFormatException>(() => new BlobRunner(BlobEmitter.Emit(g)));
        StringAssert.Contains(e.Message, "hidden zero point");
    }
}
