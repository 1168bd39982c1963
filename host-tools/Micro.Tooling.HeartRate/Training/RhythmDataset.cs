using Micro.HeartRate;
using Micro.HeartRate.Signal;
using Micro.Tooling.Data;
using Micro.Tooling.Recordings;

namespace Micro.Tooling.Training;

/// <summary>The four classes of the rhythm classifier, in output order (ModelVerdict fields).</summary>
public enum RhythmClass
{
    Regular = 0,
    Irregular = 1,
    NoPulse = 2,
    Artefact = 3,
}

/// <summary>The data set a window came from.</summary>
public enum WindowSource
{
    Liu2022 = 0,
    Cinc2015 = 1,
    Troika = 2,
}

/// <summary>
/// One classifier input: the monitor's own CopyWindow output (int8, 25 Hz) at one analysis step, its label,
/// the subject/record group (for subject-wise splits) and where it came from.
/// Samples holds Channels values per 25 Hz sample, channels-last (CopyWindow(dst, count, channels)).
/// </summary>
public sealed record LabeledWindow(sbyte[] Samples, RhythmClass Label, int Group, WindowSource Source, string Record, int Step, string Reason, int Channels = 1);

/// <summary>Windows plus the names of their groups (index = group id).</summary>
public sealed record RhythmDataset(IReadOnlyList<LabeledWindow> Windows, IReadOnlyList<string> GroupNames)
{
    public int Count(RhythmClass c) => Windows.Count(w => w.Label == c);

    public int Count(WindowSource s) => Windows.Count(w => w.Source == s);
}

/// <summary>Options of the builder (defaults: the window the device classifies, every 2 s from 10 s on).</summary>
public sealed class DatasetOptions
{
    /// <summary>Window length in 25 Hz samples (the model input).</summary>
    public int WindowSamples { get; init; } = HeartRateMonitor.MaxWindowSamples;

    /// <summary>Channels per sample: 1 = PPG (the committed model), 2 = PPG + tachogram.</summary>
    public int Channels { get; init; } = 1;

    /// <summary>Steps (seconds) between two windows of one recording.</summary>
    public int StrideSeconds { get; init; } = 2;

    /// <summary>CinC true alarms: only windows of the last this-many seconds (the event is at the end).</summary>
    public int CincTrueAlarmLastSeconds { get; init; } = 4;
}

/// <summary>
/// Builds the classifier's training set by running the exact portable chain (<see cref="HeartRateMonitor"/>)
/// over the recordings and taking <see cref="HeartRateMonitor.CopyWindow"/> every few seconds once a full
/// window exists, so the network sees exactly what the device will feed it.
/// Labels (see models/heart-rate/README.md):
///   Liu 2022: sinus_rhythm, SVT, ventricular_tachycardia → regular (fast regular rhythms are the rate
///   rules' job); atrial_fibrillation, PVC, PAC → irregular. One window per 10 s segment (its end).
///   CinC 2015, false alarms: regular where the chain's signal quality at that step is Good/Fair, else
///   artefact (the PPG of a false ECG alarm is mostly a normal pulse). True alarms (last 4 s only):
///   asystole and VF → no_pulse; VT → no_pulse when the chain sees no beat for NoPulseMs, else regular;
///   bradycardia/tachycardia → regular.
///   TROIKA: regular where the chain's quality is Good/Fair, else artefact (motion).
/// </summary>
public static class RhythmDatasetBuilder
{
    public const string Liu2022Folder = "ppg_arrhythmia_liu2022";
    public const string CincFolder = "cinc2015_false_alarm";
    public const string TroikaFolder = "troika_spc2015";

    /// <summary>Label of a Liu 2022 rhythm name.</summary>
    public static RhythmClass LiuLabel(string label) => label switch
    {
        "sinus_rhythm" or "SVT" or "ventricular_tachycardia" => RhythmClass.Regular,
        "atrial_fibrillation" or "PVC" or "PAC" => RhythmClass.Irregular,
        _ => throw new InvalidDataException($"unknown Liu 2022 label '{label}'"),
    };

    /// <summary>Builds from every data-set folder present under dataFolder (at least one must be).</summary>
    public static RhythmDataset Build(string dataFolder, DatasetOptions? options = null, TextWriter? log = null)
    {
        options ??= new DatasetOptions();
        if (options.Channels < 1 || options.Channels > HeartRateMonitor.MaxWindowChannels)
            throw new ArgumentException($"a window has 1 or 2 channels, not {options.Channels}");
        if (!Directory.Exists(dataFolder)) throw new DirectoryNotFoundException($"data folder not found: {dataFolder}");
        var groups = new GroupIds();
        var windows = new List<LabeledWindow>();
        bool any = false;
        string liu = Path.Combine(dataFolder, Liu2022Folder);
        if (File.Exists(Path.Combine(liu, "segments.csv")))
        {
            any = true;
            int before = windows.Count;
            AddLiu(liu, options, groups, windows);
            log?.WriteLine($"liu2022: {windows.Count - before} windows");
        }
        string cinc = Path.Combine(dataFolder, CincFolder);
        if (File.Exists(Path.Combine(cinc, "labels.csv")))
        {
            any = true;
            int before = windows.Count;
            AddCinc(cinc, options, groups, windows);
            log?.WriteLine($"cinc2015: {windows.Count - before} windows");
        }
        string troika = Path.Combine(dataFolder, TroikaFolder);
        if (File.Exists(Path.Combine(troika, "labels.csv")))
        {
            any = true;
            int before = windows.Count;
            AddTroika(troika, options, groups, windows);
            log?.WriteLine($"troika: {windows.Count - before} windows");
        }
        if (!any)
            throw new InvalidDataException($"{dataFolder} holds none of {Liu2022Folder}/segments.csv, {CincFolder}/labels.csv, {TroikaFolder}/labels.csv");
        return new RhythmDataset(windows, groups.Names);
    }

    /// <summary>
    /// Runs the monitor over a recording and calls take(result, window) at every step where a full window
    /// exists and wanted(step, lastStep) says so. The window array is reused: copy it.
    /// </summary>
    public static void Walk(Recording recording, int windowSamples, Func<int, int, bool> wanted, Action<AnalysisResult, HeartRateSettings, sbyte[]> take, int channels = 1)
    {
        var settings = ChainHarness.SettingsFor(recording);
        var monitor = new HeartRateMonitor(settings);
        var window = new sbyte[windowSamples * channels];
        int lastStep = (int)Math.Floor(recording.Length / recording.SampleRateHz + 1e-9);
        for (int i = 0; i < recording.Length; i++)
        {
            if (!ChainHarness.Feed(monitor, recording, i)) continue;
            var r = monitor.Result;
            if (!wanted(r.Step, lastStep)) continue;
            if (!monitor.CopyWindow(window, windowSamples, channels)) continue;
            take(r, settings, window);
        }
    }

    private static bool GoodOrFair(AnalysisResult r) => r.Quality == SignalQuality.Good || r.Quality == SignalQuality.Fair;

    private static void AddLiu(string folder, DatasetOptions o, GroupIds groups, List<LabeledWindow> windows)
    {
        foreach (var seg in Liu2022Dataset.Read(folder))
        {
            var label = LiuLabel(seg.Label);
            int group = groups.Id("liu2022:" + seg.Subject);
            LabeledWindow? last = null;
            // One window per segment: the newest full window (the segment is exactly one window long).
            Walk(seg.ToRecording(), o.WindowSamples, (_, _) => true,
                (r, _, w) => last = new LabeledWindow((sbyte[])w.Clone(), label, group, WindowSource.Liu2022, seg.SegmentId, r.Step, seg.Label, o.Channels), o.Channels);
            if (last != null) windows.Add(last);
        }
    }

    private static void AddCinc(string folder, DatasetOptions o, GroupIds groups, List<LabeledWindow> windows)
    {
        foreach (var alarm in CincDataset.ReadLabels(folder))
        {
            var rec = CincDataset.ReadRecording(folder, alarm);
            int group = groups.Id("cinc2015:" + alarm.RecordId);
            int first = o.WindowSamples / HeartRateMonitor.StepSamples;
            Walk(rec, o.WindowSamples,
                (step, lastStep) =>
                {
                    if ((lastStep - step) % o.StrideSeconds != 0) return false; // aligned on the alarm (the end)
                    return !alarm.TrueAlarm || lastStep - step < o.CincTrueAlarmLastSeconds;
                },
                (r, s, w) =>
                {
                    var (label, reason) = CincLabel(alarm, r, s);
                    windows.Add(new LabeledWindow((sbyte[])w.Clone(), label, group, WindowSource.Cinc2015, alarm.RecordId, r.Step, reason, o.Channels));
                }, o.Channels);
        }
    }

    /// <summary>Label of a CinC window (see the class summary).</summary>
    public static (RhythmClass Label, string Reason) CincLabel(CincAlarm alarm, AnalysisResult r, HeartRateSettings s)
    {
        string type = alarm.AlarmType.ToString();
        if (!alarm.TrueAlarm)
            return GoodOrFair(r) ? (RhythmClass.Regular, $"false {type}, quality {r.Quality}") : (RhythmClass.Artefact, $"false {type}, quality {r.Quality}");
        bool noBeats = r.MsSinceBeat >= s.NoPulseMs || r.Quality == SignalQuality.Flat || r.Quality == SignalQuality.NoPulse;
        return alarm.AlarmType switch
        {
            CincAlarmType.Asystole => (RhythmClass.NoPulse, "true Asystole"),
            CincAlarmType.VentricularFlutterFib => (RhythmClass.NoPulse, "true VF"),
            CincAlarmType.VentricularTachycardia => noBeats ? (RhythmClass.NoPulse, "true VT, no beats") : (RhythmClass.Regular, "true VT, beats"),
            _ => (RhythmClass.Regular, "true " + type),
        };
    }

    private static void AddTroika(string folder, DatasetOptions o, GroupIds groups, List<LabeledWindow> windows)
    {
        foreach (var rec in TroikaDataset.ReadAll(folder))
        {
            int group = groups.Id("troika:" + TroikaSubject(rec.RecordId));
            int first = o.WindowSamples / HeartRateMonitor.StepSamples;
            Walk(rec.Recording, o.WindowSamples, (step, _) => (step - first) % o.StrideSeconds == 0,
                (r, _, w) => windows.Add(new LabeledWindow((sbyte[])w.Clone(), GoodOrFair(r) ? RhythmClass.Regular : RhythmClass.Artefact, group,
                    WindowSource.Troika, rec.RecordId, r.Step, "quality " + r.Quality + (r.Moving ? ", moving" : ""), o.Channels)), o.Channels);
        }
    }

    /// <summary>TROIKA subject: "S04" of DATA_S04_T01 / TEST_S04_T02; otherwise the record itself.</summary>
    public static string TroikaSubject(string recordId)
    {
        foreach (var part in recordId.Split('_'))
            if (part.Length >= 2 && part[0] == 'S' && char.IsDigit(part[1])) return part;
        return recordId;
    }

    /// <summary>
    /// Writes windows.npy (float32 [N,C,W] = int8/128, channels-first as PyTorch's Conv1d wants), labels.npy (int64), groups.npy (int64),
    /// sources.npy (int64, WindowSource) and index.csv (one line per window) into outputFolder.
    /// </summary>
    public static void Write(RhythmDataset ds, string outputFolder)
    {
        if (ds.Windows.Count == 0) throw new InvalidDataException("the data set has no windows");
        Directory.CreateDirectory(outputFolder);
        int n = ds.Windows.Count, ch = ds.Windows[0].Channels, w = ds.Windows[0].Samples.Length / ch;
        var x = new float[n * ch * w];
        var labels = new long[n];
        var groupIds = new long[n];
        var sources = new long[n];
        var index = new System.Text.StringBuilder("index,source,record,step,group,group_name,label,reason\n");
        for (int i = 0; i < n; i++)
        {
            var win = ds.Windows[i];
            if (win.Channels != ch || win.Samples.Length != w * ch) throw new InvalidDataException("windows of different lengths or channel counts");
            for (int c = 0; c < ch; c++)
                for (int j = 0; j < w; j++) x[(i * ch + c) * w + j] = win.Samples[j * ch + c] / 128f;
            labels[i] = (long)win.Label;
            groupIds[i] = win.Group;
            sources[i] = (long)win.Source;
            index.Append(i).Append(',').Append(win.Source).Append(',').Append(win.Record).Append(',').Append(win.Step).Append(',')
                .Append(win.Group).Append(',').Append(ds.GroupNames[win.Group]).Append(',').Append(win.Label).Append(',')
                .Append(win.Reason.Replace(',', ';')).Append('\n');
        }
        NpyFile.Write(Path.Combine(outputFolder, "windows.npy"), NpyArray.FromFloat32(new[] { n, ch, w }, x));
        NpyFile.Write(Path.Combine(outputFolder, "labels.npy"), NpyArray.FromInt64(new[] { n }, labels));
        NpyFile.Write(Path.Combine(outputFolder, "groups.npy"), NpyArray.FromInt64(new[] { n }, groupIds));
        NpyFile.Write(Path.Combine(outputFolder, "sources.npy"), NpyArray.FromInt64(new[] { n }, sources));
        AtomicFile.WriteAllText(Path.Combine(outputFolder, "index.csv"), index.ToString());
    }

    private sealed class GroupIds
    {
        private readonly Dictionary<string, int> ids = new();
        public List<string> Names { get; } = new();

        public int Id(string name)
        {
            if (ids.TryGetValue(name, out int id)) return id;
            id = Names.Count;
            ids[name] = id;
            Names.Add(name);
            return id;
        }
    }
}
