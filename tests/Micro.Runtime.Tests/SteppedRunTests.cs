using Micro.Tooling.Blob;
using Micro.Tooling.TFLite;

namespace Micro.Runtime.Tests;

/// <summary>
/// Interpreter.Start + Step (sliced execution for the device loop) against Invoke, on real blobs: the
/// bundled heart-rate classifier (with its exit head, early exit on and off) and the TFLite conformance
/// models packed as `micro pack` does. Same output bytes, MacsExecuted, ExitTaken, margins, whatever the
/// Step budget (one output element per Step, a random budget, the default).
/// </summary>
[TestClass]
public class SteppedRunTests
{
    [TestMethod]
    public void HeartRateStepsGiveInvokesResultsAndExitDecisions()
    {
        byte[] blob = File.ReadAllBytes(Path.Combine(GoldenFileTests.RepoRoot(), "models", "heart-rate", "heart-rate.mblob"));
        var invoked = new Interpreter(Model.Load(blob));
        var stepped = new Interpreter(Model.Load(blob));
        Assert.AreEqual(1, invoked.Model.Exits.Length);
        int n = invoked.Model.Tensors[invoked.Model.Inputs[0]].ElementCount;
        int exits = 0, full = 0;
        var r = new Random(5);
        for (int s = 0; s < 120; s++)
        {
            // These synthetic windows never reach the blob's threshold; from the second half on, the head's
            // threshold is lowered on both models so that both decisions occur on the real network.
            if (s == 60)
                foreach (var it in new[] { invoked, stepped }) it.Model.Exits[0].Threshold = 4;
            // Pulse-like windows (a sine of 20..120 samples per beat, with noise) and plain noise.
            sbyte[] x = new sbyte[n];
            double period = 20 + r.Next(100), amp = s % 4 == 3 ? 0 : 20 + r.Next(100);
            for (int i = 0; i < n; i++)
                x[i] = (sbyte)Math.Clamp((int)(amp * Math.Sin(2 * Math.PI * i / period)) + r.Next(-20, 21) * (amp == 0 ? 6 : 1), -128, 127);
            foreach (bool early in new[] { true, false })
            {
                invoked.EarlyExitEnabled = stepped.EarlyExitEnabled = early;
                stepped.StepBudget = s % 3 == 0 ? 1 : s % 3 == 1 ? r.Next(1, 50000) : Interpreter.DefaultStepBudget;
                int steps = AssertSameRun(invoked, stepped, x);
                if (early && invoked.ExitTaken != 0) exits++;
                if (early && invoked.ExitTaken == 0) full++;
                if (!early) Assert.AreEqual(invoked.Model.MainMacs, stepped.MacsExecuted);
                if (!early && stepped.StepBudget == 1) Assert.AreEqual(invoked.Model.Ops.Where(o => o.ExitGroup == 0).Sum(o => o.Units), steps);
            }
        }
        Assert.IsTrue(exits > 5 && full > 5, $"exit taken {exits} times, full network {full} times");
    }

    [TestMethod]
    [DataRow("hello_world_int8")]
    [DataRow("micro_speech_quantized")]
    [DataRow("kws_ref_model")]
    public void ConformanceModelsStepLikeInvoke(string model)
    {
        string dir = Path.Combine(GoldenFileTests.RepoRoot(), "..", "shared", "conformance", "tflite", model);
        if (!Directory.Exists(dir)) Assert.Inconclusive("no " + dir);
        TfliteModel m = TfliteModelReader.Read(File.ReadAllBytes(Path.Combine(dir, "model.tflite")));
        byte[] blob = BlobEmitter.Emit(TfliteImporter.ImportDetailed(m, model).Graph);
        var invoked = new Interpreter(Model.Load(blob));
        var stepped = new Interpreter(Model.Load(blob));
        int n = invoked.Model.Tensors[invoked.Model.Inputs[0]].ElementCount;
        byte[] inputs = File.ReadAllBytes(Path.Combine(dir, "random_input.bin"));
        var r = new Random(8);
        for (int s = 0; s + n <= inputs.Length && s < 4 * n; s += n)
        {
            sbyte[] x = inputs.Skip(s).Take(n).Select(b => (sbyte)b).ToArray();
            stepped.StepBudget = s == 0 ? 1 : s == n ? r.Next(1, 20000) : Interpreter.DefaultStepBudget;
            int steps = AssertSameRun(invoked, stepped, x);
            if (s == 0) Assert.AreEqual(invoked.Model.Ops.Sum(o => o.Units), steps);
        }
    }

    [TestMethod]
    public void StepNeedsStartAndStopsAfterTheRun()
    {
        var it = new Interpreter(Model.Load(BlobEmitter.Emit(TestModels.Mlp(4, exitThreshold: 0))));
        Assert.ThrowsExactly<InvalidOperationException>(() => it.Step());
        it.SetInput(0, TestModels.RandomInput(new Random(2), 16), 0);
        it.StepBudget = it.Model.Ops[0].Units * it.Model.Ops[0].UnitCost;   // exactly the first FC
        it.Start();
        Assert.IsFalse(it.Step());   // the first FC
        Assert.IsTrue(it.Step());    // the exit head (threshold 0: always confident)
        Assert.AreEqual(1, it.ExitTaken);
        Assert.ThrowsExactly<InvalidOperationException>(() => it.Step());
    }

    /// <summary>Invoke on one, Start + Step on the other, same input; everything observable must agree. Returns the Steps.</summary>
    private static int AssertSameRun(Interpreter invoked, Interpreter stepped, sbyte[] x)
    {
        invoked.SetInput(0, x, 0);
        stepped.SetInput(0, x, 0);
        invoked.Invoke();
        // Arena garbage from the last run must not matter: the stepped one starts from a scrambled arena.
        for (int i = 0; i < stepped.Arena.Length; i++) stepped.Arena[i] ^= 0x5A;
        stepped.SetInput(0, x, 0);
        stepped.Start();
        int steps = 1;
        long before = 0;
        while (!stepped.Step())
        {
            Assert.IsTrue(stepped.MacsExecuted >= before);
            Assert.IsTrue(stepped.LastStepWork <= stepped.StepBudget || stepped.Model.Ops.Any(o => o.UnitCost == stepped.LastStepWork));
            before = stepped.MacsExecuted;
            steps++;
        }
        Assert.AreEqual(invoked.ExitTaken, stepped.ExitTaken);
        Assert.AreEqual(invoked.MacsExecuted, stepped.MacsExecuted);
        Assert.AreEqual(invoked.LastMargin, stepped.LastMargin);
        CollectionAssert.AreEqual(invoked.ExitMargins, stepped.ExitMargins);
        CollectionAssert.AreEqual(invoked.ExitClasses, stepped.ExitClasses);
        Assert.AreEqual(invoked.OutputTensor(0), stepped.OutputTensor(0));
        Tensor t = invoked.Model.Tensors[invoked.OutputTensor(0)];
        CollectionAssert.AreEqual(invoked.Arena.Skip(t.ArenaOffset).Take(t.ByteSize).ToArray(),
            stepped.Arena.Skip(t.ArenaOffset).Take(t.ByteSize).ToArray());
        return steps;
    }
}
