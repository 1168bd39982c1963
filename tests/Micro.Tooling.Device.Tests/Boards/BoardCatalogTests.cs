using System.Text.Json;
using System.Text.Json.Nodes;
using Micro.Tooling.Boards;

namespace Micro.Tooling.Device.Tests.Boards;

[TestClass]
public sealed class BoardCatalogTests
{
    private static readonly string BoardsDirectory = BoardCatalog.FindBoardsDirectory(AppContext.BaseDirectory);

    private static JsonObject Board(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(BoardsDirectory, name + ".json")))!.AsObject();

    private static JsonObject Schema() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(BoardsDirectory, BoardCatalog.SchemaFileName)))!.AsObject();

    private static BoardValidationException Invalid(JsonObject board, string fileName)
    {
        string json = board.ToJsonString();
        return Assert.ThrowsExactly<BoardValidationException>(() => BoardCatalog.Parse(json, fileName + ".json"));
    }

    private static void AssertProblem(BoardValidationException e, string fieldPath, string fragment)
    {
        Assert.IsTrue(
            e.Problems.Any(p => p.StartsWith(fieldPath + ":", StringComparison.Ordinal) && p.Contains(fragment, StringComparison.Ordinal)),
            "expected a problem at " + fieldPath + " containing '" + fragment + "', got:" + Environment.NewLine + e.Message);
    }

    [TestMethod]
    public void EveryBoardFileValidates()
    {
        var boards = BoardCatalog.LoadDirectory(BoardsDirectory);
        CollectionAssert.IsSubsetOf(
            new[] { "esp32-devkitc", "esp32-s3-devkitc", "stm32f769i-disco", "meadow-f7v2-feather" },
            boards.Select(b => b.Name).ToArray());
        foreach (var board in boards)
        {
            Assert.IsTrue(board.ModelBudget.TotalBytes <= board.ManagedHeapBytes, board.Name);
            Assert.AreEqual(0x57, board.Sensor.I2cAddress, board.Name);
            if (board.Runtime == BoardRuntime.NanoFramework)
            {
                Assert.AreNotEqual("COM1", board.Alerts.SerialPort, board.Name + ": COM1 is the debugger");
                Assert.IsFalse(string.IsNullOrEmpty(board.Deploy.NanoffTarget), board.Name);
            }
        }
    }

    [TestMethod]
    public void TheContactThresholdIsEachBoardsOwnAndChecked()
    {
        var board = Board("esp32-devkitc");
        board["sensor"]!["contact_min_ir"] = 20000;
        Assert.AreEqual(20000, BoardCatalog.Parse(board.ToJsonString(), "esp32-devkitc.json").Sensor.ContactMinIr);
        board["sensor"]!["contact_min_ir"] = 300000;
        AssertProblem(Invalid(board, "esp32-devkitc"), "sensor.contact_min_ir", "outside 1..262143");
        board["sensor"]!.AsObject().Remove("contact_min_ir");
        Assert.ThrowsExactly<BoardValidationException>(() => BoardCatalog.Parse(board.ToJsonString(), "esp32-devkitc.json"));
    }

    [TestMethod]
    public void BoardFactsMatchTheHardware()
    {
        var devkit = BoardCatalog.LoadByName(BoardsDirectory, "esp32-devkitc");
        Assert.AreEqual(0, devkit.PsramBytes, "ESP32-WROOM-32 has no PSRAM");
        Assert.IsTrue(devkit.ModelBudget.TotalBytes <= 40 * 1024, "model + arena must stay near 40 KB on a WROOM heap");
        Assert.AreEqual("COM2", devkit.Alerts.SerialPort);
        Assert.AreEqual("ESP32_REV3", devkit.Deploy.NanoffTarget);

        var s3 = BoardCatalog.LoadByName(BoardsDirectory, "esp32-s3-devkitc");
        Assert.IsTrue(s3.PsramBytes > 0);
        Assert.IsTrue(s3.ModelBudget.TotalBytes > devkit.ModelBudget.TotalBytes);

        var disco = BoardCatalog.LoadByName(BoardsDirectory, "stm32f769i-disco");
        Assert.AreEqual("ST_STM32F769I_DISCOVERY", disco.Deploy.NanoffTarget);
        Assert.AreEqual(BoardPin.Gpio(('B' - 'A') * 16 + 9), disco.Sensor.SdaPin, "PB9 in nanoFramework STM32 numbering");

        var meadow = BoardCatalog.LoadByName(BoardsDirectory, "meadow-f7v2-feather");
        Assert.AreEqual(BoardRuntime.Meadow, meadow.Runtime);
        Assert.AreEqual(BoardPin.Named("D07"), meadow.Sensor.SdaPin);
        Assert.IsNull(meadow.Deploy.NanoffTarget);
    }

    [TestMethod]
    public void TheLoaderReadsItsRulesFromTheSchemaFile()
    {
        // The embedded schema is boards/board.schema.json itself, so editing the file changes the rules.
        JsonObject schema = Schema();
        var required = schema["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToArray();
        CollectionAssert.AreEqual(required, BoardCatalog.Shape[""].Required);
        CollectionAssert.AreEqual(new[] { 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600 }, BoardCatalog.BaudRates.ToArray());
        Assert.AreEqual("MAX30102", BoardCatalog.SensorPart);
        Assert.AreEqual(0x57, BoardCatalog.SensorI2cAddress);
    }

    [TestMethod]
    public void EveryRequiredPropertyIsEnforced()
    {
        int checkedCount = 0;
        foreach (string boardName in new[] { "esp32-devkitc", "meadow-f7v2-feather" })
        {
            foreach (var (objectPath, shape) in BoardCatalog.Shape)
            {
                foreach (string property in shape.Required)
                {
                    JsonObject board = Board(boardName);
                    JsonObject target = objectPath.Length == 0 ? board : board[objectPath]!.AsObject();
                    Assert.IsTrue(target.Remove(property), boardName + " lacks " + objectPath + "." + property);
                    var e = Invalid(board, boardName);
                    AssertProblem(e, objectPath.Length == 0 ? property : objectPath + "." + property, "required property is missing");
                    checkedCount++;
                }
            }
        }

        Assert.AreEqual(2 * BoardCatalog.Shape.Values.Sum(s => s.Required.Length), checkedCount);
    }

    [TestMethod]
    public void BadValuesGetClearMessages()
    {
        var board = Board("esp32-devkitc");
        board["runtime"] = "nano";
        AssertProblem(Invalid(board, "esp32-devkitc"), "runtime", "must be one of nanoFramework, Meadow");

        board = Board("esp32-devkitc");
        board["alerts"]!["serial_port"] = "COM1";
        AssertProblem(Invalid(board, "esp32-devkitc"), "alerts.serial_port", "debugger");

        board = Board("esp32-devkitc");
        board["alerts"]!["baud"] = 115201;
        AssertProblem(Invalid(board, "esp32-devkitc"), "alerts.baud", "must be one of");

        board = Board("esp32-devkitc");
        board["model_budget"]!["arena_bytes"] = 100_000;
        AssertProblem(Invalid(board, "esp32-devkitc"), "model_budget", "exceeds managed_heap_bytes");

        board = Board("esp32-devkitc");
        board["buzzer_pin"] = 21;
        AssertProblem(Invalid(board, "esp32-devkitc"), "sensor.sda_pin, buzzer_pin", "used more than once");

        board = Board("esp32-devkitc");
        board["led_pin"] = "D07";
        AssertProblem(Invalid(board, "esp32-devkitc"), "led_pin", "nanoFramework pins are integers");

        board = Board("esp32-devkitc");
        board["deploy"]!.AsObject().Remove("nanoff_target");
        AssertProblem(Invalid(board, "esp32-devkitc"), "deploy.nanoff_target", "required for a nanoFramework board");

        board = Board("esp32-devkitc");
        board["clock_mhz"] = "240";
        AssertProblem(Invalid(board, "esp32-devkitc"), "clock_mhz", "must be an integer");

        board = Board("esp32-devkitc");
        board["sensor"]!["i2c_address"] = 0x56;
        AssertProblem(Invalid(board, "esp32-devkitc"), "sensor.i2c_address", "0x57");

        board = Board("esp32-devkitc");
        board["sensor"]!["sda_pni"] = 5;
        AssertProblem(Invalid(board, "esp32-devkitc"), "sensor.sda_pni", "unknown property");

        board = Board("esp32-devkitc");
        AssertProblem(Invalid(board, "esp32-devkit"), "name", "must match the file name");

        board = Board("meadow-f7v2-feather");
        board["sensor"]!["sda_pin"] = 7;
        board["deploy"]!["nanoff_target"] = "ESP32_REV3";
        var e = Invalid(board, "meadow-f7v2-feather");
        AssertProblem(e, "sensor.sda_pin", "Meadow pins are names");
        AssertProblem(e, "deploy.nanoff_target", "not allowed on a Meadow board");
        StringAssert.Contains(e.Message, "meadow-f7v2-feather.json is not a valid board description");
    }

    [TestMethod]
    public void BrokenJsonAndUnknownBoardsAreReported()
    {
        var e = Assert.ThrowsExactly<BoardValidationException>(() => BoardCatalog.Parse("{ \"name\": ", "x.json"));
        StringAssert.Contains(e.Message, "not valid JSON");

        e = Assert.ThrowsExactly<BoardValidationException>(() => BoardCatalog.Parse("[1, 2]", "x.json"));
        StringAssert.Contains(e.Message, "must be a JSON object");

        var missing = Assert.ThrowsExactly<UnknownBoardException>(() => BoardCatalog.LoadByName(BoardsDirectory, "esp8266"));
        StringAssert.Contains(missing.Message, "esp32-devkitc");
    }
}
