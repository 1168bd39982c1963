namespace Micro.Tooling.Recordings;

/// <summary>ECG-derived reference heart rate for one 8 s window (windows every 2 s).</summary>
public readonly record struct HrReferenceWindow(double StartSeconds, double EndSeconds, double Bpm);

/// <summary>One TROIKA wrist recording with its reference heart rate.</summary>
public sealed record TroikaRecording(string RecordId, string Split, Recording Recording, IReadOnlyList<HrReferenceWindow> Reference);

/// <summary>
/// Reader for troika_spc2015/: labels.csv (record_id,split,...), per record t_s,ppg,acc_x,acc_y,acc_z,hr_ref
/// at 62.5 Hz (acceleration in g) and &lt;record&gt;_hr_ref.csv (win_start_s,win_end_s,hr_bpm).
/// </summary>
public static class TroikaDataset
{
    public const double SampleRateHz = 62.5;

    /// <summary>PPG comes in quarter units around 0 (±~200); ×100 keeps every step.</summary>
    public const double PpgScale = 100.0;

    /// <summary>The wrist PPG falls with each pulse (raw intensity; the derivative is skewed negative at rest).</summary>
    public const int Polarity = -1;

    public static IReadOnlyList<string> ReadRecordIds(string folder)
    {
        using var csv = new CsvReader(Path.Combine(folder, "labels.csv"));
        csv.RequireHeader("record_id", "split");
        var ids = new List<string>();
        while (csv.ReadRow(csv.Header.Count)) ids.Add(csv.Text(0));
        return ids;
    }

    public static IReadOnlyList<TroikaRecording> ReadAll(string folder)
    {
        var list = new List<TroikaRecording>();
        foreach (string id in ReadRecordIds(folder)) list.Add(Read(folder, id));
        return list;
    }

    public static TroikaRecording Read(string folder, string recordId)
    {
        string split = recordId.StartsWith("TEST", StringComparison.Ordinal) ? "test" : "train";
        var recording = ReadSignals(Path.Combine(folder, recordId + ".csv"), recordId);
        var reference = ReadReference(Path.Combine(folder, recordId + "_hr_ref.csv"));
        return new TroikaRecording(recordId, split, recording, reference);
    }

    public static Recording ReadSignals(string path, string name)
    {
        using var csv = new CsvReader(path);
        csv.RequireHeader("t_s", "ppg", "acc_x", "acc_y", "acc_z", "hr_ref");
        var ppg = new List<double>(20000);
        var ax = new List<double>(20000);
        var ay = new List<double>(20000);
        var az = new List<double>(20000);
        double firstT = 0, lastT = 0;
        while (csv.ReadRow(6))
        {
            double t = csv.Double(0);
            if (ppg.Count == 0) firstT = t;
            else if (t <= lastT) throw csv.Error($"time {t} does not increase (previous {lastT})");
            lastT = t;
            ppg.Add(csv.Double(1));
            ax.Add(csv.Double(2));
            ay.Add(csv.Double(3));
            az.Add(csv.Double(4));
        }
        if (ppg.Count < 2) throw new CsvFormatException(path, csv.LineNumber, "fewer than 2 samples");
        CincDataset.CheckRate(path, csv.LineNumber, firstT, lastT, ppg.Count, SampleRateHz);
        return new Recording(name, SampleRateHz, ppg.ToArray(), PpgScale, ax.ToArray(), ay.ToArray(), az.ToArray(), Polarity);
    }

    public static IReadOnlyList<HrReferenceWindow> ReadReference(string path)
    {
        using var csv = new CsvReader(path);
        csv.RequireHeader("win_start_s", "win_end_s", "hr_bpm");
        var list = new List<HrReferenceWindow>();
        while (csv.ReadRow(3))
        {
            double start = csv.Double(0), end = csv.Double(1), bpm = csv.Double(2);
            if (end <= start) throw csv.Error($"window end {end} is not after start {start}");
            if (bpm <= 0 || bpm > 300) throw csv.Error($"hr_bpm {bpm} out of range (0, 300]");
            list.Add(new HrReferenceWindow(start, end, bpm));
        }
        if (list.Count == 0) throw new CsvFormatException(path, csv.LineNumber, "no reference windows");
        return list;
    }
}
