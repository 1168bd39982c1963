#nullable enable
using Micro.Tooling.Serial;

namespace Micro.Tooling.Device.Tests.Serial;

/// <summary>Opening things that are not serial ports gives a kind to act on and a message for a user.</summary>
[TestClass]
public sealed class SerialOpenErrorTests
{
    [TestMethod]
    public void MissingPortIsNotFound()
    {
        if (OperatingSystem.IsWindows()) Assert.Inconclusive("Unix paths");
        var ex = Assert.ThrowsExactly<SerialPortException>(() => SerialLink.Open("/dev/ttyUSB_micro_missing"));
        Assert.AreEqual(SerialErrorKind.NotFound, ex.Kind);
        StringAssert.Contains(ex.Message, "/dev/ttyUSB_micro_missing not found");
        Assert.IsTrue(ex.Message.Contains("Ports present: ") || ex.Message.Contains("No serial ports found"), ex.Message);
        Assert.AreEqual("/dev/ttyUSB_micro_missing", ex.Port);
    }

    [TestMethod]
    public void RegularFileFolderAndDevNullAreNotSerialPorts()
    {
        if (OperatingSystem.IsWindows()) Assert.Inconclusive("Unix paths");
        string dir = Directory.CreateTempSubdirectory("micro-serial-").FullName;
        try
        {
            string file = Path.Combine(dir, "notaport.txt");
            File.WriteAllText(file, "HR,72,0\n");
            foreach (string path in new[] { file, dir, "/dev/null" })
            {
                var ex = Assert.ThrowsExactly<SerialPortException>(() => SerialLink.Open(path), path);
                Assert.AreEqual(SerialErrorKind.NotASerialPort, ex.Kind, ex.Message);
                StringAssert.Contains(ex.Message, "is not a serial port");
            }
            Assert.AreEqual("HR,72,0\n", File.ReadAllText(file), "the file was not changed");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void BaudRateOutOfRangeIsRefusedBeforeOpening()
    {
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SerialLink.Open("/dev/ttyUSB_micro_missing", 10_000_000));
        StringAssert.Contains(ex.Message, "baud rate must be between");
    }

    [TestMethod]
    public void WriterRefusesWhatTheMonitorWouldReject()
    {
        var clock = new ManualClock();
        using var writer = new SerialLineWriter(new ScriptedLink("p", clock));
        foreach (string bad in new[] { "two\nlines", "cr\r", "caf\u00e9", "nul\0" })
            Assert.ThrowsExactly<ArgumentException>(() => writer.WriteLine(bad), bad);
    }
}
