using Micro.HostTools;
using Micro.Tooling.Verification;

namespace Micro.HostTools.Tests.Commands;

/// <summary>
/// The ONNX issue's bar, on the four PyTorch fixtures: pack → run reproduces PyTorch's float model with
/// top-1 agreement ≥ 98% and output SQNR ≥ 25 dB (autoencoder ≥ 20 dB), as `micro verify` reports it.
/// </summary>
[TestClass]
public class VerifyCommandTests
{
    private static string Fixture(string name) => Path.Combine(CliHarness.RepoRoot(), "tests", "fixtures", "onnx", name);

    [TestMethod]
    [DataRow("ppg1d", 25.0)]
    [DataRow("dscnn2d", 25.0)]
    [DataRow("mlp", 25.0)]
    [DataRow("autoenc", 20.0)]
    public void FixtureMeetsTheQuantizationBar(string model, double minSqnr)
    {
        string dir = CliHarness.TempDir();
        string blob = Path.Combine(dir, model + ".mblob"), html = Path.Combine(dir, model + ".html");
        Assert.AreEqual(ExitCodes.Ok, CliHarness.Run("pack", Fixture(model + ".onnx"), "-c", Fixture(model + "_calib.npy"), "-o", blob).Code);
        var r = Verifier.Run(Fixture(model + ".onnx"), File.ReadAllBytes(blob), Fixture(model + "_test.npy"), null);
        Assert.IsTrue(r.Output.SqnrDb >= minSqnr, $"{model}: output SQNR {r.Output.SqnrDb:F1} dB");
        if (model != "autoenc") Assert.IsTrue(r.Top1Agreement >= 0.98, $"{model}: top-1 agreement {r.Top1Agreement:P1}");
        Assert.IsTrue(r.Layers.Count >= 2, $"{model}: per-layer errors for {r.Layers.Count} layers");
        Assert.IsTrue(r.Layers.All(l => l.Metrics.SqnrDb > 15), string.Join(", ", r.Layers.Select(l => $"{l.Tensor} {l.Metrics.SqnrDb:F1}")));

        var (code, stdout, err) = CliHarness.Run("verify", Fixture(model + ".onnx"), blob, "--data", Fixture(model + "_test.npy"), "--report", html, "--min-sqnr", minSqnr.ToString());
        Assert.AreEqual(ExitCodes.Ok, code, err);
        StringAssert.Contains(stdout, "top-1 agreement");
        StringAssert.Contains(File.ReadAllText(html), "<svg");
    }

    [TestMethod]
    public void ABarTooHighFailsWithExitCode1()
    {
        string dir = CliHarness.TempDir();
        string blob = Path.Combine(dir, "mlp.mblob");
        CliHarness.Run("pack", Fixture("mlp.onnx"), "-c", Fixture("mlp_calib.npy"), "-o", blob);
        var (code, _, err) = CliHarness.Run("verify", Fixture("mlp.onnx"), blob, "--data", Fixture("mlp_test.npy"), "--min-sqnr", "90");
        Assert.AreEqual(ExitCodes.CheckFailed, code);
        StringAssert.Contains(err, "below the required 90 dB");
    }
}
