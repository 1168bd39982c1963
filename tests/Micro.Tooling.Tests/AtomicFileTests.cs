using System.Diagnostics;
using Micro.HostTools;

namespace Micro.Tooling.Tests;

/// <summary>AtomicFile never replaces a directory, FIFO or device, and writes through symbolic links (QA item 3).</summary>
[TestClass]
public class AtomicFileTests
{
    private static void MkFifo(string path)
    {
        var p = Process.Start(new ProcessStartInfo("mkfifo", path) { UseShellExecute = false })!;
        p.WaitForExit();
        Assert.AreEqual(0, p.ExitCode, "mkfifo failed");
    }

    private static string[] TempFiles(string dir) => Directory.GetFiles(dir, "*.tmp", new EnumerationOptions { AttributesToSkip = 0 });

    [TestMethod]
    public void ASymbolicLinkIsWrittenThroughAndStaysALink()
    {
        if (OperatingSystem.IsWindows()) Assert.Inconclusive("symbolic links need privileges on Windows");
        string dir = CliHarness.TempDir();
        string realDir = Path.Combine(dir, "real");
        Directory.CreateDirectory(realDir);
        string target = Path.Combine(realDir, "model.mblob");
        File.WriteAllText(target, "old");
        string link = Path.Combine(dir, "link.mblob");
        File.CreateSymbolicLink(link, Path.Combine("real", "model.mblob")); // relative, as ln -s makes them

        AtomicFile.WriteAllText(link, "new contents");

        Assert.AreEqual(FileKind.SymbolicLink, FileKinds.Of(link), "the link was replaced by a regular file");
        Assert.AreEqual(Path.Combine("real", "model.mblob"), new FileInfo(link).LinkTarget);
        Assert.AreEqual("new contents", File.ReadAllText(target));
        Assert.AreEqual(FileKind.Regular, FileKinds.Of(target));
        Assert.AreEqual(0, TempFiles(dir).Length + TempFiles(realDir).Length, "a temporary file was left behind");
    }

    [TestMethod]
    public void ALinkToAMissingFileCreatesTheFileAndAChainIsFollowedToTheEnd()
    {
        if (OperatingSystem.IsWindows()) Assert.Inconclusive("symbolic links need privileges on Windows");
        string dir = CliHarness.TempDir();
        string target = Path.Combine(dir, "out.json");
        string first = Path.Combine(dir, "a.json"), second = Path.Combine(dir, "b.json");
        File.CreateSymbolicLink(second, target);
        File.CreateSymbolicLink(first, second);

        AtomicFile.WriteAllText(first, "{}");

        Assert.AreEqual("{}", File.ReadAllText(target));
        Assert.AreEqual(FileKind.SymbolicLink, FileKinds.Of(first));
        Assert.AreEqual(FileKind.SymbolicLink, FileKinds.Of(second));
    }

    [TestMethod]
    public void ADirectoryIsRefusedAndLeftAlone()
    {
        string dir = CliHarness.TempDir();
        string output = Path.Combine(dir, "out.mblob");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "keep.txt"), "x");

        var e = Assert.ThrowsExactly<ArgumentException>(() => AtomicFile.WriteAllBytes(output, [1, 2, 3]));
        StringAssert.Contains(e.Message, output + ": it is a directory, not a regular file");
        Assert.IsTrue(Directory.Exists(output));
        Assert.IsTrue(File.Exists(Path.Combine(output, "keep.txt")));
        Assert.AreEqual(0, TempFiles(dir).Length);
    }

    [TestMethod]
    public void AFifoIsRefusedAndStaysAFifo()
    {
        if (OperatingSystem.IsWindows()) Assert.Inconclusive("no FIFOs on Windows");
        string dir = CliHarness.TempDir();
        string fifo = Path.Combine(dir, "pipe.mblob");
        MkFifo(fifo);

        var e = Assert.ThrowsExactly<ArgumentException>(() => AtomicFile.WriteAllBytes(fifo, [1, 2, 3]));
        StringAssert.Contains(e.Message, "it is a FIFO (named pipe), not a regular file");
        Assert.AreEqual(FileKind.Fifo, FileKinds.Of(fifo));
        Assert.AreEqual(0, TempFiles(dir).Length);
    }

    [TestMethod]
    public void ALinkToAFifoOrADirectoryIsRefused()
    {
        if (OperatingSystem.IsWindows()) Assert.Inconclusive("no FIFOs on Windows");
        string dir = CliHarness.TempDir();
        string fifo = Path.Combine(dir, "pipe");
        MkFifo(fifo);
        string toFifo = Path.Combine(dir, "to-fifo.csv");
        File.CreateSymbolicLink(toFifo, fifo);
        string toDir = Path.Combine(dir, "to-dir.csv");
        File.CreateSymbolicLink(toDir, dir);

        var e1 = Assert.ThrowsExactly<ArgumentException>(() => AtomicFile.WriteAllText(toFifo, "a"));
        StringAssert.Contains(e1.Message, $"it is a symbolic link to {fifo}, which is a FIFO (named pipe)");
        var e2 = Assert.ThrowsExactly<ArgumentException>(() => AtomicFile.WriteAllText(toDir, "a"));
        StringAssert.Contains(e2.Message, "which is a directory");
        Assert.AreEqual(FileKind.Fifo, FileKinds.Of(fifo));
        Assert.AreEqual(FileKind.SymbolicLink, FileKinds.Of(toFifo));
    }

    [TestMethod]
    public void ARegularFileIsReplacedWhole()
    {
        string dir = CliHarness.TempDir();
        string output = Path.Combine(dir, "x.bin");
        File.WriteAllBytes(output, new byte[1000]);
        AtomicFile.WriteAllBytes(output, [7, 8]);
        CollectionAssert.AreEqual(new byte[] { 7, 8 }, File.ReadAllBytes(output));

        // A writer that fails leaves the old file and no temporary file.
        Assert.ThrowsExactly<InvalidOperationException>(() => AtomicFile.Write(output, s => { s.WriteByte(1); throw new InvalidOperationException("boom"); }));
        CollectionAssert.AreEqual(new byte[] { 7, 8 }, File.ReadAllBytes(output));
        Assert.AreEqual(0, TempFiles(dir).Length);
    }

    [TestMethod]
    public void ALeftoverTemporaryFileOfThisProcessIdDoesNotBlockTheWrite()
    {
        string dir = CliHarness.TempDir();
        string output = Path.Combine(dir, "x.bin");
        File.WriteAllText(Path.Combine(dir, $".x.bin.{Environment.ProcessId}.tmp"), "left by a crashed run");
        AtomicFile.WriteAllBytes(output, [5]);
        CollectionAssert.AreEqual(new byte[] { 5 }, File.ReadAllBytes(output));
        Assert.AreEqual(0, TempFiles(dir).Length);
    }

    [TestMethod]
    public void AFolderThatTakesNoFilesIsReportedWithTheUsersPathNotTheTemporaryOne()
    {
        if (!OperatingSystem.IsLinux()) Assert.Inconclusive("uses /proc");
        var e = Assert.ThrowsExactly<IOException>(() => AtomicFile.WriteAllBytes("/proc/x.mblob", [1]));
        Assert.AreEqual("cannot write /proc/x.mblob: /proc does not accept new files", e.Message);
    }

    [TestMethod]
    public void PackRefusesAFifoOutputWithExitCode2()
    {
        if (OperatingSystem.IsWindows()) Assert.Inconclusive("no FIFOs on Windows");
        string dir = CliHarness.TempDir();
        string fifo = Path.Combine(dir, "out.mblob");
        MkFifo(fifo);
        string fixtures = Path.Combine(CliHarness.RepoRoot(), "tests", "fixtures", "onnx");
        var (code, _, err) = CliHarness.Run("pack", Path.Combine(fixtures, "mlp.onnx"), "-c", Path.Combine(fixtures, "mlp_calib.npy"), "-o", fifo);
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        StringAssert.Contains(err, $"cannot write {fifo}: it is a FIFO (named pipe), not a regular file");
        Assert.AreEqual(FileKind.Fifo, FileKinds.Of(fifo));
    }
}
