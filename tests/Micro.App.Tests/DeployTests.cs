using System.Text.Json;
using Micro.App.Tests.Support;
using Micro.HostTools;
using Micro.HostTools.Commands;
using Micro.Runtime;
using Micro.Tooling.Blob;
using Micro.Tooling.Boards;
using Micro.Tooling.Deploy;
using Micro.Tooling.Graph;

namespace Micro.App.Tests;

/// <summary>`micro deploy`: the commands and nanoff's deploy.json per board, the checks, printing and running.</summary>
[TestClass]
[DoNotParallelize]
public sealed class DeployTests
{
    private static readonly string BoardsDirectory = BoardCatalog.FindBoardsDirectory(AppContext.BaseDirectory);

    private static BoardDescription Board(string name) => BoardCatalog.LoadByName(BoardsDirectory, name);

    private static string WriteTemp(string dir, string name, byte[] bytes)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [TestMethod]
    public void NanoffCommandsAndDeployJsonForEachNanoBoard()
    {
        string dir = Cli.TempDir();
        string model = WriteTemp(dir, "model v1.mblob", TestModels.ConstantRegular());
        string app = WriteTemp(dir, "Micro.Nano.bin", new byte[] { 1, 2, 3, 4 });
        var expectedTargets = new Dictionary<string, string>
        {
            ["esp32-devkitc"] = "ESP32_REV3",
            ["esp32-s3-devkitc"] = "ESP32_S3_OCTAL",
            ["stm32f769i-disco"] = "ST_STM32F769I_DISCOVERY",
        };
        foreach (var (name, target) in expectedTargets)
        {
            var plan = DeployPlanner.Plan(new DeployRequest(Board(name), "COM5", model, app, dir));
            Assert.AreEqual("nanoff", plan.Tool);
            Assert.AreEqual("dotnet tool install -g nanoff", plan.InstallCommand);
            string json = Path.Combine(dir, "deploy.json");
            string v = DeployPlanner.NanoFirmwareVersion;
            string flash = name.StartsWith("stm32") ? $"nanoff --update --target {target} --fwversion {v} --jtag" : $"nanoff --update --target {target} --fwversion {v} --serialport COM5";
            if (name.StartsWith("stm32"))
            {
                // No I: drive: no file step; the app's embedded model runs, and the plan says so.
                CollectionAssert.AreEqual(new[] { flash, $"nanoff --nanodevice --serialport COM5 --deploy --image {app}" },
                    plan.Steps.Select(s => s.CommandLine).ToArray(), name);
                Assert.IsNull(plan.FileDeploymentPath);
                Assert.IsFalse(plan.Steps.Any(s => s.CommandLine.Contains("I:", StringComparison.Ordinal) || s.CommandLine.Contains("--filedeployment", StringComparison.Ordinal)));
                Assert.IsTrue(plan.Notes.Any(n => n.Contains("no storage the firmware reads", StringComparison.Ordinal)), string.Join("\n", plan.Notes));
                continue;
            }
            // The model first: file deployment does not reboot; the app deployment does, into an app that finds the model.
            CollectionAssert.AreEqual(new[]
            {
                flash,
                $"nanoff --filedeployment {json}",
                $"nanoff --nanodevice --serialport COM5 --deploy --image {app}",
            }, plan.Steps.Select(s => s.CommandLine).ToArray(), name);
            Assert.AreEqual(json, plan.FileDeploymentPath);

            using var doc = JsonDocument.Parse(plan.FileDeploymentJson);
            var root = doc.RootElement;
            CollectionAssert.AreEqual(new[] { "SerialPort", "Files" }, root.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.AreEqual("COM5", root.GetProperty("SerialPort").GetString());
            var file = root.GetProperty("Files").EnumerateArray().Single();
            Assert.AreEqual("I:\\heart-rate.mblob", file.GetProperty("DestinationFilePath").GetString());
            Assert.AreEqual(model, file.GetProperty("SourceFilePath").GetString());
            StringAssert.Contains(plan.FileDeploymentJson, "\"I:\\\\heart-rate.mblob\"", "the backslash is escaped in the JSON text");
        }
    }

    [TestMethod]
    public void MeadowUsesTheMeadowCliAndKeepsTheModelInData()
    {
        string dir = Cli.TempDir();
        string model = WriteTemp(dir, "heart.mblob", TestModels.ConstantRegular());
        string app = WriteTemp(dir, "App.dll", new byte[] { 0x4D, 0x5A });
        var plan = DeployPlanner.Plan(new DeployRequest(Board("meadow-f7v2-feather"), "/dev/ttyACM0", model, app, dir));
        Assert.AreEqual("meadow", plan.Tool);
        Assert.AreEqual("dotnet tool install -g WildernessLabs.Meadow.CLI", plan.InstallCommand);
        CollectionAssert.AreEqual(new[]
        {
            "meadow config route /dev/ttyACM0",
            "meadow firmware download",
            "meadow firmware write",
            $"meadow app deploy {app}",
            $"meadow file write -f {model} -t Data/heart-rate.mblob",
            "meadow runtime enable",
        }, plan.Steps.Select(s => s.CommandLine).ToArray());
        Assert.IsNull(plan.FileDeploymentJson);
        Assert.ThrowsExactly<ArgumentException>(() => DeployPlanner.Plan(new DeployRequest(Board("meadow-f7v2-feather"), "COM3", null, WriteTemp(dir, "Other.dll", new byte[1]), dir)));
    }

    [TestMethod]
    public void FirmwareOnlyWithoutModelOrApp()
    {
        var plan = DeployPlanner.Plan(new DeployRequest(Board("esp32-devkitc"), "/dev/ttyUSB0", null, null, Cli.TempDir()));
        CollectionAssert.AreEqual(new[] { $"nanoff --update --target ESP32_REV3 --fwversion {DeployPlanner.NanoFirmwareVersion} --serialport /dev/ttyUSB0" }, plan.Steps.Select(s => s.CommandLine).ToArray());
        Assert.IsNull(plan.FileDeploymentPath);
    }

    [TestMethod]
    public void ModelThatIsNotTheFirmwaresClassifierIsRefusedWithWhatTheFirmwareExpects()
    {
        string dir = Cli.TempDir();
        var board = Board("esp32-devkitc");
        // A valid blob with 4 classes but a 300-sample window: longer than the firmware's 250.
        string model = WriteTemp(dir, "long.mblob", TestModels.ConstantRegular(300));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => DeployPlanner.Plan(new DeployRequest(board, "COM5", model, null, dir)));
        StringAssert.Contains(e.Message, "long.mblob: input 0 is int8 with 300 values; the firmware feeds an int8 window of 16..250 samples");
        StringAssert.Contains(e.Message, "write your own app on the runtime");
    }

    [TestMethod]
    public void BadFilesAreRefusedBeforeAnythingRuns()
    {
        string dir = Cli.TempDir();
        var board = Board("esp32-devkitc");
        byte[] corrupt = TestModels.ConstantRegular();
        corrupt[^2] ^= 1;
        Assert.ThrowsExactly<BlobFormatException>(() => DeployPlanner.Plan(new DeployRequest(board, "COM5", WriteTemp(dir, "bad.mblob", corrupt), null, dir)));

        var g = new QGraph { Name = "three-class" };
        var x = g.AddTensor("x", new[] { 1, 64 }, TestModels.InputScale, 0);
        var y = g.AddTensor("y", new[] { 1, 3 }, 0.1f, 0);
        g.Inputs.Add(x);
        g.Outputs.Add(y);
        g.Add(TestModels.Fc(new Random(1), "fc", x, y, -128, 127));
        var shape = Assert.ThrowsExactly<InvalidDataException>(() => DeployPlanner.Plan(new DeployRequest(board, "COM5", WriteTemp(dir, "three.mblob", BlobEmitter.Emit(g)), null, dir)));
        StringAssert.Contains(shape.Message, "output 0 is int8 with 3 values");

        Assert.ThrowsExactly<FileNotFoundException>(() => DeployPlanner.Plan(new DeployRequest(board, "COM5", Path.Combine(dir, "missing.mblob"), null, dir)));
        var dll = Assert.ThrowsExactly<ArgumentException>(() => DeployPlanner.Plan(new DeployRequest(board, "COM5", null, WriteTemp(dir, "Micro.Nano.dll", new byte[1]), dir)));
        StringAssert.Contains(dll.Message, ".bin");
        Assert.ThrowsExactly<ArgumentException>(() => DeployPlanner.Plan(new DeployRequest(board, " ", null, null, dir)));
    }

    [TestMethod]
    public void ModelOverTheBoardBudgetGetsANote()
    {
        // 250 → 128 → 4: 32 KB of weights, over the ESP32-DevKitC's 24 KB blob budget, fine on the S3.
        var r = new Random(4);
        var g = new QGraph { Name = "big" };
        var x = g.AddTensor("x", new[] { 1, 250 }, TestModels.InputScale, 0);
        var h = g.AddTensor("h", new[] { 1, 128 }, 0.05f, -128);
        var y = g.AddTensor("y", new[] { 1, 4 }, 0.1f, 0);
        g.Inputs.Add(x);
        g.Outputs.Add(y);
        g.Add(TestModels.Fc(r, "fc1", x, h, -128, 127));
        g.Add(TestModels.Fc(r, "fc2", h, y, -128, 127));
        string dir = Cli.TempDir();
        string model = WriteTemp(dir, "big.mblob", BlobEmitter.Emit(g));
        var small = DeployPlanner.Plan(new DeployRequest(Board("esp32-devkitc"), "COM5", model, null, dir));
        Assert.AreEqual(1, small.Notes.Count);
        StringAssert.Contains(small.Notes[0], "esp32-devkitc budgets 24,576 B");
        Assert.AreEqual(0, DeployPlanner.Plan(new DeployRequest(Board("esp32-s3-devkitc"), "COM5", model, null, dir)).Notes.Count);
    }

    [TestMethod]
    public void VerbPrintsTheCommandsAndWritesDeployJson()
    {
        string dir = Cli.TempDir();
        string model = WriteTemp(dir, "m.mblob", TestModels.ConstantRegular());
        string outDir = Path.Combine(dir, "out");
        var (code, stdout, stderr) = Cli.Run("deploy", "--board", "esp32-devkitc", "--port", "COM7", "--model", model, "--out", outDir, "--boards", BoardsDirectory);
        Assert.AreEqual(ExitCodes.Ok, code, stderr);
        string json = Path.Combine(outDir, "deploy.json");
        StringAssert.Contains(stdout, "Board esp32-devkitc (nanoFramework, nanoff target ESP32_REV3) on COM7");
        StringAssert.Contains(stdout, $"1. Flash the nanoFramework firmware\n   nanoff --update --target ESP32_REV3 --fwversion {DeployPlanner.NanoFirmwareVersion} --serialport COM7".Replace("\n", Environment.NewLine));
        StringAssert.Contains(stdout, "   nanoff --filedeployment " + json);
        StringAssert.Contains(stdout, "micro monitor --port");
        Assert.AreEqual("COM7", JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("SerialPort").GetString());
        Assert.AreEqual(0, Directory.GetFiles(outDir).Count(f => f.EndsWith(".tmp")), "no temporary file left behind");
    }

    [TestMethod]
    public void VerbReportsAMissingToolWithTheInstallCommand()
    {
        string empty = Cli.TempDir();
        var opts = new DeployCommand.Options("esp32-devkitc", "COM5", null, null, false, new DirectoryInfo(empty), new DirectoryInfo(BoardsDirectory));
        var (code, stdout, _) = Cli.Capture(() => DeployCommand.Execute(opts, Console.Out, searchPath: empty, dotnetTools: ""));
        Assert.AreEqual(ExitCodes.Ok, code);
        StringAssert.Contains(stdout, "nanoff is not installed (not on PATH). Install it with: dotnet tool install -g nanoff");

        var (runCode, _, err) = Cli.Capture(() => DeployCommand.Execute(opts with { Run = true }, Console.Out, searchPath: empty, dotnetTools: ""));
        Assert.AreEqual(ExitCodes.CheckFailed, runCode);
        StringAssert.Contains(err, "dotnet tool install -g nanoff");
    }

    [TestMethod]
    public void VerbErrorsAreOneLineWithTheBadInputCode()
    {
        var (code, _, err) = Cli.Run("deploy", "--board", "arduino-uno", "--port", "COM5", "--boards", BoardsDirectory);
        Assert.AreEqual(ExitCodes.BadInput, code);
        StringAssert.Contains(err, "No board named 'arduino-uno'");
        StringAssert.Contains(err, "Known boards: esp32-devkitc, esp32-s3-devkitc, meadow-f7v2-feather, stm32f769i-disco");

        string dir = Cli.TempDir();
        byte[] corrupt = TestModels.ConstantRegular();
        corrupt[10] ^= 0xFF;
        (code, _, err) = Cli.Run("deploy", "--board", "esp32-devkitc", "--port", "COM5", "--model", WriteTemp(dir, "c.mblob", corrupt), "--out", dir, "--boards", BoardsDirectory);
        Assert.AreEqual(ExitCodes.BadInput, code);
        StringAssert.StartsWith(err, "micro: error: invalid blob:");
        Assert.IsFalse(File.Exists(Path.Combine(dir, "deploy.json")), "nothing written for a bad model");

        (code, _, _) = Cli.Run("deploy", "--board", "esp32-devkitc");
        Assert.AreNotEqual(ExitCodes.Ok, code, "--port is required");
    }

    [TestMethod]
    public void RunExecutesEveryStepWithTheToolItFinds()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Inconclusive("the fake nanoff is a POSIX shell script");
            return;
        }
        string dir = Cli.TempDir();
        string bin = Directory.CreateDirectory(Path.Combine(dir, "bin")).FullName;
        string log = Path.Combine(dir, "calls.log");
        string fake = Path.Combine(bin, "nanoff");
        File.WriteAllText(fake, "#!/bin/sh\necho \"$@\" >> '" + log + "'\ncase \"$*\" in *--filedeployment*) test -f \"$2\" || exit 7;; esac\nexit 0\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string model = WriteTemp(dir, "m.mblob", TestModels.ConstantRegular());
        string app = WriteTemp(dir, "Micro.Nano.bin", new byte[8]);
        var opts = new DeployCommand.Options("esp32-s3-devkitc", "COM9", new FileInfo(model), new FileInfo(app), true, new DirectoryInfo(dir), new DirectoryInfo(BoardsDirectory));

        var (code, stdout, stderr) = Cli.Capture(() => DeployCommand.Execute(opts, Console.Out, searchPath: bin, dotnetTools: ""));
        Assert.AreEqual(ExitCodes.Ok, code, stderr);
        CollectionAssert.AreEqual(new[]
        {
            $"--update --target ESP32_S3_OCTAL --fwversion {DeployPlanner.NanoFirmwareVersion} --serialport COM9",
            $"--filedeployment {Path.Combine(dir, "deploy.json")}",
            $"--nanodevice --serialport COM9 --deploy --image {app}",
        }, File.ReadAllLines(log));
        StringAssert.Contains(stdout, "Done: 3 step(s).");

        File.WriteAllText(fake, "#!/bin/sh\ncase \"$*\" in *--deploy*) exit 3;; esac\nexit 0\n");
        (code, _, stderr) = Cli.Capture(() => DeployCommand.Execute(opts, Console.Out, searchPath: bin, dotnetTools: ""));
        Assert.AreEqual(ExitCodes.CheckFailed, code);
        StringAssert.Contains(stderr, "step 3 failed with exit code 3: nanoff --nanodevice --serialport COM9 --deploy --image");
    }
}
