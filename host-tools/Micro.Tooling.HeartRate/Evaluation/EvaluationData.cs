using Micro.Tooling.Evaluation.Visibility;
using Micro.Tooling.Recordings;
using Micro.Tooling.Training;

namespace Micro.Tooling.Evaluation;

/// <summary>One CinC alarm record: the PPG recording the chain gets and, for a true alarm, whether its event
/// shows in the PPG (from the record's ECG, evaluation only).</summary>
public sealed record CincRecord(CincAlarm Alarm, Recording Recording, PpgVisibility? Visibility);

/// <summary>
/// The records `micro evaluate` runs, read once (a cross-validation runs the chain over them once per settings
/// candidate). A part is null when its folder is absent.
/// </summary>
public sealed record EvaluationData(string Folder, IReadOnlyList<CincRecord>? Cinc, IReadOnlyList<Liu2022Segment>? Liu, IReadOnlyList<TroikaRecording>? Troika)
{
    public static EvaluationData Load(string dataFolder, TextWriter? log = null)
    {
        if (!Directory.Exists(dataFolder)) throw new DirectoryNotFoundException($"data folder not found: {dataFolder}");
        List<CincRecord>? cinc = null;
        string cincFolder = Path.Combine(dataFolder, RhythmDatasetBuilder.CincFolder);
        if (File.Exists(Path.Combine(cincFolder, "labels.csv")))
        {
            cinc = new List<CincRecord>();
            foreach (var alarm in CincDataset.ReadLabels(cincFolder))
            {
                var rec = CincDataset.ReadRecording(cincFolder, alarm);
                var label = alarm.TrueAlarm ? CincChannels.Read(cincFolder, alarm).Label(alarm.AlarmType) : null;
                cinc.Add(new CincRecord(alarm, rec, label));
            }
            log?.WriteLine($"cinc2015: {cinc.Count} records");
        }
        IReadOnlyList<Liu2022Segment>? liu = null;
        string liuFolder = Path.Combine(dataFolder, RhythmDatasetBuilder.Liu2022Folder);
        if (File.Exists(Path.Combine(liuFolder, "segments.csv")))
        {
            liu = Liu2022Dataset.Read(liuFolder);
            log?.WriteLine($"liu2022: {liu.Count} segments");
        }
        IReadOnlyList<TroikaRecording>? troika = null;
        string troikaFolder = Path.Combine(dataFolder, RhythmDatasetBuilder.TroikaFolder);
        if (File.Exists(Path.Combine(troikaFolder, "labels.csv")))
        {
            troika = TroikaDataset.ReadAll(troikaFolder);
            log?.WriteLine($"troika: {troika.Count} recordings");
        }
        if (cinc == null && liu == null && troika == null)
            throw new InvalidDataException($"{dataFolder} holds none of {RhythmDatasetBuilder.Liu2022Folder}/segments.csv, {RhythmDatasetBuilder.CincFolder}/labels.csv, {RhythmDatasetBuilder.TroikaFolder}/labels.csv");
        return new EvaluationData(dataFolder, cinc, liu, troika);
    }
}
