using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Micro.Tooling.Boards;

/// <summary>
/// Loads and validates the board files in <c>boards/</c>. The rules are those of
/// <c>boards/board.schema.json</c> (required and allowed properties, types, ranges, patterns,
/// enums) plus the cross-field rules the schema describes in words: the name matches the file
/// name, blob + arena fit the managed heap, pins are integers on nanoFramework and names on
/// Meadow, no pin is used twice, nanoFramework boards keep COM1 for the debugger and name a
/// nanoff target. Every problem is reported, each with the JSON path of its field.
/// </summary>
public static class BoardCatalog
{
    /// <summary>File name of the schema inside the boards folder.</summary>
    public const string SchemaFileName = "board.schema.json";

    private static readonly BoardSchema Schema = BoardSchema.Instance;

    /// <summary>Allowed and required properties per object ("" is the top level), from the schema.</summary>
    public static readonly IReadOnlyDictionary<string, (string[] Allowed, string[] Required)> Shape = Schema.Shape;

    /// <summary>The "runtime" values, as spelled in the schema.</summary>
    public static readonly IReadOnlyList<string> Runtimes = Schema.Enum("runtime").Select(v => v.GetString()!).ToArray();

    /// <summary>The "alerts.baud" values the schema allows.</summary>
    public static readonly IReadOnlyList<int> BaudRates = Schema.Enum("alerts.baud").Select(v => v.GetInt32()).ToArray();

    /// <summary>The "deploy.tool" values.</summary>
    public static readonly IReadOnlyList<string> DeployTools = Schema.Enum("deploy.tool").Select(v => v.GetString()!).ToArray();

    /// <summary>The sensor part and its I2C address (the MAX30102's 0x57), from the schema's constants.</summary>
    public static readonly string SensorPart = Schema.Const("sensor.part").GetString()!;

    public static readonly int SensorI2cAddress = Schema.Const("sensor.i2c_address").GetInt32();

    private static readonly Regex NamePattern = Schema.Pattern("name");
    private static readonly Regex CodeNamePattern = Schema.Pattern("code_name");
    private static readonly Regex SerialPortPattern = Schema.Pattern("alerts.serial_port");
    private static readonly Regex NanoffTargetPattern = Schema.Pattern("deploy.nanoff_target");
    private static readonly Regex ModelFilePattern = Schema.Pattern("deploy.model_file");
    private static readonly Regex PinNamePattern = Schema.Pattern("pin");
    private static readonly (long Min, long Max) PinRange = Schema.Range("pin");

    /// <summary>Loads every board file (*.json except the schema) in <paramref name="directory"/>, sorted by name.</summary>
    /// <exception cref="BoardValidationException">A file is invalid (the first invalid file, with all its problems).</exception>
    public static IReadOnlyList<BoardDescription> LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException("Board folder not found: " + directory);
        var boards = Directory.GetFiles(directory, "*.json")
            .Where(f => !string.Equals(Path.GetFileName(f), SchemaFileName, StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(Load)
            .ToList();
        return boards;
    }

    /// <summary>Loads one board by name (boards/&lt;name&gt;.json).</summary>
    public static BoardDescription LoadByName(string directory, string name)
    {
        string path = Path.Combine(directory, name + ".json");
        if (!File.Exists(path))
        {
            string known = Directory.Exists(directory)
                ? string.Join(", ", Directory.GetFiles(directory, "*.json").Select(Path.GetFileNameWithoutExtension).Where(n => n + ".json" != SchemaFileName).Order(StringComparer.Ordinal))
                : "(folder missing)";
            throw new UnknownBoardException("No board named '" + name + "' in " + directory + ". Known boards: " + known, path);
        }

        return Load(path);
    }

    /// <summary>Reads and validates one board file.</summary>
    /// <exception cref="BoardValidationException">The file is not JSON or breaks a rule; the message lists every problem.</exception>
    public static BoardDescription Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new BoardValidationException(path, [e.Message]);
        }

        return Parse(text, path);
    }

    /// <summary>Validates board JSON; <paramref name="path"/> names it in messages and gives the expected board name.</summary>
    /// <exception cref="BoardValidationException">The text is not JSON or breaks a rule.</exception>
    public static BoardDescription Parse(string json, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new BoardValidationException(path, ["not valid JSON: " + e.Message]);
        }

        using (document)
        {
            var reader = new Reader();
            BoardDescription? board = reader.ReadBoard(document.RootElement, path);
            if (reader.Problems.Count > 0 || board is null) throw new BoardValidationException(path, reader.Problems);
            return board;
        }
    }

    /// <summary>
    /// The boards folder of the repository: walks up from <paramref name="start"/> to the folder
    /// holding Micro.sln and returns its <c>boards</c> subfolder.
    /// </summary>
    public static string FindBoardsDirectory(string start)
    {
        for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Micro.sln"))) return Path.Combine(dir.FullName, "boards");
        }

        throw new DirectoryNotFoundException("No Micro.sln above " + start + ", so no boards folder.");
    }

    private sealed class Reader
    {
        public List<string> Problems { get; } = [];

        public BoardDescription? ReadBoard(JsonElement root, string path)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                Problems.Add("(root): must be a JSON object, got " + Describe(root));
                return null;
            }

            CheckShape(root, "");
            string? name = String(root, "", "name", NamePattern);
            string expectedName = Path.GetFileNameWithoutExtension(path);
            if (name != null && name != expectedName)
                Problems.Add("name: '" + name + "' must match the file name '" + expectedName + "'");

            string? codeName = String(root, "", "code_name", CodeNamePattern);
            string? description = String(root, "", "description", null);
            string? runtimeText = String(root, "", "runtime", null);
            BoardRuntime? runtime = null;
            if (runtimeText != null)
            {
                if (runtimeText == "nanoFramework") runtime = BoardRuntime.NanoFramework;
                else if (runtimeText == "Meadow") runtime = BoardRuntime.Meadow;
                else Problems.Add("runtime: must be one of " + string.Join(", ", Runtimes) + ", got '" + runtimeText + "'");
            }

            string? mcu = String(root, "", "mcu", null);
            long? clock = Integer(root, "", "clock_mhz");
            long? flash = Integer(root, "", "flash_bytes");
            long? ram = Integer(root, "", "ram_bytes");
            long? psram = Integer(root, "", "psram_bytes");
            long? heap = Integer(root, "", "managed_heap_bytes");
            string? notes = OptionalString(root, "", "notes");

            ModelBudget? budget = null;
            if (Object(root, "model_budget") is JsonElement b)
            {
                long? blob = Integer(b, "model_budget", "blob_bytes");
                long? arena = Integer(b, "model_budget", "arena_bytes");
                if (blob is long bl && arena is long ar) budget = new ModelBudget(bl, ar);
            }

            AlertPort? alerts = null;
            if (Object(root, "alerts") is JsonElement a)
            {
                string? port = String(a, "alerts", "serial_port", SerialPortPattern);
                long? baud = Integer(a, "alerts", "baud", 1, int.MaxValue);
                if (baud is long bd && !BaudRates.Contains((int)bd))
                    Problems.Add("alerts.baud: must be one of " + string.Join(", ", BaudRates) + ", got " + bd);
                BoardPin? tx = Pin(a, "alerts", "tx_pin", runtime);
                BoardPin? rx = Pin(a, "alerts", "rx_pin", runtime);
                if (port != null && runtime == BoardRuntime.NanoFramework && port == "COM1")
                    Problems.Add("alerts.serial_port: COM1 carries the nanoFramework debugger (wire protocol); use another UART such as COM2");
                if (port != null && baud is long b2 && tx is BoardPin t && rx is BoardPin r) alerts = new AlertPort(port, (int)b2, t, r);
            }

            SensorConnection? sensor = null;
            if (Object(root, "sensor") is JsonElement s)
            {
                string? part = String(s, "sensor", "part", null);
                if (part != null && part != SensorPart) Problems.Add("sensor.part: must be '" + SensorPart + "', got '" + part + "'");
                long? bus = Integer(s, "sensor", "i2c_bus");
                long? address = Integer(s, "sensor", "i2c_address", 0, 127); // any 7-bit I2C address, then the schema's constant
                if (address is long ad && ad != SensorI2cAddress)
                    Problems.Add("sensor.i2c_address: the MAX30102 answers at 87 (0x57), got " + ad);
                BoardPin? sda = Pin(s, "sensor", "sda_pin", runtime);
                BoardPin? scl = Pin(s, "sensor", "scl_pin", runtime);
                BoardPin? interrupt = Pin(s, "sensor", "int_pin", runtime);
                long? contact = Integer(s, "sensor", "contact_min_ir");
                if (part != null && bus is long bu && address is long a2 && sda is BoardPin d && scl is BoardPin c && contact is long ct)
                    sensor = new SensorConnection(part, (int)bu, (int)a2, d, c, interrupt, (int)ct);
            }

            BoardPin? buzzer = Pin(root, "", "buzzer_pin", runtime);
            BoardPin? led = Pin(root, "", "led_pin", runtime);

            DeployInfo? deploy = null;
            if (Object(root, "deploy") is JsonElement d2)
            {
                string? tool = String(d2, "deploy", "tool", null);
                if (tool != null && !DeployTools.Contains(tool))
                    Problems.Add("deploy.tool: must be one of " + string.Join(", ", DeployTools) + ", got '" + tool + "'");
                string? target = OptionalString(d2, "deploy", "nanoff_target", NanoffTargetPattern);
                string? modelFile = OptionalString(d2, "deploy", "model_file", ModelFilePattern);
                string? deployNotes = String(d2, "deploy", "notes", null);
                if (runtime == BoardRuntime.NanoFramework)
                {
                    if (tool != null && tool != "nanoff") Problems.Add("deploy.tool: nanoFramework boards deploy with nanoff, got '" + tool + "'");
                    if (target == null && !d2.TryGetProperty("nanoff_target", out _)) Problems.Add("deploy.nanoff_target: required for a nanoFramework board (a nanoff --target name)");
                }
                else if (runtime == BoardRuntime.Meadow)
                {
                    if (tool != null && tool != "meadow") Problems.Add("deploy.tool: Meadow boards deploy with the meadow CLI, got '" + tool + "'");
                    if (d2.TryGetProperty("nanoff_target", out _)) Problems.Add("deploy.nanoff_target: not allowed on a Meadow board");
                    if (d2.TryGetProperty("model_file", out _)) Problems.Add("deploy.model_file: not allowed on a Meadow board (the meadow CLI writes /meadow0/Data)");
                }

                if (tool != null && deployNotes != null) deploy = new DeployInfo(tool, target, modelFile, deployNotes);
            }

            if (budget != null && heap is long h && budget.TotalBytes > h)
                Problems.Add("model_budget: blob_bytes + arena_bytes = " + budget.TotalBytes + " exceeds managed_heap_bytes " + h + " (the blob is loaded into the managed heap too)");
            if (budget != null && flash is long f && budget.BlobBytes > f)
                Problems.Add("model_budget.blob_bytes: " + budget.BlobBytes + " exceeds flash_bytes " + f);
            if (heap is long h2 && ram is long rm && psram is long ps && h2 > rm + ps)
                Problems.Add("managed_heap_bytes: " + h2 + " exceeds ram_bytes + psram_bytes = " + (rm + ps));

            CheckDistinctPins(alerts, sensor, buzzer, led);

            if (Problems.Count > 0) return null;
            return new BoardDescription(name!, description!, runtime!.Value, mcu!, (int)clock!.Value, flash!.Value, ram!.Value, psram!.Value,
                heap!.Value, budget!, alerts!, sensor!, buzzer!.Value, led!.Value, deploy!, notes, path)
            { CodeName = codeName! };
        }

        private void CheckDistinctPins(AlertPort? alerts, SensorConnection? sensor, BoardPin? buzzer, BoardPin? led)
        {
            var uses = new List<(string Field, BoardPin Pin)>();
            if (alerts != null)
            {
                uses.Add(("alerts.tx_pin", alerts.TxPin));
                uses.Add(("alerts.rx_pin", alerts.RxPin));
            }

            if (sensor != null)
            {
                uses.Add(("sensor.sda_pin", sensor.SdaPin));
                uses.Add(("sensor.scl_pin", sensor.SclPin));
                if (sensor.IntPin is BoardPin i) uses.Add(("sensor.int_pin", i));
            }

            if (buzzer is BoardPin bz) uses.Add(("buzzer_pin", bz));
            if (led is BoardPin l) uses.Add(("led_pin", l));

            foreach (var group in uses.GroupBy(u => u.Pin).Where(g => g.Count() > 1))
                Problems.Add(string.Join(", ", group.Select(g => g.Field)) + ": the same pin " + group.Key + " is used more than once");
        }

        private void CheckShape(JsonElement element, string objectPath)
        {
            var (allowed, required) = Shape[objectPath];
            foreach (JsonProperty property in element.EnumerateObject())
            {
                if (!allowed.Contains(property.Name))
                    Problems.Add(Join(objectPath, property.Name) + ": unknown property (allowed: " + string.Join(", ", allowed.Where(n => n != "$schema")) + ")");
            }

            foreach (string name in required)
            {
                if (!element.TryGetProperty(name, out _)) Problems.Add(Join(objectPath, name) + ": required property is missing");
            }
        }

        private JsonElement? Object(JsonElement parent, string name)
        {
            if (!parent.TryGetProperty(name, out JsonElement value)) return null; // reported by CheckShape
            if (value.ValueKind != JsonValueKind.Object)
            {
                Problems.Add(name + ": must be an object, got " + Describe(value));
                return null;
            }

            CheckShape(value, name);
            return value;
        }

        private string? String(JsonElement parent, string objectPath, string name, Regex? pattern)
        {
            if (!parent.TryGetProperty(name, out JsonElement value)) return null; // reported by CheckShape
            return StringValue(value, Join(objectPath, name), pattern);
        }

        private string? OptionalString(JsonElement parent, string objectPath, string name, Regex? pattern = null)
        {
            return parent.TryGetProperty(name, out JsonElement value) ? StringValue(value, Join(objectPath, name), pattern) : null;
        }

        private string? StringValue(JsonElement value, string field, Regex? pattern)
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                Problems.Add(field + ": must be a string, got " + Describe(value));
                return null;
            }

            string text = value.GetString()!;
            if (text.Length == 0)
            {
                Problems.Add(field + ": must not be empty");
                return null;
            }

            if (pattern != null && !pattern.IsMatch(text))
            {
                Problems.Add(field + ": '" + text + "' does not match " + pattern);
                return null;
            }

            return text;
        }

        /// <summary>An integer within the schema's minimum and maximum for the field.</summary>
        private long? Integer(JsonElement parent, string objectPath, string name)
        {
            var (min, max) = Schema.Range(Join(objectPath, name));
            return Integer(parent, objectPath, name, min, max);
        }

        private long? Integer(JsonElement parent, string objectPath, string name, long min, long max)
        {
            if (!parent.TryGetProperty(name, out JsonElement value)) return null;
            string field = Join(objectPath, name);
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long number))
            {
                Problems.Add(field + ": must be an integer, got " + Describe(value));
                return null;
            }

            if (number < min || number > max)
            {
                Problems.Add(field + ": " + number + " is outside " + min + ".." + (max == long.MaxValue ? "" : max.ToString(CultureInfo.InvariantCulture)));
                return null;
            }

            return number;
        }

        private BoardPin? Pin(JsonElement parent, string objectPath, string name, BoardRuntime? runtime)
        {
            if (!parent.TryGetProperty(name, out JsonElement value)) return null; // a missing required pin is reported by CheckShape
            string field = Join(objectPath, name);
            BoardPin? pin = null;
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) && number >= PinRange.Min && number <= PinRange.Max)
                pin = BoardPin.Gpio(number);
            else if (value.ValueKind == JsonValueKind.String && PinNamePattern.IsMatch(value.GetString()!))
                pin = BoardPin.Named(value.GetString()!);

            if (pin is null)
            {
                Problems.Add(field + ": must be a GPIO number " + PinRange.Min + ".." + PinRange.Max + " or a pin name like D07, got " + Describe(value));
                return null;
            }

            if (runtime == BoardRuntime.NanoFramework && pin.Value.Number is null)
            {
                Problems.Add(field + ": nanoFramework pins are integers (ESP32 GPIO number, STM32 (port - 'A') * 16 + pin), got '" + pin.Value.Name + "'");
                return null;
            }

            if (runtime == BoardRuntime.Meadow && pin.Value.Name is null)
            {
                Problems.Add(field + ": Meadow pins are names such as D07, got " + pin.Value.Number);
                return null;
            }

            return pin;
        }

        private static string Join(string objectPath, string name) => objectPath.Length == 0 ? name : objectPath + "." + name;

        private static string Describe(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => "'" + value.GetString() + "'",
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.Null => "null",
            _ => value.GetRawText(),
        };
    }
}
