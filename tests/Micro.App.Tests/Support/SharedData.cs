using System.Globalization;

namespace Micro.App.Tests.Support;

/// <summary>
/// Real PPG from the PhysioNet/CinC Challenge 2015 training set (ODC-By 1.0; Clifford et al., "The
/// PhysioNet/Computing in Cardiology Challenge 2015", CinC 2015): the shared data folder beside the
/// repository, found by walking up to Micro.sln and then into ../shared/data (or MICRO_SHARED_DATA).
/// Nothing is copied into the repository.
/// </summary>
public static class SharedData
{
    public const int CincRateHz = 125;

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Micro.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("Micro.sln not found above " + AppContext.BaseDirectory);
    }

    public static string DataDirectory()
    {
        string env = Environment.GetEnvironmentVariable("MICRO_SHARED_DATA");
        if (!string.IsNullOrEmpty(env)) return env;
        for (var up = new DirectoryInfo(RepoRoot()).Parent; up != null; up = up.Parent)
        {
            string candidate = Path.Combine(up.FullName, "shared", "data");
            if (Directory.Exists(Path.Combine(candidate, "cinc2015_false_alarm"))) return candidate;
        }
        throw new DirectoryNotFoundException("shared/data/cinc2015_false_alarm not found beside " + RepoRoot() + "; set MICRO_SHARED_DATA");
    }

    /// <summary>The PLETH column of a CinC 2015 record (125 Hz, raw units); NaN gaps hold the last value.</summary>
    public static double[] CincPpg(string record)
    {
        string path = Path.Combine(DataDirectory(), "cinc2015_false_alarm", record + ".csv");
        var values = new List<double>();
        double last = double.NaN;
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            string[] cells = line.Split(',');
            if (cells.Length < 2) continue;
            if (double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && !double.IsNaN(v)) last = v;
            if (!double.IsNaN(last)) values.Add(last);
        }
        if (values.Count < 10 * CincRateHz) throw new InvalidDataException(path + " has only " + values.Count + " PPG values");
        return values.ToArray();
    }

    /// <summary>
    /// The PPG as a MAX30102 IR channel would see a finger: resampled linearly to the chip's conversion
    /// rate, scaled to 18-bit counts with a DC level and the pulse on top, inverted (more blood absorbs more
    /// light, so the count falls with each pulse). Red is a weaker copy.
    /// </summary>
    public static (int[] Red, int[] Ir) AsMax30102(double[] ppg, int conversionRateHz)
    {
        double min = ppg.Min(), max = ppg.Max();
        int n = (int)((long)(ppg.Length - 1) * conversionRateHz / CincRateHz);
        var red = new int[n];
        var ir = new int[n];
        for (int i = 0; i < n; i++)
        {
            double t = (double)i * CincRateHz / conversionRateHz;
            int k = (int)t;
            double f = t - k;
            double v = ppg[k] + (ppg[Math.Min(k + 1, ppg.Length - 1)] - ppg[k]) * f;
            double unit = max > min ? (v - min) / (max - min) : 0.5;
            ir[i] = 200_000 - (int)Math.Round(unit * 20_000);
            red[i] = 120_000 - (int)Math.Round(unit * 8_000);
        }
        return (red, ir);
    }
}
