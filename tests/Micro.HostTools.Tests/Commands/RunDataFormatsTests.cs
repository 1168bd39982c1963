using Micro.HostTools;
using Micro.Tooling.Data;
using Micro.Tooling.Verification;

namespace Micro.HostTools.Tests.Commands;

[TestClass]
public class RunDataFormatsTests
{
    private static string Fixture(string name) => Path.Combine(CliHarness.RepoRoot(), "tests", "fixtures", "onnx", name);

    [TestMethod]
    public void NpyAndCsvInRunAgreeWithPyTorch()
    {
        string dir = CliHarness.TempDir();
        string blob = Path.Combine(dir, "m.mblob"), npy = Path.Combine(dir, "y.npy"), csv = Path.Combine(dir, "y.csv"), raw = Path.Combine(dir, "q.npy");
        Assert.AreEqual(ExitCodes.Ok, CliHarness.Run("pack", Fixture("ppg1d.onnx"), "-c", Fixture("ppg1d_calib.npy"), "-o", blob).Code);
        var (code, _, err) = CliHarness.Run("run", blob, "-i", Fixture("ppg1d_test.npy"), "-o", npy);
        Assert.AreEqual(ExitCodes.Ok, code, err);
        var y = NpyFile.Read(npy);
        var torch = NpyFile.Read(Fixture("ppg1d_test_out.npy"));
        Assert.AreEqual(torch.Samples, y.Samples);
        var ours = Enumerable.Range(0, y.Samples).Select(y.Sample).ToList();
        var theirs = Enumerable.Range(0, torch.Samples).Select(torch.Sample).ToList();
        Assert.IsTrue(ErrorMetrics.Top1Agreement(theirs, ours) >= 0.98);
        Assert.IsTrue(ErrorMetrics.Compute(theirs, ours).SqnrDb >= 25);

        Assert.AreEqual(ExitCodes.Ok, CliHarness.Run("run", blob, "-i", Fixture("ppg1d_test.npy"), "-o", csv).Code);
        var rows = CsvFile.Read(csv);
        Assert.AreEqual(y.Samples, rows.Length);
        for (int i = 0; i < rows[0].Length; i++) Assert.AreEqual(ours[0][i], rows[0][i], 1e-5);

        Assert.AreEqual(ExitCodes.Ok, CliHarness.Run("run", blob, "-i", Fixture("ppg1d_test.npy"), "-o", raw, "--raw").Code);
        Assert.AreEqual(NpyDType.Int8, NpyFile.Read(raw).DType);
    }

    [TestMethod]
    public void AWrongShapeNamesTheExpectedOne()
    {
        string dir = CliHarness.TempDir();
        string blob = Path.Combine(dir, "m.mblob"), y = Path.Combine(dir, "y.npy");
        CliHarness.Run("pack", Fixture("ppg1d.onnx"), "-c", Fixture("ppg1d_calib.npy"), "-o", blob);
        var (code, _, err) = CliHarness.Run("run", blob, "-i", Fixture("mlp_test.npy"), "-o", y);
        Assert.AreEqual(ExitCodes.BadInput, code);
        StringAssert.Contains(err, "expected [N,");
        Assert.IsFalse(File.Exists(y));
    }
}
