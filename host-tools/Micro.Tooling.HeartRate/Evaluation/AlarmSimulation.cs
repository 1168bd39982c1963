using Micro.HeartRate.Alarms;
using Micro.Tooling.Recordings;

namespace Micro.Tooling.Evaluation;

/// <summary>What one simulated recording produced: the steps, the alert lines and the network cost.</summary>
public sealed record SimulationResult(Recording Recording, IReadOnlyList<StepReport> Steps, ExitHeadAccount Exits)
{
    /// <summary>Every alarm raised, in order.</summary>
    public IEnumerable<AlarmEventReport> Raised => Steps.SelectMany(s => s.Events).Where(e => e.Raised);
}

/// <summary>
/// `micro simulate`: replays one recording through the device's alarm chain (and the blob classifier, if
/// given) and writes the alert lines the device's AlertEncoder would send.
/// Recording files: a CinC 2015 file (t_s,ppg,ecg at 125 Hz), a TROIKA file (t_s,ppg,acc_x,acc_y,acc_z,...),
/// or any CSV with a ppg column of integer sensor counts, optional acc_x,acc_y,acc_z in g and a t_s column
/// (or --fs).
/// </summary>
public static class AlarmSimulation
{
    public static SimulationResult Run(Recording recording, byte[]? blob, TextWriter? alertLines)
    {
        var classifier = blob == null ? null : new HostRhythmClassifier(blob);
        var steps = ChainHarness.Run(recording, null, classifier, alertLines);
        var account = new ExitHeadAccount { FullMacs = classifier?.FullMacs ?? 0 };
        AlarmEvaluation.Account(account, steps, classifier, 0, classifier?.WindowSamples ?? Micro.HeartRate.HeartRateMonitor.MaxWindowSamples,
            new Micro.HeartRate.HeartRateSettings().ModelIntervalSeconds, _ => false);
        return new SimulationResult(recording, steps, account);
    }

    /// <summary>Reads a recording, recognizing the data sets' layouts by their header.</summary>
    public static Recording ReadRecording(string path, double? sampleRateHz = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException("recording not found", path);
        string header;
        using (var r = Micro.Tooling.Data.BoundedLineReader.Open(path, CsvReader.MaxLineLength, "one recording row"))
            header = (r.ReadLine() ?? "").Trim().TrimStart('\uFEFF');
        string name = Path.GetFileNameWithoutExtension(path);
        var cols = header.Split(',').Select(c => c.Trim()).ToArray();
        try
        {
            if (cols.SequenceEqual(new[] { "t_s", "ppg", "ecg" }) && sampleRateHz is null or CincDataset.SampleRateHz)
                return CincDataset.ReadRecording(path, name);
            if (cols.Length >= 6 && cols.Take(6).SequenceEqual(new[] { "t_s", "ppg", "acc_x", "acc_y", "acc_z", "hr_ref" }) && sampleRateHz is null or TroikaDataset.SampleRateHz)
                return TroikaDataset.ReadSignals(path, name);
            return ReadGeneric(path, name, cols, sampleRateHz);
        }
        catch (CsvFormatException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }

    private static Recording ReadGeneric(string path, string name, string[] cols, double? fs)
    {
        int ppg = Array.IndexOf(cols, "ppg"), t = Array.IndexOf(cols, "t_s");
        int ax = Array.IndexOf(cols, "acc_x"), ay = Array.IndexOf(cols, "acc_y"), az = Array.IndexOf(cols, "acc_z");
        if (ppg < 0) throw new InvalidDataException($"{path}: no 'ppg' column in the header ({string.Join(",", cols)})");
        bool acc = ax >= 0 && ay >= 0 && az >= 0;
        if (!acc && (ax >= 0 || ay >= 0 || az >= 0)) throw new InvalidDataException($"{path}: acc_x, acc_y and acc_z must all be present or all absent");
        if (t < 0 && fs == null) throw new InvalidDataException($"{path}: no t_s column; give the sample rate with --fs");
        using var csv = new CsvReader(path);
        var p = new List<double>();
        var x = new List<double>();
        var y = new List<double>();
        var z = new List<double>();
        double first = 0, last = 0;
        while (csv.ReadRow(cols.Length))
        {
            double v = csv.Double(ppg);
            if (double.IsNaN(v)) throw new InvalidDataException($"{path}:{csv.LineNumber}: ppg is NaN");
            p.Add(v);
            if (acc) { x.Add(csv.Double(ax)); y.Add(csv.Double(ay)); z.Add(csv.Double(az)); }
            if (t >= 0)
            {
                double ts = csv.Double(t);
                if (p.Count == 1) first = ts;
                else if (ts <= last) throw new InvalidDataException($"{path}:{csv.LineNumber}: time {ts} does not increase");
                last = ts;
            }
        }
        if (p.Count < 2) throw new InvalidDataException($"{path}: fewer than 2 samples");
        double rate = fs ?? (p.Count - 1) / (last - first);
        if (!(rate >= 1 && rate <= 2000)) throw new InvalidDataException($"{path}: sample rate {rate:F2} Hz is outside 1..2000 Hz");
        return acc
            ? new Recording(name, rate, p.ToArray(), 1.0, x.ToArray(), y.ToArray(), z.ToArray())
            : new Recording(name, rate, p.ToArray(), 1.0);
    }
}
