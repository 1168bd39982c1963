using Micro.Tooling.Blob;

namespace Micro.Runtime.Tests;

[TestClass]
public class InterpreterTests
{
    [TestMethod]
    public void ExitHeadIsTakenWhenConfidentAndSkippedOtherwise()
    {
        var g = TestModels.Mlp(9, exitThreshold: 0);
        var always = new Interpreter(Model.Load(BlobEmitter.Emit(g)));
        var x = TestModels.RandomInput(new Random(1), 16);
        always.SetInput(0, x, 0);
        Assert.AreEqual(1, always.Invoke());
        long fc1 = always.Model.Ops[0].Macs, head = always.Model.Exits[0].HeadMacs;
        Assert.AreEqual(fc1 + head, always.MacsExecuted);
        Assert.AreEqual(g.Exits[0].Output.Name, g.Tensors[always.OutputTensor(0)].Name);

        g.Exits[0] = g.Exits[0] with { Threshold = 1000 };
        var never = new Interpreter(Model.Load(BlobEmitter.Emit(g)));
        never.SetInput(0, x, 0);
        Assert.AreEqual(0, never.Invoke());
        Assert.AreEqual(never.Model.MainMacs + head, never.MacsExecuted);

        never.EarlyExitEnabled = false;
        never.Invoke();
        Assert.AreEqual(never.Model.MainMacs, never.MacsExecuted);
        Assert.AreEqual("y", g.Tensors[never.OutputTensor(0)].Name);
    }

    [TestMethod]
    public void ExitDecisionFollowsTheMarginRule()
    {
        // Threshold in the middle of the observed margins: some samples exit, some do not, and each
        // decision agrees with the head's own top-1 − top-2 margin.
        var g = TestModels.Mlp(21, exitThreshold: 1000);
        var probe = new Interpreter(Model.Load(BlobEmitter.Emit(g)));
        var r = new Random(3);
        var inputs = Enumerable.Range(0, 200).Select(_ => TestModels.RandomInput(r, 16)).ToList();
        var margins = inputs.Select(x => { probe.SetInput(0, x, 0); probe.Invoke(); return probe.ExitMargins[0]; }).ToList();
        int threshold = margins.OrderBy(v => v).ElementAt(100);
        g.Exits[0] = g.Exits[0] with { Threshold = threshold };
        var it = new Interpreter(Model.Load(BlobEmitter.Emit(g)));
        int exited = 0;
        for (int i = 0; i < inputs.Count; i++)
        {
            it.SetInput(0, inputs[i], 0);
            bool taken = it.Invoke() == 1;
            Assert.AreEqual(margins[i] >= threshold, taken, $"sample {i}");
            if (taken) exited++;
        }
        Assert.IsTrue(exited > 50 && exited < 150, $"{exited} of 200 exited");
    }

    [TestMethod]
    public void InvokeAllocatesNothing()
    {
        var it = new Interpreter(Model.Load(BlobEmitter.Emit(TestModels.Mlp(5, exitThreshold: 20))));
        var x = TestModels.RandomInput(new Random(2), 16);
        it.SetInput(0, x, 0);
        it.Invoke();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            x[i % 16] = (sbyte)i;
            it.SetInput(0, x, 0);
            it.Invoke();
            it.OutputValue(0, 0);
        }
        Assert.AreEqual(0L, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [TestMethod]
    public void RawSensorSamplesAreQuantizedWithTheGivenMultiplier()
    {
        var it = new Interpreter(Model.Load(BlobEmitter.Emit(TestModels.Mlp(6))));
        int zp = it.Model.Tensors[it.Model.Inputs[0]].ZeroPoint;
        var raw = Enumerable.Range(0, 16).Select(i => 1000 + 37 * i).ToArray();
        // raw scale / input scale = 0.25 → multiplier 0.5 in Q31 (1 << 30) with shift −1.
        it.SetInputFromRaw(0, raw, 0, 1000, 1 << 30, -1);
        for (int i = 0; i < 16; i++)
        {
            // TFLite rounds twice (Q31 product, then the shift): 37 × 0.25 = 9.25 → 18.5 → 19 → 9.5 → 10.
            int expected = Math.Clamp(zp + Reference.ReferenceRounding.Mbqm(37 * i, 1 << 30, -1), -128, 127);
            Assert.AreEqual(expected, (int)it.Arena[it.Model.Tensors[it.Model.Inputs[0]].ArenaOffset + i], $"sample {i}");
        }
    }
}
