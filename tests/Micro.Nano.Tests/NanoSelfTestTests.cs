using Micro.Nano.Tests.Support;
using Micro.Runtime;
using Micro.Runtime.Format;
using Micro.Tooling.Evaluation;
using Micro.Tooling.Packing;

namespace Micro.Nano.Tests;

/// <summary>
/// The boot self-test on the real nanoCLR (tests/nano/SelfTest): the bundled heart-rate model packed with
/// `--selftest 8` passes all 8 vectors, and the same blob with one weight byte changed and its CRC re-sealed
/// (so Model.Load accepts it) fails. The host runs the same Micro.App.ModelSelfTest on the same blobs and
/// must agree vector for vector.
/// </summary>
[TestClass]
public sealed class NanoSelfTestTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void PackedSelfTestPassesOnNanoClrAndFailsWhenOneWeightByteChanges()
    {
        NanoToolchain.RequireToolchain();
        foreach (string l in new[] { "Micro.Runtime", "Micro.HeartRate", "Micro.Drivers.Max30102", "Micro.App" }) NanoBuild.RequireBuilt(l);
        string models = Path.Combine(NanoToolchain.RepoRoot, "models", "heart-rate");
        var options = HeartRateModel.PackOptions(Path.Combine(models, HeartRateModel.OnnxFile), Path.Combine(models, HeartRateModel.CalibrationFile));
        byte[] good = Packer.Pack(new PackOptions { Model = options.Model, Calibration = options.Calibration, Exits = options.Exits, SelfTest = 8 }).Blob;
        byte[] bad = (byte[])good.Clone();
        bad[BlobLayout.ConstStart] ^= 0x40; // the first weight byte of the first op
        BlobRecords.Reseal(bad);
        Model.Load(bad); // the CRC matches: only the self-test can tell

        var host = new[] { Micro.App.ModelSelfTest.Run(Model.Load(good), null), Micro.App.ModelSelfTest.Run(Model.Load(bad), null) };

        string dir = Path.Combine(NanoBuild.WorkDir, "selftest");
        string[] data = NanoDataWriter.Write(Path.Combine(dir, "data"), new[] { ("good", good), ("bad", bad) });
        string[] libs = { "Micro.Runtime", "Micro.HeartRate", "Micro.Drivers.Max30102", "Micro.App" };
        var build = new List<string> { "build", "--exe", "--name", "SelfTestRunner", "--out", dir, "--ref", Path.ChangeExtension(data[^1], ".dll") };
        foreach (string l in libs) build.AddRange(new[] { "--ref", NanoBuild.Dll(l) });
        ProcResult b = Proc.Nf(build.Concat(Directory.GetFiles(Path.Combine(NanoToolchain.RepoRoot, "tests", "nano", "SelfTest"), "*.cs")));
        if (b.ExitCode != 0) Assert.Fail("tests/nano/SelfTest does not build for nanoFramework:\n" + b.Both);
        ProcResult run = Proc.Nf(new[] { "run", "--timeout", "600" }.Concat(libs.Select(NanoBuild.Pe)).Concat(data).Append(Path.Combine(dir, "SelfTestRunner.pe")));
        Assert.AreEqual(0, run.ExitCode, run.Both);

        var lines = run.Stdout.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("selftest ", StringComparison.Ordinal)).ToList();
        Assert.AreEqual(2, lines.Count, run.Both);
        string[] g = lines[0].Split(' '), x = lines[1].Split(' ');
        // selftest NAME PRESENT PASSED VECTORS OK MICROS
        CollectionAssert.AreEqual(new[] { "selftest", "good", "1", "8", "8", "1" }, g[..6], lines[0]);
        Assert.AreEqual("bad", x[1]);
        Assert.AreEqual("1", x[2]);
        Assert.AreEqual("8", x[4]);
        Assert.AreEqual("0", x[5], "the changed weight must fail the self-test on nanoCLR: " + lines[1]);
        Assert.AreEqual(host[0].Passed.ToString(), g[3], "host and nanoCLR agree on the good blob");
        Assert.AreEqual(host[1].Passed.ToString(), x[3], "host and nanoCLR agree on how many vectors of the changed blob still pass");
        Assert.IsTrue(host[1].Passed < 8);
        TestContext.WriteLine($"nanoCLR: good blob 8/8 in {g[6]} µs; changed blob {x[3]}/8 in {x[6]} µs (x86 nanoCLR; a classic ESP32 ≈ 250× longer)");
    }
}
