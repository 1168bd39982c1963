using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Runtime.Tests.Reference;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;

namespace Micro.Runtime.Tests;

/// <summary>
/// Interpreter.Step with a work budget (OpSlices): every op type run in slices of every size — one output
/// element per Step, random budgets, and the default — gives exactly the bytes of the whole-op run
/// (Invoke), and no Step does more work than its budget unless one output element alone costs more.
/// </summary>
[TestClass]
public class SlicedRunTests
{
    [TestMethod]
    public void EveryConvolutionSlicedEqualsWholeOp()
    {
        var rng = new Random(2024);
        foreach (bool dw in new[] { false, true })
            foreach (bool is1D in new[] { true, false })
                foreach (bool int16 in new[] { false, true })
                {
                    if (dw && int16) continue;   // int16 depthwise is not in version 1
                    for (int k = 0; k < 12; k++)
                    {
                        ConvCase c = ConvCase.Random(rng, dw, is1D, int16);
                        AssertSlicedEqualsWhole(BlobEmitter.Emit(ConvBlobTests.SingleOp(c)), rng, c.ToString());
                    }
                }
    }

    [TestMethod]
    public void WideConvolutionsSliceInsideLaneTriplesAndChannelRuns()
    {
        // Rows long enough for many three-position lane groups and enough channels for the two-channel
        // Dot3 pairs, so that slices start and end inside both.
        var rng = new Random(7);
        foreach (bool dw in new[] { false, true })
            for (int k = 0; k < 6; k++)
            {
                ConvCase c;
                do c = ConvCase.Random(rng, dw, k % 2 == 0, false);
                while (c.Wo < 7);
                AssertSlicedEqualsWhole(BlobEmitter.Emit(ConvBlobTests.SingleOp(c)), rng, c.ToString());
            }
    }

    [TestMethod]
    public void LongDepthwiseRowsSliceInRunsOfPositions()
    {
        // DEPTHWISE_CONV_1D's unit is one channel over a run of positions: a whole row when that fits
        // OpSlices.GroupCap, else equal runs of a multiple of 3. Rows of 61..200 outputs need several runs.
        var rng = new Random(31);
        foreach (int w in new[] { 63, 130, 205 })
        {
            var c = new ConvCase { Depthwise = true, Is1D = true, N = 2, Cin = 5, Dm = 2, H = 1, Kh = 1, Sh = 1, Dh = 1, PadT = 0, Ho = 1 };
            c.Cout = c.Cin * c.Dm;
            (c.W, c.Kw, c.Sw, c.Dw, c.PadL) = (w, 5, 1, 1, 2);
            c.Wo = w;
            c.FillRandom(rng, randomActivation: true);
            byte[] blob = BlobEmitter.Emit(ConvBlobTests.SingleOp(c));
            Op op = Model.Load(blob).Ops[0];
            int group = ((ConvData)op.Data).SliceGroup;
            Assert.IsTrue(group < c.Wo && group % 3 == 0, "row of " + c.Wo + " in runs of " + group);
            Assert.AreEqual(c.N * ((c.Wo + group - 1) / group) * c.Cout, op.Units);
            AssertSlicedEqualsWhole(blob, rng, c.ToString());
        }
    }

    [TestMethod]
    public void FullyConnectedInt8AndInt16SlicedEqualsWholeOp()
    {
        var rng = new Random(5);
        AssertSlicedEqualsWhole(BlobEmitter.Emit(TestModels.Mlp(3, inputs: 37, hidden: 23, classes: 7)), rng, "mlp");
        var g = new QGraph { Name = "fc16" };
        var x = g.AddTensor("x", new[] { 3, 19 }, 0.001f, 0, DType.Int16);
        var y = g.AddTensor("y", new[] { 3, 13 }, 0.002f, 0, DType.Int16);
        g.Inputs.Add(x);
        g.Outputs.Add(y);
        var fc = TestModels.Fc(rng, "fc", x, y, -32768, 32767);
        fc.Bias64 = fc.Bias!.Select(b => (long)b * 1000).ToArray();
        fc.Bias = null;
        g.Add(fc);
        AssertSlicedEqualsWhole(BlobEmitter.Emit(g), rng, "fc16");
    }

    [TestMethod]
    public void EveryOtherOpSlicedEqualsWholeOp()
    {
        // Pad, both pools, ReLU, LeakyReLU, Add, Quantize, Concatenation, Tanh, Logistic, Mean, Softmax, ...
        QGraph g = ReferenceElementwise.ClassifierTailOfEveryOp();
        byte[] blob = BlobEmitter.Emit(g);
        var codes = Model.Load(blob).Ops.Select(o => o.Code).ToHashSet();
        foreach (int code in new[] { OpCodes.MaxPool, OpCodes.AveragePool, OpCodes.Mean, OpCodes.Softmax, OpCodes.Pad })
            Assert.IsTrue(codes.Contains(code), OpCodes.Name(code) + " missing from the graph");
        var rng = new Random(9);
        for (int k = 0; k < 4; k++) AssertSlicedEqualsWhole(blob, rng, "tail " + k);
    }

    [TestMethod]
    public void GroupedConvInt8AndInt16SlicedEqualsWholeOp()
    {
        // Slices run the plain per-position path; the whole op keeps ConvLanes: the bytes must agree anyway.
        var rng = new Random(31);
        for (int k = 0; k < 12; k++)
        {
            byte[] blob = BlobEmitter.Emit(StructuralKernelTests.RandomGroupedConv(rng, k, 7, 12).Graph);
            Assert.IsTrue(Model.Load(blob).Ops[0].Units > 1, "grouped conv " + k + " must be sliced");
            AssertSlicedEqualsWhole(blob, rng, "gconv " + k);
        }
    }

    [TestMethod]
    public void HeartRateStepsStayWithinTheDefaultBudget()
    {
        byte[] blob = File.ReadAllBytes(Path.Combine(GoldenFileTests.RepoRoot(), "models", "heart-rate", "heart-rate.mblob"));
        var it = new Interpreter(Model.Load(blob));
        it.EarlyExitEnabled = false;
        Op biggest = it.Model.Ops.OrderByDescending(o => (long)o.Units * o.UnitCost).First();
        Assert.IsTrue((long)biggest.Units * biggest.UnitCost > Interpreter.DefaultStepBudget, "the largest op must need slicing for this test to mean anything");
        AssertSlicedEqualsWhole(blob, new Random(3), "heart-rate");
        it.SetInput(0, TestModels.RandomInput(new Random(4), it.Model.Tensors[it.Model.Inputs[0]].ElementCount), 0);
        it.Start();
        int steps = 0;
        bool done;
        do
        {
            done = it.Step();
            steps++;
            Assert.IsTrue(it.LastStepWork <= Interpreter.DefaultStepBudget, $"step {steps}: {it.LastStepWork} work units");
        }
        while (!done);
        long total = it.Model.Ops.Where(o => o.ExitGroup == 0).Sum(o => (long)o.Units * o.UnitCost);
        Assert.IsTrue(steps >= total / Interpreter.DefaultStepBudget, $"{steps} steps for {total} work units");
    }

    /// <summary>
    /// One input, run whole (Invoke) and in slices under several budgets; the output bytes (and every
    /// other tensor the run leaves) must agree, and each Step's work must respect its budget.
    /// </summary>
    private static void AssertSlicedEqualsWhole(byte[] blob, Random rng, string label)
    {
        var whole = new Interpreter(Model.Load(blob));
        var sliced = new Interpreter(Model.Load(blob));
        whole.EarlyExitEnabled = sliced.EarlyExitEnabled = false;
        Tensor input = whole.Model.Tensors[whole.Model.Inputs[0]];
        var x = new byte[input.ByteSize];
        rng.NextBytes(x);
        for (int i = 0; i < x.Length; i++) whole.Arena[input.ArenaOffset + i] = (sbyte)x[i];
        whole.Invoke();
        Tensor output = whole.Model.Tensors[whole.OutputTensor(0)];
        byte[] want = whole.Arena.Skip(output.ArenaOffset).Take(output.ByteSize).Select(v => (byte)v).ToArray();
        Op[] ops = sliced.Model.Ops;
        long unitsAll = ops.Where(o => o.ExitGroup == 0).Sum(o => (long)o.Units);
        long maxUnit = ops.Max(o => (long)o.UnitCost);
        foreach (int budget in new[] { 1, (int)Math.Min(maxUnit, int.MaxValue), rng.Next(1, 3000), rng.Next(1000, 40000), Interpreter.DefaultStepBudget })
        {
            for (int i = 0; i < sliced.Arena.Length; i++) sliced.Arena[i] = (sbyte)rng.Next(256);
            for (int i = 0; i < x.Length; i++) sliced.Arena[input.ArenaOffset + i] = (sbyte)x[i];
            sliced.StepBudget = budget;
            sliced.Start();
            int steps = 0;
            bool done;
            do
            {
                done = sliced.Step();
                steps++;
                Assert.IsTrue(sliced.LastStepWork <= budget || ops.Any(o => o.UnitCost == sliced.LastStepWork && o.UnitCost > budget),
                    $"{label}: a step of {sliced.LastStepWork} work units with budget {budget}");
            }
            while (!done);
            if (budget == 1) Assert.AreEqual(unitsAll, steps, $"{label}: budget 1 runs one output element per step");
            Assert.AreEqual(whole.MacsExecuted, sliced.MacsExecuted);
            byte[] got = sliced.Arena.Skip(output.ArenaOffset).Take(output.ByteSize).Select(v => (byte)v).ToArray();
            CollectionAssert.AreEqual(want, got, $"{label}: budget {budget}, {steps} steps");
        }
    }
}
