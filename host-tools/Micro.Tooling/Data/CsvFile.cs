using System.Globalization;
using System.Text;

namespace Micro.Tooling.Data;

/// <summary>CSV sample files: one sample per row, comma-separated numbers (invariant culture). A first row
/// that is not numeric is taken as a header and skipped; blank lines are skipped. Read line by line, each line at
/// most <see cref="MaxLineLength"/> characters, so memory follows the numbers kept, not the longest line.</summary>
public static class CsvFile
{
    /// <summary>Longest row read: 4 Mi characters, over 250,000 values of 16 characters (a 96×96×3 image is 27,648).</summary>
    public const int MaxLineLength = 4 * 1024 * 1024;

    /// <summary>Reads every row; each must hold <paramref name="valuesPerRow"/> numbers (any count when 0).</summary>
    public static float[][] Read(string path, int valuesPerRow = 0, string? expectedShape = null)
    {
        BoundedLineReader reader;
        try { reader = BoundedLineReader.Open(path, MaxLineLength, "one sample row"); }
        catch (IOException e) { throw new DataFormatException($"cannot read '{path}': {e.Message}", e); }
        using (reader) return Parse(reader.ReadLine, Path.GetFileName(path), valuesPerRow, expectedShape);
    }

    public static float[][] Parse(IReadOnlyList<string> lines, string what, int valuesPerRow = 0, string? expectedShape = null)
    {
        int next = 0;
        return Parse(() => next < lines.Count ? lines[next++] : null, what, valuesPerRow, expectedShape);
    }

    private static float[][] Parse(Func<string?> readLine, string what, int valuesPerRow, string? expectedShape)
    {
        var rows = new List<float[]>();
        bool first = true;
        int ln = 0;
        for (string? raw = readLine(); raw != null; raw = readLine())
        {
            ln++;
            var line = raw.AsSpan().Trim();
            if (line.Length == 0) continue;
            int cells = line.Count(',') + 1;
            var row = new float[cells];
            int c = 0, bad = -1;
            foreach (var range in line.Split(','))
            {
                var cell = line[range].Trim();
                if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out row[c])) { bad = c; break; }
                c++;
            }
            if (bad >= 0)
            {
                if (first) { first = false; continue; } // header
                var cell = CellText(line, bad);
                throw new DataFormatException($"{what} line {ln}, column {bad + 1}: '{(cell.Length > 40 ? cell[..40] + "…" : cell)}' is not a number");
            }
            first = false;
            if (valuesPerRow > 0 && row.Length != valuesPerRow)
                throw WrongCount(what, ln, row.Length, valuesPerRow, expectedShape);
            rows.Add(row);
        }
        if (rows.Count == 0) throw new DataFormatException($"{what} has no data rows");
        return rows.ToArray();
    }

    private static string CellText(ReadOnlySpan<char> line, int index)
    {
        int c = 0;
        foreach (var range in line.Split(','))
            if (c++ == index) return line[range].Trim().ToString();
        return "";
    }

    private static DataFormatException WrongCount(string what, int ln, int count, int valuesPerRow, string? expectedShape) => new(
        $"{what} line {ln} has {count} values; expected {valuesPerRow}" +
        (expectedShape != null ? $" (one sample of shape {expectedShape} per row)" : ""));

    /// <summary>Writes one row per sample (round-trip float formatting) through a temporary file.</summary>
    public static void Write(string path, IEnumerable<float[]> rows, string? header = null)
    {
        var sb = new StringBuilder();
        if (header != null) sb.Append(header).Append('\n');
        foreach (var r in rows)
        {
            for (int i = 0; i < r.Length; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append(r[i].ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
        Micro.Tooling.AtomicFile.WriteAllText(path, sb.ToString());
    }
}
