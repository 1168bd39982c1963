using Micro.HostTools;

namespace Micro.Tooling.Tests.Cli;

/// <summary>inspect and monitor arguments that are wrong say so in one line, exit 2, before any work (QA items 9, 16).</summary>
[TestClass]
public class InspectMonitorArgumentTests
{
    [TestMethod]
    public void InspectADirectoryOrAFileInAMissingFolderIsABadArgument()
    {
        string dir = CliHarness.TempDir();
        string folder = Path.Combine(dir, "d.mblob");
        Directory.CreateDirectory(folder);
        var (code, _, err) = CliHarness.Run("inspect", folder);
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        StringAssert.Contains(err, $"{folder} is a directory, not a .mblob file");

        string missing = Path.Combine(dir, "nodir", "x.mblob");
        (code, _, err) = CliHarness.Run("inspect", missing);
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        StringAssert.Contains(err, "file not found: " + missing);
    }

    [TestMethod]
    public void MonitorChecksLogBaudAndDurationBeforeOpeningThePort()
    {
        string dir = CliHarness.TempDir();
        // The port does not exist either: the argument errors must come first.
        var (code, _, err) = CliHarness.Run("monitor", "--port", "/dev/no-such-tty", "--log", dir, "--duration", "1");
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        StringAssert.Contains(err, $"--log {dir} is a directory, not a file");

        string inMissing = Path.Combine(dir, "nodir", "a.csv");
        (code, _, err) = CliHarness.Run("monitor", "--port", "/dev/no-such-tty", "--log", inMissing, "--duration", "1");
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        StringAssert.Contains(err, $"the folder {Path.Combine(dir, "nodir")} does not exist");

        (code, _, err) = CliHarness.Run("monitor", "--port", "/dev/no-such-tty", "--baud", "0");
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        Assert.AreEqual("micro: error: --baud must be a positive baud rate such as 115200, got 0", err.Trim());

        (code, _, err) = CliHarness.Run("monitor", "--port", "/dev/no-such-tty", "--duration", "-1");
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        Assert.AreEqual("micro: error: --duration must be 0 or more seconds, got -1", err.Trim());
    }
}
