using Micro.HostTools;
using Micro.HostTools.Commands;

namespace Micro.HostTools.Tests.Commands;

/// <summary>File-system failures that happen during the work (after the up-front checks) still end in one line and the right code.</summary>
[TestClass]
public class CommandErrorsTests
{
    private static (int Code, string Err) Capture(Func<int> body)
    {
        var (code, _, err) = CliHarness.Capture(() => CommandErrors.Run(body));
        return (code, err.Trim());
    }

    [TestMethod]
    public void AFolderWhereAFileBelongsIsBadInputNotAnIoError()
    {
        string dir = CliHarness.TempDir();
        var (code, err) = Capture(() => { File.ReadAllBytes(dir); return 0; });
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        Assert.AreEqual($"micro: error: {dir} is a directory, not a file", err);
    }

    [TestMethod]
    public void AMissingFolderIsNamedWithoutDotNetWording()
    {
        string dir = CliHarness.TempDir();
        string path = Path.Combine(dir, "nodir", "x.mblob");
        var (code, err) = Capture(() => { File.ReadAllBytes(path); return 0; });
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        Assert.AreEqual($"micro: error: folder not found: {Path.Combine(dir, "nodir")} (for {path})", err);
        (code, err) = Capture(() => throw new DirectoryNotFoundException("models/heart-rate not found in this folder or any folder above it (use --dir)"));
        Assert.AreEqual(ExitCodes.BadInput, code, "demo outside a clone is bad input, not an I/O failure");
    }

    [TestMethod]
    public void AWriteFailureNamesTheOutputNotTheTemporaryFile()
    {
        var (code, err) = Capture(() => throw new IOException("Read-only file system : '/mnt/ro/.x.mblob.4242.tmp'"));
        Assert.AreEqual(ExitCodes.IoError, code);
        Assert.AreEqual("micro: error: cannot read or write /mnt/ro/x.mblob: Read-only file system", err);
    }

    [TestMethod]
    public void ControlBytesInAMessageAreEscapedOntoOneVisibleLine()
    {
        // A file name with an ANSI colour sequence, a newline and a bidi override: every verb's error goes through Fail.
        string dir = CliHarness.TempDir();
        string path = Path.Combine(dir, "x\u001b[31mred\nline\u202Egnp.mblob");
        var (code, _, err) = CliHarness.Run("inspect", path);
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        Assert.AreEqual(1, err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, err);
        Assert.IsFalse(err.Trim().Any(c => c < ' ' || c == '\u202E'), err);
        StringAssert.Contains(err, "x\\x1B[31mred\\nline\\u202Egnp.mblob");
        Assert.AreEqual("a plain message, kept", CommandErrors.Escape("a plain message, kept"));
        Assert.AreEqual("tab\\tDEL\\x7FC1\\x9B", CommandErrors.Escape("tab\tDEL\u007FC1\u009B"));
    }

    [TestMethod]
    public void ParseErrorsAreEscapedToo()
    {
        var (code, _, err) = CliHarness.Run("inspect", "--bogus\u001b]0;title\u0007");
        Assert.AreEqual(ExitCodes.BadInput, code, err);
        Assert.IsFalse(err.Any(c => c < ' ' && c != '\n'), err);
        StringAssert.Contains(err, "--bogus\\x1B]0;title\\x07");
    }
}
