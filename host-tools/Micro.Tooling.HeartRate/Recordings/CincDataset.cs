namespace Micro.Tooling.Recordings;

/// <summary>Alarm types of the PhysioNet/CinC 2015 challenge.</summary>
public enum CincAlarmType
{
    Asystole,
    Bradycardia,
    Tachycardia,
    VentricularTachycardia,
    VentricularFlutterFib,
}

/// <summary>One CinC 2015 alarm record that has a PPG channel (the 16 s before the alarm).</summary>
public sealed record CincAlarm(string RecordId, string CsvFile, CincAlarmType AlarmType, bool TrueAlarm);

/// <summary>
/// Reader for cinc2015_false_alarm/: labels.csv (record_id,csv_file,alarm_type,true_alarm,has_ppg,...)
/// and one t_s,ppg,ecg file per record at 125 Hz. Records without PPG are skipped.
/// </summary>
public static class CincDataset
{
    /// <summary>Integer scale for PLETH (raw monitor units, typically 0..1 with a few records up to ~5).</summary>
    public const double PpgScale = 10000.0;

    public const double SampleRateHz = 125.0;

    /// <summary>The monitors' PLETH noise floor: swings within 0.001 units (10 counts) are a flat line.</summary>
    public const int FlatToleranceCounts = 10;

    /// <summary>Pulses in PLETH units are 0.04..1+ peak to peak; swings under 0.02 (200 counts) are noise
    /// (quantization dither, a probe without pulse).</summary>
    public const int MinPulseCounts = 200;

    public static IReadOnlyList<CincAlarm> ReadLabels(string folder)
    {
        string path = Path.Combine(folder, "labels.csv");
        using var csv = new CsvReader(path);
        csv.RequireHeader("record_id", "csv_file", "alarm_type", "true_alarm", "has_ppg");
        int width = csv.Header.Count;
        var list = new List<CincAlarm>();
        while (csv.ReadRow(width))
        {
            if (csv.Int(4) != 1) continue;
            string file = csv.Text(1);
            if (file.Length == 0) throw csv.Error("has_ppg is 1 but csv_file is empty");
            int truth = csv.Int(3);
            if (truth != 0 && truth != 1) throw csv.Error($"true_alarm must be 0 or 1, found {truth}");
            list.Add(new CincAlarm(csv.Text(0), file, ParseType(csv, csv.Text(2)), truth == 1));
        }
        return list;
    }

    public static Recording ReadRecording(string folder, CincAlarm alarm) =>
        ReadRecording(Path.Combine(folder, alarm.CsvFile), alarm.RecordId);

    /// <summary>Reads one t_s,ppg,ecg file; the rate is checked against the time column.</summary>
    public static Recording ReadRecording(string path, string name)
    {
        using var csv = new CsvReader(path);
        csv.RequireHeader("t_s", "ppg", "ecg");
        var ppg = new List<double>(2048);
        double firstT = 0, lastT = 0;
        while (csv.ReadRow(3))
        {
            double t = csv.Double(0);
            double p = csv.Double(1);
            if (double.IsNaN(p)) throw csv.Error("ppg is NaN");
            if (ppg.Count == 0) firstT = t;
            else if (t <= lastT) throw csv.Error($"time {t} does not increase (previous {lastT})");
            lastT = t;
            ppg.Add(p);
        }
        if (ppg.Count < 2) throw new CsvFormatException(path, csv.LineNumber, "fewer than 2 samples");
        CheckRate(path, csv.LineNumber, firstT, lastT, ppg.Count, SampleRateHz);
        return new Recording(name, SampleRateHz, ppg.ToArray(), PpgScale)
        {
            FlatToleranceCounts = FlatToleranceCounts,
            MinPulseCounts = MinPulseCounts,
        };
    }

    internal static void CheckRate(string path, int line, double firstT, double lastT, int count, double rate)
    {
        double expected = (count - 1) / rate;
        double actual = lastT - firstT;
        if (Math.Abs(actual - expected) > 0.01 * expected + 0.05)
            throw new CsvFormatException(path, line, $"time column spans {actual:F3} s for {count} samples; expected {expected:F3} s at {rate} Hz");
    }

    private static CincAlarmType ParseType(CsvReader csv, string s) => s switch
    {
        "Asystole" => CincAlarmType.Asystole,
        "Bradycardia" => CincAlarmType.Bradycardia,
        "Tachycardia" => CincAlarmType.Tachycardia,
        "Ventricular_Tachycardia" => CincAlarmType.VentricularTachycardia,
        "Ventricular_Flutter_Fib" => CincAlarmType.VentricularFlutterFib,
        _ => throw csv.Error($"unknown alarm_type '{s}'"),
    };
}
