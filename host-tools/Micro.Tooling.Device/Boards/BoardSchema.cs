using System.Text.Json;
using System.Text.RegularExpressions;

namespace Micro.Tooling.Boards;

/// <summary>
/// boards/board.schema.json, read once (it is embedded in this assembly): the properties each object allows
/// and requires, the enums, constants, patterns and integer ranges that <see cref="BoardCatalog"/> checks.
/// The schema is the one definition; the loader adds only the cross-field rules the schema states in words.
/// </summary>
public sealed class BoardSchema
{
    public static BoardSchema Instance { get; } = Load();

    private readonly JsonElement root;

    private BoardSchema(JsonElement root) => this.root = root;

    private static BoardSchema Load()
    {
        using var stream = typeof(BoardSchema).Assembly.GetManifestResourceStream(BoardCatalog.SchemaFileName)
            ?? throw new InvalidOperationException(BoardCatalog.SchemaFileName + " is not embedded in " + typeof(BoardSchema).Assembly.GetName().Name);
        using var document = JsonDocument.Parse(stream);
        return new BoardSchema(document.RootElement.Clone());
    }

    /// <summary>Allowed and required properties per object ("" is the top level), in the schema's order.</summary>
    public IReadOnlyDictionary<string, (string[] Allowed, string[] Required)> Shape =>
        new[] { "" }.Concat(Properties(root).Where(p => p.Value.TryGetProperty("properties", out _)).Select(p => p.Name))
            .ToDictionary(path => path, path =>
            {
                JsonElement node = Node(path);
                return (Properties(node).Select(p => p.Name).ToArray(), node.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).ToArray());
            });

    /// <summary>The "enum" of a property ("runtime", "alerts.baud", "deploy.tool").</summary>
    public JsonElement[] Enum(string field) => Property(field).GetProperty("enum").EnumerateArray().ToArray();

    /// <summary>The "const" of a property ("sensor.part", "sensor.i2c_address").</summary>
    public JsonElement Const(string field) => Property(field).GetProperty("const");

    /// <summary>The "pattern" of a string property, or of the string form of a pin ("pin").</summary>
    public Regex Pattern(string field) => new(field == "pin"
        ? root.GetProperty("$defs").GetProperty("pin").GetProperty("oneOf").EnumerateArray().First(o => o.GetProperty("type").GetString() == "string").GetProperty("pattern").GetString()!
        : Property(field).GetProperty("pattern").GetString()!);

    /// <summary>The "minimum" and "maximum" of an integer property (long.MaxValue when unbounded); "pin" gives the GPIO range.</summary>
    public (long Min, long Max) Range(string field)
    {
        JsonElement p = field == "pin"
            ? root.GetProperty("$defs").GetProperty("pin").GetProperty("oneOf").EnumerateArray().First(o => o.GetProperty("type").GetString() == "integer")
            : Property(field);
        return (p.TryGetProperty("minimum", out var min) ? min.GetInt64() : long.MinValue, p.TryGetProperty("maximum", out var max) ? max.GetInt64() : long.MaxValue);
    }

    private JsonElement Node(string objectPath) => objectPath.Length == 0 ? root : root.GetProperty("properties").GetProperty(objectPath);

    private JsonElement Property(string field)
    {
        int dot = field.IndexOf('.');
        return dot < 0 ? Node("").GetProperty("properties").GetProperty(field) : Node(field[..dot]).GetProperty("properties").GetProperty(field[(dot + 1)..]);
    }

    private static IEnumerable<JsonProperty> Properties(JsonElement node) => node.GetProperty("properties").EnumerateObject();
}
