using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Runtime.Tests.Reference;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;

namespace Micro.Runtime.Tests;

/// <summary>The writer (host) and the reader (device) agree on every field of the format.</summary>
[TestClass]
public class BlobRoundTripTests
{
    [TestMethod]
    public void EveryFieldSurvivesTheRoundTrip()
    {
        var g = TestModels.Mlp(7, exitThreshold: 40);
        var emitted = BlobEmitter.EmitWithPlan(g);
        var m = Model.Load(emitted.Blob);

        Assert.AreEqual("mlp-test", m.Name);
        Assert.AreEqual("seed7", m.Version);
        Assert.AreEqual(emitted.Plan.ArenaSize, m.ArenaSize);
        Assert.AreEqual(g.Tensors.Count, m.Tensors.Length);
        for (int i = 0; i < g.Tensors.Count; i++)
        {
            var q = g.Tensors[i];
            var t = m.Tensors[i];
            CollectionAssert.AreEqual(q.Shape, t.Dims);
            Assert.AreEqual(q.ZeroPoint, t.ZeroPoint);
            Assert.AreEqual(q.Scale, t.Scale);
            Assert.AreEqual(emitted.Plan.Offsets[q], t.ArenaOffset);
        }
        Assert.AreEqual(4, m.Ops.Length);
        Assert.AreEqual(1, m.Ops[1].ExitGroup);
        Assert.AreEqual(1, m.Exits.Length);
        Assert.AreEqual(40, m.Exits[0].Threshold);
        Assert.AreEqual(1, m.Exits[0].LastOp);
        var fc1 = (QFullyConnected)g.Ops[0];
        var fcData = (Micro.Runtime.Kernels.FullyConnectedData)m.Ops[0].Data;
        CollectionAssert.AreEqual(fc1.Multipliers, fcData.Multiplier);
        CollectionAssert.AreEqual(fc1.Shifts, fcData.Shift);
        for (int k = 0; k < fc1.Weights.Length; k++) Assert.AreEqual(fc1.Weights[k], (sbyte)m.Blob[fcData.WeightsOffset + k]);
        Assert.AreEqual(16L * 24, m.Ops[0].Macs);
        Assert.AreEqual(16L * 24 + 24 * 24 + 24 * 4, m.MainMacs);
    }

    [TestMethod]
    public void EmittingIsDeterministic()
    {
        CollectionAssert.AreEqual(BlobEmitter.Emit(TestModels.Mlp(3, exitThreshold: 10)), BlobEmitter.Emit(TestModels.Mlp(3, exitThreshold: 10)));
    }

    [TestMethod]
    public void MlpBlobMatchesAnIndependentReference()
    {
        var g = TestModels.Mlp(11);
        var m = Model.Load(BlobEmitter.Emit(g));
        var it = new Interpreter(m);
        var r = new Random(5);
        for (int s = 0; s < 50; s++)
        {
            var x = TestModels.RandomInput(r, 16);
            it.SetInput(0, x, 0);
            it.Invoke();
            int[] h = x.Select(v => (int)v).ToArray();
            foreach (QFullyConnected fc in g.Ops) h = ReferenceFc(fc, h);
            for (int i = 0; i < h.Length; i++) Assert.AreEqual(h[i], it.OutputValue(0, i), $"sample {s} output {i}");
            Assert.AreEqual(m.MainMacs, it.MacsExecuted);
        }
    }

    /// <summary>Unfolded TFLite formula: clamp(y_zp + MBQM(bias + Σ (x − x_zp)·w)).</summary>
    public static int[] ReferenceFc(QFullyConnected fc, int[] x)
    {
        int k = x.Length, mOut = fc.Output.Channels;
        var y = new int[mOut];
        for (int o = 0; o < mOut; o++)
        {
            int acc = fc.Bias![o];
            for (int i = 0; i < k; i++) acc += (x[i] - fc.Inputs[0].ZeroPoint) * fc.Weights[o * k + i];
            int q = fc.Multipliers.Length == 1 ? 0 : o;
            y[o] = ReferenceRounding.Clamp(fc.Output.ZeroPoint + ReferenceRounding.Mbqm(acc, fc.Multipliers[q], fc.Shifts[q]), fc.ActMin, fc.ActMax);
        }
        return y;
    }
}
