using Micro.Tooling.Recordings;

namespace Micro.Tooling.Evaluation.Visibility;

/// <summary>Both channels of one CinC 2015 record file (t_s,ppg,ecg at 125 Hz): PPG in PLETH units, ECG in mV.</summary>
public sealed record CincChannels(double[] Ppg, double[] Ecg, double SampleRateHz)
{
    public static CincChannels Read(string folder, CincAlarm alarm) => Read(Path.Combine(folder, alarm.CsvFile));

    public static CincChannels Read(string path)
    {
        using var csv = new CsvReader(path);
        csv.RequireHeader("t_s", "ppg", "ecg");
        var ppg = new List<double>(2048);
        var ecg = new List<double>(2048);
        while (csv.ReadRow(3))
        {
            ppg.Add(csv.Double(1));
            ecg.Add(csv.DoubleOrNaN(2));
        }
        if (ppg.Count < 2) throw new CsvFormatException(path, csv.LineNumber, "fewer than 2 samples");
        return new CincChannels(ppg.ToArray(), ecg.ToArray(), CincDataset.SampleRateHz);
    }

    /// <summary>The visibility label of this record's event (see <see cref="PpgVisibilityRule"/>).</summary>
    public PpgVisibility Label(CincAlarmType type) => PpgVisibilityRule.Label(type, Ppg, Ecg, SampleRateHz);
}
