using System.Globalization;

namespace Micro.Drivers.Tests;

/// <summary>
/// A real PPG snippet for the chip model: record a103l of the PhysioNet/CinC Challenge 2015
/// training set (ODC-By 1.0; Clifford et al., CinC 2015), PLETH channel at 125 Hz, read from the
/// shared data folder (never copied into the repository). Scaled linearly to 18-bit ADC counts
/// the way a MAX30102 would see a finger: a large DC level with the pulse on top, IR stronger
/// than red.
/// </summary>
public static class PpgWaveform
{
    public const string Record = "a103l";

    private static readonly Lazy<(int[] Red, int[] Ir)> Loaded = new(Load);

    public static int[] Red => Loaded.Value.Red;

    public static int[] Ir => Loaded.Value.Ir;

    /// <summary>
    /// The folder holding the shared data: MICRO_SHARED_DATA if set, else the first
    /// <c>shared/data</c> next to the repository root (the folder with Micro.sln) or one of its parents.
    /// </summary>
    public static string SharedDataDirectory()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("MICRO_SHARED_DATA");
        if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Micro.sln"))) dir = dir.Parent;
        if (dir == null) throw new InvalidOperationException("Micro.sln not found above " + AppContext.BaseDirectory);

        for (var up = dir.Parent; up != null; up = up.Parent)
        {
            string candidate = Path.Combine(up.FullName, "shared", "data");
            if (Directory.Exists(Path.Combine(candidate, "cinc2015_false_alarm"))) return candidate;
        }

        throw new InvalidOperationException(
            "shared/data/cinc2015_false_alarm not found beside the repository " + dir.FullName +
            " or above it; set MICRO_SHARED_DATA to the data folder.");
    }

    private static (int[] Red, int[] Ir) Load()
    {
        string path = Path.Combine(SharedDataDirectory(), "cinc2015_false_alarm", Record + ".csv");
        var values = new List<double>();
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            string[] cells = line.Split(',');
            if (cells.Length >= 2 && double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && !double.IsNaN(v))
                values.Add(v);
        }

        if (values.Count < 1000) throw new InvalidDataException(path + " has only " + values.Count + " PPG values");
        double min = values.Min(), max = values.Max();
        var red = new int[values.Count];
        var ir = new int[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            double unit = (values[i] - min) / (max - min);
            red[i] = 90_000 + (int)Math.Round(unit * 40_000);
            ir[i] = 150_000 + (int)Math.Round(unit * 100_000);
        }

        return (red, ir);
    }
}
