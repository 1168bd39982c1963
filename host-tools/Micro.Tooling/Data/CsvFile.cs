using System.Globalization;
using System.Text;

namespace Micro.Tooling.Data;

/// <summary>CSV sample files: one sample per row, comma-separated numbers (invariant culture). A first row
/// that is not numeric is taken as a header and skipped; blank lines are skipped.</summary>
public static class CsvFile
{
    /// <summary>Reads every row; each must hold <paramref name="valuesPerRow"/> numbers (any count when 0).</summary>
    public static float[][] Read(string path, int valuesPerRow = 0, string? expectedShape = null)
    {
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (IOException e) { throw new DataFormatException($"cannot read '{path}': {e.Message}", e); }
        return Parse(lines, Path.GetFileName(path), valuesPerRow, expectedShape);
    }

    public static float[][] Parse(IReadOnlyList<string> lines, string what, int valuesPerRow = 0, string? expectedShape = null)
    {
        var rows = new List<float[]>();
        bool first = true;
        for (int ln = 0; ln < lines.Count; ln++)
        {
            string line = lines[ln].Trim();
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            var row = new float[cells.Length];
            int bad = -1;
            for (int c = 0; c < cells.Length; c++)
                if (!float.TryParse(cells[c].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out row[c])) { bad = c; break; }
            if (bad >= 0)
            {
                if (first) { first = false; continue; } // header
                throw new DataFormatException($"{what} line {ln + 1}, column {bad + 1}: '{cells[bad].Trim()}' is not a number");
            }
            first = false;
            if (valuesPerRow > 0 && row.Length != valuesPerRow)
                throw new DataFormatException(
                    $"{what} line {ln + 1} has {row.Length} values; expected {valuesPerRow}" +
                    (expectedShape != null ? $" (one sample of shape {expectedShape} per row)" : ""));
            rows.Add(row);
        }
        if (rows.Count == 0) throw new DataFormatException($"{what} has no data rows");
        return rows.ToArray();
    }

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
