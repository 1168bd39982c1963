using Micro.HostTools;
using Micro.Runtime;

namespace Micro.HostTools.Tests.Commands;

[TestClass]
public class PackTfliteTests
{
    private static string Conformance(string model) => ConformanceData.ModelPath(model);

    [TestMethod]
    public void PackedTfliteBlobRunsAndFitsTheRightBoards()
    {
        string dir = CliHarness.TempDir();
        string blob = Path.Combine(dir, "kws.mblob");
        var (code, stdout, err) = CliHarness.Run("pack", Conformance("kws_ref_model"), "-o", blob, "--board", "esp32-s3-devkitc");
        Assert.AreEqual(ExitCodes.Ok, code, err);
        StringAssert.Contains(stdout, "fits");
        var model = Model.Load(File.ReadAllBytes(blob));
        Assert.AreEqual(13, model.Ops.Length);
        Assert.IsTrue(new FileInfo(blob).Length < new FileInfo(Conformance("kws_ref_model")).Length);

        // 30 KB of weights and a 16 KB arena are over the no-PSRAM ESP32's 24 KB model budget: refused, nothing written.
        string small = Path.Combine(dir, "small.mblob");
        (code, _, err) = CliHarness.Run("pack", Conformance("kws_ref_model"), "-o", small, "--board", "esp32-devkitc");
        Assert.AreEqual(ExitCodes.CheckFailed, code);
        StringAssert.Contains(err, "does NOT fit");
        Assert.IsFalse(File.Exists(small));
        (code, stdout, _) = CliHarness.Run("inspect", blob, "--board", "esp32-devkitc");
        Assert.AreEqual(ExitCodes.CheckFailed, code);
        StringAssert.Contains(stdout, "does NOT fit");
        Assert.AreEqual(ExitCodes.Ok, CliHarness.Run("inspect", blob, "--board", "stm32f769i-disco", "--json").Code);
    }

    [TestMethod]
    public void MalformedTfliteGivesExitCode2AndNoFile()
    {
        string dir = CliHarness.TempDir();
        string bad = Path.Combine(dir, "bad.tflite"), blob = Path.Combine(dir, "bad.mblob");
        var bytes = File.ReadAllBytes(Conformance("hello_world_int8"));
        File.WriteAllBytes(bad, bytes[..(bytes.Length / 2)]);
        var (code, _, err) = CliHarness.Run("pack", bad, "-o", blob);
        Assert.AreEqual(ExitCodes.BadInput, code);
        StringAssert.Contains(err, "tflite");
        Assert.IsFalse(File.Exists(blob));

        (code, _, err) = CliHarness.Run("pack", Path.Combine(dir, "missing.tflite"), "-o", blob);
        Assert.AreEqual(ExitCodes.BadInput, code);
        (code, _, err) = CliHarness.Run("pack", Conformance("hello_world_int8"), "-o", blob, "--board", "no-such-board");
        Assert.AreNotEqual(ExitCodes.Ok, code);
        Assert.IsFalse(File.Exists(blob));
    }
}
