using Micro.HostTools;

namespace Micro.HostTools.Tests.Commands;

/// <summary>Usage errors and wrong paths: exit 2 with one short line, checked before any work, nothing written.</summary>
[TestClass]
public class UsageAndPathTests
{
    private static string Fixture(string name) => Path.Combine(CliHarness.RepoRoot(), "tests", "fixtures", "onnx", name);

    [TestMethod]
    [DataRow("unknown verb", "frobnicate")]
    [DataRow("no file", "inspect")]
    [DataRow("--output", "pack", "@mlp.onnx", "-c", "@mlp_calib.npy")]
    [DataRow("one of MinMax, Percentile, Entropy, Mse", "pack", "@mlp.onnx", "-c", "@mlp_calib.npy", "-o", "#x.mblob", "--method", "Foo")]
    [DataRow("--auto-precision: 'abc' is not a number", "pack", "@mlp.onnx", "-c", "@mlp_calib.npy", "-o", "#x.mblob", "--auto-precision", "abc")]
    [DataRow("--baud: 'abc' is not a whole number", "monitor", "--port", "/dev/null", "--baud", "abc")]
    public void UsageErrorsExit2WithAShortLineAndAHint(string expected, params string[] args)
    {
        string dir = CliHarness.TempDir();
        var (code, stdout, err) = CliHarness.Run(Expand(args, dir));
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        if (expected is not ("unknown verb" or "no file")) StringAssert.Contains(err, expected);
        StringAssert.Contains(err, "--help' for the usage");
        Assert.IsFalse(err.Contains("System."), err);
        Assert.IsFalse(stdout.Contains("Usage:") || err.Contains("Usage:"), "the whole help is not printed on a usage error");
        Assert.AreEqual(0, Directory.GetFiles(dir).Length);
    }

    [TestMethod]
    public void DirectoriesAndMissingFilesAreNamedAndExit2()
    {
        string dir = CliHarness.TempDir();
        string folder = Path.Combine(dir, "dir.mblob"), npyFolder = Path.Combine(dir, "d2.npy"), outBlob = Path.Combine(dir, "x.mblob");
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory(npyFolder);
        void Expect(string message, params string[] args)
        {
            var (code, stdout, err) = CliHarness.Run(args);
            Assert.AreEqual(ExitCodes.BadInput, code, string.Join(" ", args) + ": " + err);
            StringAssert.Contains(err, message, string.Join(" ", args));
            Assert.IsFalse(err.Contains("denied") || err.Contains("Could not find"), err);
        }
        Expect($"{folder} is a directory, not a file", "inspect", folder);
        Expect($"{folder} is a directory, not a file", "pack", Fixture("mlp.onnx"), "-c", folder, "-o", outBlob);
        Expect($"{npyFolder} is a directory, not a file", "run", Fixture("mlp.onnx"), "-i", npyFolder, "-o", Path.Combine(dir, "o.npy"));
        Expect($"{folder} is a directory", "monitor", "--port", "/dev/null", "--log", folder);
        Expect($"{folder} is a directory, not a file", "simulate", "--recording", folder);
        Expect($"{folder} is a directory, not a file", "deploy", "--board", "esp32-devkitc", "--port", "COM5", "--app", folder);
        Expect("file not found: " + Path.Combine(dir, "d.onnx"), "pack", Path.Combine(dir, "d.onnx"), "-c", Fixture("mlp_calib.npy"), "-o", outBlob);
        Expect("file not found: " + Path.Combine(dir, "nodir", "x.mblob"), "inspect", Path.Combine(dir, "nodir", "x.mblob"));
        Expect("folder not found: " + Path.Combine(dir, "nodir"), "evaluate", "--data", Path.Combine(dir, "nodir"));
        Assert.IsFalse(File.Exists(outBlob));
    }

    [TestMethod]
    public void OutputFoldersAreCheckedBeforeTheWork()
    {
        string dir = CliHarness.TempDir();
        string missing = Path.Combine(dir, "nodir");
        string blob = Path.Combine(dir, "mlp.mblob");
        Assert.AreEqual(ExitCodes.Ok, CliHarness.Run("pack", Fixture("mlp.onnx"), "-c", Fixture("mlp_calib.npy"), "-o", blob).Code);
        void Expect(string message, params string[] args)
        {
            var (code, stdout, err) = CliHarness.Run(args);
            Assert.AreEqual(ExitCodes.BadInput, code, string.Join(" ", args) + ": " + err);
            StringAssert.Contains(err, message, err);
            Assert.AreEqual("", stdout, "no work was done before the check");
            Assert.IsFalse(Directory.Exists(missing));
        }
        Expect($"cannot write {Path.Combine(missing, "x.mblob")}: folder {missing} does not exist", "pack", Fixture("mlp.onnx"), "-c", Fixture("mlp_calib.npy"), "-o", Path.Combine(missing, "x.mblob"));
        Expect($"folder {missing} does not exist", "verify", Fixture("mlp.onnx"), blob, "--data", Fixture("mlp_test.npy"), "--report", Path.Combine(missing, "r.html"));
        Expect($"folder {missing} does not exist", "evaluate", "--data", dir, "--json", Path.Combine(missing, "x.json"));
        Expect($"folder {missing} does not exist", "simulate", "--recording", Fixture("mlp_test.npy"), "--alerts", Path.Combine(missing, "a.txt"));
        Expect($"{blob} is a file, not a folder", "dataset", "--data", dir, "--output", blob);
        if (Directory.Exists("/proc/self"))
        {
            var (code, _, err) = CliHarness.Run("pack", Fixture("mlp.onnx"), "-c", Fixture("mlp_calib.npy"), "-o", "/proc/x.mblob");
            Assert.AreEqual(ExitCodes.BadInput, code, err);
            StringAssert.Contains(err, "cannot write /proc/x.mblob");
            Assert.IsFalse(err.Contains(".tmp"), err);
        }
    }

    [TestMethod]
    public void TemporaryFileNamesAreShownAsTheUsersOutput()
    {
        Assert.AreEqual("cannot write /proc/x.mblob", Micro.HostTools.Commands.CommandErrors.TempToUser("cannot write /proc/.x.mblob.9148.tmp"));
    }

    private static string[] Expand(string[] args, string dir) =>
        args.Select(a => a.StartsWith('@') ? Fixture(a[1..]) : a.StartsWith('#') ? Path.Combine(dir, a[1..]) : a).ToArray();
}
