using System.Globalization;

namespace Micro.Tooling.Recordings;

/// <summary>
/// Line-by-line reader for the data sets' plain CSV files: a header row, comma-separated fields, double
/// quotes only around text fields. Every error names the file, the line and the column.
/// </summary>
internal sealed class CsvReader : IDisposable
{
    /// <summary>Longest line read (64 Ki characters): a recording row is a few numbers; a longer line is refused, not kept.</summary>
    public const int MaxLineLength = 64 * 1024;

    private readonly Micro.Tooling.Data.BoundedLineReader reader;
    private readonly List<string> fields = new();
    private readonly string[] header;

    public CsvReader(string path)
    {
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        File = path;
        reader = Micro.Tooling.Data.BoundedLineReader.Open(path, MaxLineLength, "one recording row");
        string? first = reader.ReadLine();
        if (first == null) throw new CsvFormatException(path, 1, "empty file (expected a header row)");
        LineNumber = 1;
        Split(first);
        header = fields.ToArray();
    }

    public string File { get; }

    public int LineNumber { get; private set; }

    public IReadOnlyList<string> Header => header;

    /// <summary>Fields of the current row (valid after ReadRow returned true).</summary>
    public IReadOnlyList<string> Fields => fields;

    /// <summary>Checks that the header starts with the given column names.</summary>
    public void RequireHeader(params string[] names)
    {
        for (int i = 0; i < names.Length; i++)
        {
            if (i >= header.Length || !string.Equals(header[i].Trim(), names[i], StringComparison.Ordinal))
                throw Error($"header column {i + 1} should be '{names[i]}' but is '{(i < header.Length ? header[i] : "<missing>")}' (expected header: {string.Join(",", names)}...)");
        }
    }

    public int ColumnIndex(string name)
    {
        int i = Array.IndexOf(header, name);
        if (i < 0) throw Error($"header has no column '{name}'");
        return i;
    }

    /// <summary>Reads the next non-empty row; false at the end of the file.</summary>
    public bool ReadRow(int expectedFields)
    {
        while (true)
        {
            string? line = reader.ReadLine();
            if (line == null) return false;
            LineNumber++;
            if (line.Length == 0) continue;
            Split(line);
            if (expectedFields > 0 && fields.Count != expectedFields)
                throw Error($"expected {expectedFields} fields, found {fields.Count} (cut or malformed row)");
            return true;
        }
    }

    public double Double(int column)
    {
        string s = fields[column];
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || double.IsInfinity(v))
            throw Error($"column {column + 1} ('{HeaderName(column)}'): '{Shorten(s)}' is not a number");
        return v;
    }

    /// <summary>A number, or NaN for an empty field or 'nan'.</summary>
    public double DoubleOrNaN(int column)
    {
        string s = fields[column];
        if (s.Length == 0 || s.Equals("nan", StringComparison.OrdinalIgnoreCase)) return double.NaN;
        return Double(column);
    }

    public int Int(int column)
    {
        string s = fields[column];
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
            throw Error($"column {column + 1} ('{HeaderName(column)}'): '{Shorten(s)}' is not an integer");
        return v;
    }

    public string Text(int column) => fields[column];

    public CsvFormatException Error(string message) => new(File, LineNumber, message);

    public void Dispose() => reader.Dispose();

    private string HeaderName(int column) => column < header.Length ? header[column] : "?";

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "..." : s;

    private void Split(string line)
    {
        fields.Clear();
        int i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == '"')
            {
                var sb = new System.Text.StringBuilder();
                i++;
                while (true)
                {
                    if (i >= line.Length) throw Error("unterminated quoted field");
                    char c = line[i++];
                    if (c == '"')
                    {
                        if (i < line.Length && line[i] == '"') { sb.Append('"'); i++; }
                        else break;
                    }
                    else sb.Append(c);
                }
                fields.Add(sb.ToString());
                if (i < line.Length && line[i] != ',') throw Error("text after a closing quote");
            }
            else
            {
                int comma = line.IndexOf(',', i);
                int end = comma < 0 ? line.Length : comma;
                fields.Add(line.Substring(i, end - i).TrimEnd('\r'));
                i = end;
            }
            if (i >= line.Length) break;
            i++; // skip the comma
            if (i == line.Length) { fields.Add(""); break; }
        }
    }
}
