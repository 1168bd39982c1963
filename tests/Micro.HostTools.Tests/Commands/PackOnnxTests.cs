using Micro.HostTools;
using Micro.Runtime;
using Micro.Tooling.Data;
using Micro.Tooling.Running;

namespace Micro.HostTools.Tests.Commands;

[TestClass]
public class PackOnnxTests
{
    private static string Fixture(string name) => Path.Combine(CliHarness.RepoRoot(), "tests", "fixtures", "onnx", name);

    [TestMethod]
    public void ExitHeadIsMarkedCalibratedAndSavesWorkOnHeldOutData()
    {
        string dir = CliHarness.TempDir();
        string blob = Path.Combine(dir, "exitnet.mblob");
        var (code, stdout, err) = CliHarness.Run("pack", Fixture("exitnet.onnx"), "-c", Fixture("exitnet_calib.npy"), "-o", blob, "--exit", "exit1:auto");
        Assert.AreEqual(ExitCodes.Ok, code, err);
        StringAssert.Contains(stdout, "exit 1 'exit1'");

        var model = Model.Load(File.ReadAllBytes(blob));
        Assert.AreEqual(1, model.Exits.Length);
        Assert.AreEqual(1, model.Outputs.Length, "the exit output is no longer a model output");
        int head = model.Exits[0].LastOp;
        Assert.IsTrue(head < model.Ops.Length - 1, "the head runs before the rest of the network");

        // Held-out samples: with early exit on, accuracy stays close to the full network's and work is saved.
        var x = SampleData.Load(Fixture("exitnet_test.npy"), new[] { 1, 1, 64 });
        var labels = NpyFile.Read(Fixture("exitnet_test_labels.npy"));
        var early = new BlobRunner(File.ReadAllBytes(blob), earlyExit: true);
        var full = new BlobRunner(File.ReadAllBytes(blob), earlyExit: false);
        int okEarly = 0, okFull = 0, exited = 0, agree = 0;
        long macs = 0;
        for (int s = 0; s < x.Length; s++)
        {
            BlobRunner.Quantize(x[s], early.Input, early.Interpreter.Arena);
            if (early.Interpreter.Invoke() == 1) exited++;
            macs += early.Interpreter.MacsExecuted;
            BlobRunner.Quantize(x[s], full.Input, full.Interpreter.Arena);
            full.Interpreter.Invoke();
            int label = (int)labels.Int64![s];
            if (early.Interpreter.ArgMax(0) == label) okEarly++;
            if (full.Interpreter.ArgMax(0) == label) okFull++;
            if (early.Interpreter.ArgMax(0) == full.Interpreter.ArgMax(0)) agree++;
        }
        double n = x.Length;
        Assert.IsTrue(exited / n > 0.3, $"only {exited} of {n} samples exited early");
        Assert.IsTrue(agree / n >= 0.97, $"early-exit answers agree with the full network on {agree / n:P1}");
        Assert.IsTrue(okFull / n >= 0.85, $"full network accuracy {okFull / n:P1}");
        Assert.IsTrue(okEarly / n >= okFull / n - 0.03, $"early exit accuracy {okEarly / n:P1} vs full {okFull / n:P1}");
        Assert.IsTrue(macs < 0.85 * n * full.Model.MainMacs, $"MACs with early exit {macs} vs full {n * full.Model.MainMacs}");
    }

    [TestMethod]
    public void OnnxPackIsDeterministicAndChecksItsInputs()
    {
        string dir = CliHarness.TempDir();
        string a = Path.Combine(dir, "a.mblob"), b = Path.Combine(dir, "b.mblob");
        Assert.AreEqual(ExitCodes.Ok, CliHarness.Run("pack", Fixture("ppg1d.onnx"), "-c", Fixture("ppg1d_calib.npy"), "-o", a).Code);
        Assert.AreEqual(ExitCodes.Ok, CliHarness.Run("pack", Fixture("ppg1d.onnx"), "-c", Fixture("ppg1d_calib.npy"), "-o", b).Code);
        CollectionAssert.AreEqual(File.ReadAllBytes(a), File.ReadAllBytes(b));

        string c = Path.Combine(dir, "c.mblob");
        var (code, _, err) = CliHarness.Run("pack", Fixture("ppg1d.onnx"), "-o", c);
        Assert.AreEqual(ExitCodes.BadInput, code);
        StringAssert.Contains(err, "--calibration");
        (code, _, err) = CliHarness.Run("pack", Fixture("ppg1d.onnx"), "-c", Fixture("mlp_calib.npy"), "-o", c);
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        string auto = Path.Combine(dir, "auto.mblob");
        var (autoCode, autoOut, autoErr) = CliHarness.Run("pack", Fixture("exitnet.onnx"), "-c", Fixture("exitnet_calib.npy"), "-o", auto, "--exit-auto");
        Assert.AreEqual(ExitCodes.Ok, autoCode, autoErr);
        StringAssert.Contains(autoOut, "exit 1 'exit1'");
        Assert.AreEqual(1, Model.Load(File.ReadAllBytes(auto)).Exits.Length);
        (code, _, err) = CliHarness.Run("pack", Fixture("exitnet.onnx"), "-c", Fixture("exitnet_calib.npy"), "-o", c, "--exit", "missing:auto");
        Assert.AreEqual(ExitCodes.BadInput, code);
        StringAssert.Contains(err, "no graph output");
        string truncated = Path.Combine(dir, "t.onnx");
        File.WriteAllBytes(truncated, File.ReadAllBytes(Fixture("ppg1d.onnx"))[..500]);
        (code, _, err) = CliHarness.Run("pack", truncated, "-c", Fixture("ppg1d_calib.npy"), "-o", c);
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        Assert.IsFalse(File.Exists(c));
    }
}
