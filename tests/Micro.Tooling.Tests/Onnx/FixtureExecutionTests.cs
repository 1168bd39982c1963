using Micro.Tooling.Onnx;

namespace Micro.Tooling.Tests.Onnx;

/// <summary>The float executor reproduces PyTorch's outputs on the exported fixtures.</summary>
[TestClass]
public sealed class FixtureExecutionTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("ppg1d")]
    [DataRow("dscnn2d")]
    [DataRow("mlp")]
    [DataRow("autoenc")]
    [DataRow("layout")]
    [DataRow("coverage")]
    public void FloatExecutorMatchesPyTorch(string name) => Compare(name, name);

    /// <summary>The same trained models exported at opsets 11 and 17 (Squeeze/Unsqueeze axes as attributes,
    /// opset-11 Softmax, BatchNormalization-15) give the same outputs.</summary>
    [TestMethod]
    [DataRow("mlp_op11", "mlp")]
    [DataRow("layout_op11", "layout")]
    [DataRow("dscnn2d_op17", "dscnn2d")]
    public void OtherOpsetsMatchPyTorch(string model, string data) => Compare(model, data);

    private void Compare(string model, string name)
    {
        var g = OnnxImporter.Import(OnnxFixtures.Model(model));
        TestContext.WriteLine(g.Describe());
        var x = OnnxFixtures.Npy(name, "test");
        var want = OnnxFixtures.Npy(name, "test_out");
        var exec = new FloatExecutor(g);
        double maxErr = 0, maxAbs = 0;
        for (int s = 0; s < x.Samples; s++)
        {
            var got = exec.RunOnnx(x.Sample(s))[0];
            var w = want.Sample(s);
            Assert.HasCount(w.Length, got);
            for (int i = 0; i < w.Length; i++)
            {
                maxErr = Math.Max(maxErr, Math.Abs(got[i] - w[i]));
                maxAbs = Math.Max(maxAbs, Math.Abs(w[i]));
            }
        }
        TestContext.WriteLine($"{name}: max abs error {maxErr:E3} (outputs up to {maxAbs:F3})");
        Assert.IsLessThan(1e-4, maxErr, $"{name}: max abs error {maxErr}");
        Assert.IsGreaterThan(0.01, maxAbs, "outputs are not trivially zero");
    }
}
