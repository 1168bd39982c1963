using Micro.App.Tests.Support;
using Micro.HeartRate.Model;
using Micro.Runtime;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;

namespace Micro.App.Tests;

/// <summary>BlobRhythmClassifier and ClassScores: scores in permille from real blobs, checked against float math on the host.</summary>
[TestClass]
public sealed class ClassifierTests
{
    private static sbyte[] RandomWindow(Random r, int n) => Enumerable.Range(0, n).Select(_ => (sbyte)r.Next(-128, 128)).ToArray();

    private static int[] Permille(ModelVerdict v) => new[] { v.RegularPermille, v.IrregularPermille, v.NoPulsePermille, v.ArtefactPermille };

    private sealed class CountingHook : ISliceHook
    {
        public int Calls;

        public void BetweenSlices() => Calls++;
    }

    [TestMethod]
    public void TheLoopMayReadTheSensorBeforeTheFirstSliceAndBetweenEveryTwo()
    {
        // The step that classifies has just run the chain and the spectral tracker; without a read before the
        // first slice, that work and the first slice were one gap between sensor reads (624 ms of the FIFO's
        // 640 ms in one scaled-clock run at 500x, bench/nanoclr.sh).
        byte[] blob = File.ReadAllBytes(Path.Combine(SharedData.RepoRoot(), "models", "heart-rate", "heart-rate.mblob"));
        var c = new BlobRhythmClassifier(Model.Load(blob));
        c.EarlyExitEnabled = false;
        var hook = new CountingHook();
        c.SliceHook = hook;
        var window = RandomWindow(new Random(5), c.WindowSamples * c.WindowChannels);
        Assert.IsTrue(c.Classify(window, new ModelVerdict()));

        var it = new Interpreter(Model.Load(blob)) { EarlyExitEnabled = false };
        it.SetInput(0, window, 0);
        it.Start();
        int slices = 1;
        while (!it.Step()) slices++;
        Assert.IsTrue(slices > 1, "the network runs in several slices");
        Assert.AreEqual(slices, hook.Calls, "one read before the first slice and one between every two");
    }

    [TestMethod]
    public void SoftmaxOutputGivesItsProbabilitiesInPermille()
    {
        var model = Model.Load(BlobEmitter.Emit(TestModels.Mlp(seed: 3, window: 120, softmax: true)));
        var c = new BlobRhythmClassifier(model);
        Assert.IsTrue(c.MainOutputIsProbability);
        Assert.AreEqual(120, c.WindowSamples);
        var r = new Random(30);
        var v = new ModelVerdict();
        var spread = new HashSet<int>();
        for (int k = 0; k < 200; k++)
        {
            sbyte[] window = RandomWindow(r, 120);
            Assert.IsTrue(c.Classify(window, v));
            Assert.IsTrue(v.Valid);
            int[] p = Permille(v);
            for (int i = 0; i < 4; i++)
            {
                double expected = c.Interpreter.OutputReal(0, i) * 1000.0;   // (q + 128) / 256 in float
                Assert.AreEqual(expected, p[i], 0.5 + 1e-9, "class " + i);
                spread.Add(p[i]);
            }
            Assert.AreEqual(1000, p.Sum(), 8, "softmax outputs sum to about 1000 (each is quantized to 1/256)");
        }
        Assert.IsTrue(spread.Count > 20, "the windows produce varied scores, not a constant");
        Assert.AreEqual(200, c.Invocations);
    }

    [TestMethod]
    public void ATwoChannelInputIsAWindowOfPpgAndTachogram()
    {
        var one = new BlobRhythmClassifier(Model.Load(BlobEmitter.Emit(TestModels.Mlp(seed: 5, window: 100, softmax: true))));
        Assert.AreEqual(100, one.WindowSamples);
        Assert.AreEqual(1, one.WindowChannels);

        var model = Model.Load(BlobEmitter.Emit(TestModels.Mlp(seed: 5, window: 100, softmax: true, channels: 2)));
        var c = new BlobRhythmClassifier(model);
        Assert.AreEqual(100, c.WindowSamples, "samples, not values");
        Assert.AreEqual(2, c.WindowChannels);
        var v = new ModelVerdict();
        Assert.IsFalse(c.Classify(new sbyte[100], v), "a one-channel window is too short");
        var r = new Random(6);
        var seen = new HashSet<int>();
        for (int k = 0; k < 50; k++)
        {
            Assert.IsTrue(c.Classify(RandomWindow(r, 200), v));
            seen.Add(v.RegularPermille);
        }
        Assert.IsTrue(seen.Count > 5, "all 200 values reach the network");
        Assert.AreEqual(1, c.Failures);

        // A monitor hands such a classifier PPG and tachogram, channels-last.
        var monitor = new Micro.HeartRate.HeartRateMonitor(new Micro.HeartRate.HeartRateSettings { SampleRateMilliHz = 25000 });
        monitor.SetClassifier(c);
        for (int i = 0; i < 40 * 25; i++) monitor.AddSample(100000 + (i % 7));
        Assert.IsTrue(c.Invocations >= 50 + 10, $"the monitor ran the two-channel model ({c.Invocations - 50} times)");
        Assert.AreEqual(1, c.Failures, "and it never failed");
    }

    [TestMethod]
    public void LogitsBecomeASoftmaxWithinTwoPermille()
    {
        foreach (float scale in new[] { 0.02f, 0.08f, 0.3f, 1.7f })
        {
            var model = Model.Load(BlobEmitter.Emit(TestModels.Mlp(seed: 11, window: 64, softmax: false, logitScale: scale)));
            var c = new BlobRhythmClassifier(model);
            Assert.IsFalse(c.MainOutputIsProbability);
            var r = new Random(12);
            var v = new ModelVerdict();
            double worst = 0;
            for (int k = 0; k < 150; k++)
            {
                Assert.IsTrue(c.Classify(RandomWindow(r, 64), v));
                double[] x = Enumerable.Range(0, 4).Select(i => (double)c.Interpreter.OutputReal(0, i)).ToArray();
                double max = x.Max();
                double[] e = x.Select(a => Math.Exp(a - max)).ToArray();
                int[] p = Permille(v);
                for (int i = 0; i < 4; i++) worst = Math.Max(worst, Math.Abs(1000 * e[i] / e.Sum() - p[i]));
            }
            Assert.IsTrue(worst <= 2.0, $"scale {scale}: worst error {worst:F2} permille");
        }
    }

    [TestMethod]
    public void EarlyExitAnswersAreReadFromTheExitHead()
    {
        QGraph g = TestModels.Mlp(seed: 21, window: 48, softmax: true, exitThreshold: 3);
        var model = Model.Load(BlobEmitter.Emit(g));
        var c = new BlobRhythmClassifier(model);
        var r = new Random(22);
        var v = new ModelVerdict();
        int exited = 0, full = 0;
        for (int k = 0; k < 300; k++)
        {
            Assert.IsTrue(c.Classify(RandomWindow(r, 48), v));
            int[] p = Permille(v);
            double[] x = Enumerable.Range(0, 4).Select(i => (double)c.Interpreter.OutputReal(0, i)).ToArray();
            if (c.LastExit == 1)
            {
                // The exit head gives logits (scale 0.08): its own conversion, not the softmax's.
                exited++;
                double max = x.Max();
                double[] e = x.Select(a => Math.Exp(a - max)).ToArray();
                for (int i = 0; i < 4; i++) Assert.AreEqual(1000 * e[i] / e.Sum(), p[i], 2.0);
            }
            else
            {
                full++;
                for (int i = 0; i < 4; i++) Assert.AreEqual(x[i] * 1000, p[i], 0.5 + 1e-9);
            }
        }
        Assert.IsTrue(exited > 10 && full > 10, $"both paths taken: {exited} exits, {full} full runs");
        c.EarlyExitEnabled = false;
        Assert.IsTrue(c.Classify(RandomWindow(r, 48), v));
        Assert.AreEqual(0, c.LastExit);
    }

    [TestMethod]
    public void ExpTableMatchesExpWithinOneMillionth()
    {
        foreach (float scale in new[] { 1e-4f, 0.0039f, 0.05f, 0.125f, 0.6f, 3f, 40f })
        {
            int[] t = ClassScores.ExpTable(BitConverter.SingleToInt32Bits(scale));
            Assert.AreEqual(int.MaxValue, t[0]);
            for (int d = 0; d < 256; d++)
            {
                double expected = Math.Exp(-(double)scale * d);
                Assert.AreEqual(expected, t[d] / 2147483648.0, 1e-6, $"scale {scale}, d {d}");
            }
        }
        Assert.ThrowsExactly<ArgumentException>(() => ClassScores.ExpTable(BitConverter.SingleToInt32Bits(float.PositiveInfinity)));
        Assert.ThrowsExactly<ArgumentException>(() => ClassScores.ExpTable(BitConverter.SingleToInt32Bits(-0.5f)));
    }

    [TestMethod]
    public void WrongShapesAreRefusedWhenTheClassifierIsBuilt()
    {
        // Three classes instead of four.
        var g3 = new QGraph { Name = "three" };
        var x = g3.AddTensor("x", new[] { 1, 64 }, TestModels.InputScale, 0);
        var y = g3.AddTensor("y", new[] { 1, 3 }, 0.1f, 0);
        g3.Inputs.Add(x);
        g3.Outputs.Add(y);
        g3.Add(TestModels.Fc(new Random(1), "fc", x, y, -128, 127));
        var e = Assert.ThrowsExactly<ArgumentException>(() => new BlobRhythmClassifier(Model.Load(BlobEmitter.Emit(g3))));
        StringAssert.Contains(e.Message, "output 0 has 3 values");

        // A window shorter than 16 samples.
        var g8 = new QGraph { Name = "short" };
        var x8 = g8.AddTensor("x", new[] { 1, 8 }, TestModels.InputScale, 0);
        var y8 = g8.AddTensor("y", new[] { 1, 4 }, 0.1f, 0);
        g8.Inputs.Add(x8);
        g8.Outputs.Add(y8);
        g8.Add(TestModels.Fc(new Random(2), "fc", x8, y8, -128, 127));
        e = Assert.ThrowsExactly<ArgumentException>(() => new BlobRhythmClassifier(Model.Load(BlobEmitter.Emit(g8))));
        StringAssert.Contains(e.Message, "input 0 has 8 values");
        var e2 = Assert.ThrowsExactly<ArgumentException>(() => new BlobRhythmClassifier(Model.Load(BlobEmitter.Emit(TestModels.Mlp(seed: 2, window: 12, softmax: true, channels: 2)))));
        StringAssert.Contains(e2.Message, "input 0 has 12 samples of 2 channels");

        // An exit head with 2 classes: Model.Load already refuses it (exit heads must give [1, 4] int8 scores
        // like the main output), so it never reaches the classifier.
        var gx = TestModels.Mlp(seed: 5, window: 32, softmax: true);
        var h = gx.Tensors.Single(t => t.Name == "h");
        var ex = gx.AddTensor("exit1", new[] { 1, 2 }, 0.1f, 0);
        var head = TestModels.Fc(new Random(6), "exit1_fc", h, ex, -128, 127);
        head.ExitGroup = 1;
        gx.Ops.Insert(1, head);
        gx.Exits.Add(new QExit(1, ex, 10));
        Assert.AreEqual(Micro.Runtime.Format.ErrorCodes.BadExit, Assert.ThrowsExactly<BlobFormatException>(() => Model.Load(BlobEmitter.Emit(gx))).Code);
    }

    [TestMethod]
    public void BadArgumentsReturnFalseAndAllocateNothing()
    {
        var c = new BlobRhythmClassifier(Model.Load(TestModels.ConstantRegular(100)));
        var v = new ModelVerdict();
        Assert.IsFalse(c.Classify(null, v));
        Assert.IsFalse(c.Classify(new sbyte[99], v));
        Assert.IsFalse(c.Classify(new sbyte[100], null));
        Assert.AreEqual(3L, c.Failures);

        var window = new sbyte[100];
        Assert.IsTrue(c.Classify(window, v));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 500; i++) c.Classify(window, v);
        Assert.AreEqual(0L, GC.GetAllocatedBytesForCurrentThread() - before);
        // softmax(3, 0, −1, 0) = 0.895, 0.045, 0.016, 0.045, written by the int8 SOFTMAX in steps of 1/256.
        CollectionAssert.AreEqual(new[] { 895, 43, 16, 43 }, Permille(v));
    }
}
