using System.Text.RegularExpressions;
using Micro.App.Tests.Support;
using Micro.Tooling.Boards;

namespace Micro.App.Tests;

/// <summary>The firmware's board profiles are the boards/*.json files, field by field.</summary>
[TestClass]
public sealed class BoardProfileTests
{
    private static readonly string BoardsDirectory = BoardCatalog.FindBoardsDirectory(AppContext.BaseDirectory);

    private static void AssertPin(BoardPin expected, PinRef actual, string what)
    {
        Assert.IsNotNull(actual, what);
        Assert.AreEqual(expected.Number ?? -1, actual.Number, what);
        Assert.AreEqual(expected.Name, actual.Name, what);
    }

    [TestMethod]
    public void EveryBoardFileHasAProfileAndEveryProfileAFile()
    {
        var names = BoardCatalog.LoadDirectory(BoardsDirectory).Select(b => b.Name).ToArray();
        CollectionAssert.AreEqual(names, BoardProfiles.Names);
        Assert.IsNull(BoardProfiles.Find("arduino-uno"));
    }

    [TestMethod]
    public void ProfilesEqualTheBoardFiles()
    {
        foreach (BoardDescription board in BoardCatalog.LoadDirectory(BoardsDirectory))
        {
            BoardProfile p = BoardProfiles.Find(board.Name);
            Assert.IsNotNull(p, board.Name);
            string n = board.Name + ": ";
            Assert.AreEqual(board.Name, p.Name);
            Assert.AreEqual(board.Runtime == BoardRuntime.Meadow ? "Meadow" : "nanoFramework", p.Runtime, n + "runtime");
            Assert.AreEqual(board.Runtime == BoardRuntime.NanoFramework && board.Mcu.StartsWith("ESP32", StringComparison.Ordinal), p.RoutesPins, n + "pin routing");
            Assert.AreEqual(board.Sensor.I2cBus, p.I2cBus, n + "i2c bus");
            Assert.AreEqual(board.Sensor.I2cAddress, p.I2cAddress, n + "i2c address");
            AssertPin(board.Sensor.SdaPin, p.SdaPin, n + "sda");
            AssertPin(board.Sensor.SclPin, p.SclPin, n + "scl");
            if (board.Sensor.IntPin is BoardPin intPin) AssertPin(intPin, p.IntPin, n + "int");
            else Assert.IsTrue(p.IntPin.IsNone, n + "int");
            Assert.AreEqual(board.Alerts.SerialPort, p.AlertPort, n + "alert port");
            Assert.AreEqual(board.Alerts.Baud, p.AlertBaud, n + "baud");
            AssertPin(board.Alerts.TxPin, p.AlertTxPin, n + "tx");
            AssertPin(board.Alerts.RxPin, p.AlertRxPin, n + "rx");
            AssertPin(board.BuzzerPin, p.BuzzerPin, n + "buzzer");
            AssertPin(board.LedPin, p.LedPin, n + "led");
            Assert.AreEqual(board.ModelBudget.BlobBytes, (long)p.ModelBlobBytes, n + "blob budget");
            Assert.AreEqual(board.ModelBudget.ArenaBytes, (long)p.ModelArenaBytes, n + "arena budget");
        }
    }

    [TestMethod]
    public void NanoFirmwareBuildsForEveryNanoBoardAndOnlyThose()
    {
        // nano/Micro.Nano.csproj maps -p:MicroBoard to a define that Program.cs turns into a profile.
        string root = SharedData.RepoRoot();
        string csproj = File.ReadAllText(Path.Combine(root, "firmware", "Micro.Nano", "nano", "Micro.Nano.csproj"));
        string program = File.ReadAllText(Path.Combine(root, "firmware", "Micro.Nano", "Program.cs"));
        foreach (BoardDescription board in BoardCatalog.LoadDirectory(BoardsDirectory))
        {
            string define = "BOARD_" + board.Name.ToUpperInvariant().Replace('-', '_');
            bool nano = board.Runtime == BoardRuntime.NanoFramework;
            Assert.AreEqual(nano, csproj.Contains("'$(MicroBoard)' == '" + board.Name + "'"), board.Name);
            Assert.AreEqual(nano, csproj.Contains(define), board.Name + " define");
            if (!nano) continue;
            Assert.IsTrue(Regex.IsMatch(program, "(#if|#elif) " + define + @"\b") || board.Name == "esp32-devkitc", board.Name + " selected in Program.cs");
            Assert.AreEqual(BoardProfiles.Find(board.Name).RoutesPins, csproj.Contains("ESP32;" + define), board.Name + ": ESP32 pin routing and package");
        }
    }
}
