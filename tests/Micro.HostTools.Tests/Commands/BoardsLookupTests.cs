using System.Diagnostics;
using System.Text.Json;
using Micro.HostTools;

namespace Micro.HostTools.Tests.Commands;

/// <summary>
/// deploy and inspect find boards the same way, also when micro is installed as a tool and run outside a
/// clone (QA items 4 and 23): the installed copy is simulated by copying micro's build output to a temporary
/// folder and running it there with `dotnet micro.dll`, from another temporary folder.
/// </summary>
[TestClass]
public class BoardsLookupTests
{
    private static readonly string[] KnownBoards = ["esp32-devkitc", "esp32-s3-devkitc", "meadow-f7v2-feather", "stm32f769i-disco"];

    /// <summary>micro.dll, its dependencies and boards/ copied out of the repository, as `dotnet tool install` lays them out.</summary>
    private static string InstallOutsideTheClone()
    {
        string build = AppContext.BaseDirectory; // the test's output holds micro.dll, its deps/runtimeconfig and boards/
        string tool = CliHarness.TempDir();
        string deps = File.ReadAllText(Path.Combine(build, "micro.deps.json"));
        foreach (string f in Directory.GetFiles(build))
        {
            string name = Path.GetFileName(f);
            if (name.StartsWith("micro.", StringComparison.Ordinal) || (name.EndsWith(".dll", StringComparison.Ordinal) && deps.Contains("\"" + name + "\"", StringComparison.Ordinal)) ||
                (name.EndsWith(".dll", StringComparison.Ordinal) && deps.Contains("/" + name + "\"", StringComparison.Ordinal)))
                File.Copy(f, Path.Combine(tool, name));
        }
        Directory.CreateDirectory(Path.Combine(tool, "boards"));
        foreach (string f in Directory.GetFiles(Path.Combine(build, "boards"))) File.Copy(f, Path.Combine(tool, "boards", Path.GetFileName(f)));
        return tool;
    }

    private static (int Code, string Out, string Err) RunInstalled(string tool, string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = cwd,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(tool, "micro.dll"));
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, stderr.Result);
    }

    private static bool InsideAClone(string dir)
    {
        for (var d = new DirectoryInfo(dir); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Micro.sln"))) return true;
        return false;
    }

    [TestMethod]
    public void DeployAndInspectFindTheShippedBoardsWhenRunOutsideAClone()
    {
        string tool = InstallOutsideTheClone();
        string cwd = CliHarness.TempDir();
        if (InsideAClone(tool) || InsideAClone(cwd)) Assert.Inconclusive("the temporary folder is inside a Micro clone");
        string blob = Path.Combine(CliHarness.RepoRoot(), "models", "heart-rate", "heart-rate.mblob");

        var deploy = RunInstalled(tool, cwd, "deploy", "--board", "esp32-devkitc", "--port", "/dev/ttyUSB0");
        Assert.AreEqual(ExitCodes.Ok, deploy.Code, deploy.Err);
        StringAssert.Contains(deploy.Out, "Board esp32-devkitc (nanoFramework, nanoff target ESP32_REV3) on /dev/ttyUSB0");

        var inspect = RunInstalled(tool, cwd, "inspect", blob, "--board", "esp32-devkitc");
        Assert.AreEqual(ExitCodes.Ok, inspect.Code, inspect.Err);

        // An unknown board: both commands name the shipped folder and list the same boards.
        var badDeploy = RunInstalled(tool, cwd, "deploy", "--board", "nope", "--port", "/dev/ttyUSB0");
        var badInspect = RunInstalled(tool, cwd, "inspect", blob, "--board", "nope");
        foreach (var bad in new[] { badDeploy, badInspect })
        {
            Assert.AreEqual(ExitCodes.BadInput, bad.Code, bad.Err);
            StringAssert.Contains(bad.Err, $"No board named 'nope' in {Path.Combine(tool, "boards")}. Known boards: {string.Join(", ", KnownBoards)}");
        }
    }

    [TestMethod]
    public void TheLocatorPrefersTheCloneThenTheShippedCopy()
    {
        string repoBoards = Path.Combine(CliHarness.RepoRoot(), "boards");
        string tool = CliHarness.TempDir();
        string outside = CliHarness.TempDir();
        if (InsideAClone(tool) || InsideAClone(outside)) Assert.Inconclusive("the temporary folder is inside a Micro clone");
        Directory.CreateDirectory(Path.Combine(tool, "boards"));

        Assert.AreEqual(repoBoards, BoardsFolder.Locate(Path.Combine(CliHarness.RepoRoot(), "host-tools"), tool));
        Assert.AreEqual(Path.Combine(tool, "boards"), BoardsFolder.Locate(outside, tool));
        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => BoardsFolder.Locate(outside, outside));
        StringAssert.Contains(e.Message, "no boards folder");
    }

    [TestMethod]
    public void InspectWithAnUnknownBoardListsTheKnownBoards()
    {
        string blob = Path.Combine(CliHarness.RepoRoot(), "models", "heart-rate", "heart-rate.mblob");
        var (code, _, err) = CliHarness.Run("inspect", blob, "--board", "nope");
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        StringAssert.Contains(err, "No board named 'nope'");
        StringAssert.Contains(err, "Known boards: " + string.Join(", ", KnownBoards));
        Assert.IsFalse(err.Contains("file not found"), err);
    }

    [TestMethod]
    public void DeployWithAFolderAsAppSaysItIsAFolder()
    {
        string dir = CliHarness.TempDir();
        string app = Path.Combine(dir, "bin");
        Directory.CreateDirectory(app);
        var (code, _, err) = CliHarness.Run("deploy", "--board", "esp32-devkitc", "--port", "/dev/ttyUSB0", "--app", app, "--out", dir);
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        StringAssert.Contains(err, $"--app {app} is a directory, not a file: nanoff deploys one .bin image");
        StringAssert.Contains(err, "there is no .bin file in that folder");

        File.WriteAllBytes(Path.Combine(app, "Micro.Nano.bin"), [1]);
        (code, _, err) = CliHarness.Run("deploy", "--board", "esp32-devkitc", "--port", "/dev/ttyUSB0", "--app", app, "--out", dir);
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        StringAssert.Contains(err, "give the file, e.g. " + Path.Combine(app, "Micro.Nano.bin"));

        // Meadow takes the folder App.dll was built into: a folder is a valid --app there.
        string stdout;
        (code, stdout, err) = CliHarness.Run("deploy", "--board", "meadow-f7v2-feather", "--port", "/dev/ttyACM0", "--app", app, "--out", dir);
        Assert.AreEqual(ExitCodes.Ok, code, err);
        StringAssert.Contains(stdout, "meadow app deploy " + app);

        (code, _, err) = CliHarness.Run("deploy", "--board", "esp32-devkitc", "--port", "/dev/ttyUSB0", "--app", Path.Combine(dir, "missing.bin"), "--out", dir);
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        StringAssert.Contains(err, "application image not found: " + Path.Combine(dir, "missing.bin"));
    }
}
