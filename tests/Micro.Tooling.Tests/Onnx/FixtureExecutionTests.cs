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
    public void FloatExecutorMatchesPyTorch(string name)
    {
        var g = OnnxImporter.Import(OnnxFixtures.Model(name));
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
