// usage:
//   dotnet run --project bench/rhythm-cv -c Release -- score [--data DIR] [--model BLOB] [--set Name=V ...]
//       per-type CinC outcome and challenge score (TP+TN)/(TP+TN+FP+5·FN) beside always- and never-alarm;
//   ... -- cv --grid Name=v1,v2,... [--grid ...] [--set ...]
//       two-fold record-wise cross-validation: records sorted by id, alternate ones in fold A and B; each
//       fold's setting combination is chosen by the total challenge score on the other fold, and every
//       record is scored with the setting chosen without it (plus the in-sample best for comparison);
//   ... -- dump RECORD [--set ...]   every step of one CinC record.
using System.Reflection;
using Micro.HeartRate;
using Micro.HeartRate.Alarms;
using Micro.Tooling.Evaluation;
using Micro.Tooling.Recordings;

string mode = args.Length > 0 ? args[0] : "score";
string data = "../shared/data";
string model = "models/heart-rate/heart-rate.mblob";
var sets = new List<string>();
var grids = new List<(string Name, string[] Values)>();
string record = null;
for (int i = 1; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--data": data = args[++i]; break;
        case "--model": model = args[++i]; break;
        case "--no-model": model = null; break;
        case "--set": sets.Add(args[++i]); break;
        case "--grid":
            var kv = args[++i].Split('=');
            grids.Add((kv[0], kv[1].Split(',')));
            break;
        default: record = args[i]; break;
    }
}
string folder = Path.Combine(data, "cinc2015_false_alarm");
var labels = CincDataset.ReadLabels(folder).OrderBy(a => a.RecordId, StringComparer.Ordinal).ToList();
var recordings = labels.ToDictionary(a => a.RecordId, a => CincDataset.ReadRecording(folder, a));
byte[] blob = model == null ? null : File.ReadAllBytes(model);

HeartRateSettings Settings(IEnumerable<string> assignments)
{
    var s = new HeartRateSettings();
    foreach (var a in assignments)
    {
        var kv = a.Split('=');
        var f = typeof(HeartRateSettings).GetField(kv[0], BindingFlags.Public | BindingFlags.Instance)
            ?? throw new ArgumentException($"no setting {kv[0]}");
        f.SetValue(s, f.FieldType == typeof(bool) ? bool.Parse(kv[1]) : int.Parse(kv[1]));
    }
    return s;
}

Dictionary<string, CincOutcome> RunAll(HeartRateSettings s)
{
    var result = new Dictionary<string, CincOutcome>();
    // One classifier per thread (it keeps call statistics).
    var list = labels.AsParallel().WithDegreeOfParallelism(2).Select(a =>
    {
        var c = blob == null ? null : new HostRhythmClassifier(blob);
        return AlarmEvaluation.CincScore(a, ChainHarness.Run(recordings[a.RecordId], s, c));
    }).ToList();
    foreach (var o in list) result[o.Alarm.RecordId] = o;
    return result;
}

static double Score(int tp, int tn, int fp, int fn) => tp + tn + fp + fn == 0 ? double.NaN : (double)(tp + tn) / (tp + tn + fp + 5 * fn);

static (int Tp, int Tn, int Fp, int Fn) Count(IEnumerable<CincOutcome> outcomes)
{
    int tp = 0, tn = 0, fp = 0, fn = 0;
    foreach (var o in outcomes)
    {
        if (o.Alarm.TrueAlarm) { if (o.Detected) tp++; else fn++; }
        else { if (o.Suppressed) tn++; else fp++; }
    }
    return (tp, tn, fp, fn);
}

// The objective used to choose settings: the mean over alarm types of the challenge score.
static double Objective(IEnumerable<CincOutcome> outcomes) =>
    outcomes.GroupBy(o => o.Alarm.AlarmType).Average(g => { var c = Count(g); return Score(c.Tp, c.Tn, c.Fp, c.Fn); });

static void Print(string title, IEnumerable<CincOutcome> outcomes)
{
    Console.WriteLine(title);
    Console.WriteLine($"  {"type",-24} {"detected",9} {"suppressed",11} {"score",6} {"always",7} {"never",6}");
    void Line(string name, IEnumerable<CincOutcome> g)
    {
        var c = Count(g);
        int t = c.Tp + c.Fn, f = c.Tn + c.Fp;
        Console.WriteLine($"  {name,-24} {c.Tp,4}/{t,-4} {c.Tn,5}/{f,-5} {Score(c.Tp, c.Tn, c.Fp, c.Fn),6:F3} {Score(t, 0, f, 0),7:F3} {Score(0, f, 0, t),6:F3}");
    }
    foreach (var g in outcomes.GroupBy(o => o.Alarm.AlarmType).OrderBy(g => g.Key)) Line(g.Key.ToString(), g);
    Line("all", outcomes);
    Console.WriteLine($"  mean per-type score {Objective(outcomes):F3}");
}

switch (mode)
{
    case "score":
    {
        var all = RunAll(Settings(sets)).Values.ToList();
        Print("in-sample (all records)", all);
        Console.WriteLine("misses (true alarms not detected) / false alarms raised:");
        Console.WriteLine("  missed: " + string.Join(" ", all.Where(o => o.Alarm.TrueAlarm && !o.Detected).Select(o => o.Alarm.RecordId)));
        Console.WriteLine("  false raised: " + string.Join(" ", all.Where(o => !o.Alarm.TrueAlarm && !o.Suppressed).Select(o => $"{o.Alarm.RecordId}:{Mask(o.ClinicalMask)}")));
        Console.WriteLine("  true detected: " + string.Join(" ", all.Where(o => o.Alarm.TrueAlarm && o.Detected).Select(o => $"{o.Alarm.RecordId}:{Mask(o.ClinicalMask)}")));
        break;
    }
    case "cv":
    {
        var combos = new List<List<string>> { new List<string>() };
        foreach (var (name, values) in grids)
            combos = combos.SelectMany(c => values.Select(v => c.Append($"{name}={v}").ToList())).ToList();
        var runs = combos.Select(c =>
        {
            var o = RunAll(Settings(sets.Concat(c)));
            Console.Error.WriteLine($"  {string.Join(" ", c)}: in-sample {Objective(o.Values):F3}");
            return (Combo: c, Outcomes: o);
        }).ToList();
        var foldOf = labels.Select((a, i) => (a.RecordId, i)).ToDictionary(x => x.RecordId, x => x.i % 2);
        var held = new List<CincOutcome>();
        for (int fold = 0; fold < 2; fold++)
        {
            var best = runs.OrderByDescending(r => Objective(r.Outcomes.Values.Where(o => foldOf[o.Alarm.RecordId] != fold))).First();
            Console.WriteLine($"fold {fold}: chosen on the other half: {string.Join(" ", best.Combo)}");
            held.AddRange(best.Outcomes.Values.Where(o => foldOf[o.Alarm.RecordId] == fold));
        }
        Print("cross-validated (each record scored with the setting chosen on the other half)", held);
        var inSample = runs.OrderByDescending(r => Objective(r.Outcomes.Values)).First();
        Print($"in-sample best: {string.Join(" ", inSample.Combo)}", inSample.Outcomes.Values);
        break;
    }
    case "dump":
    {
        var a = labels.First(l => l.RecordId == record);
        var c = blob == null ? null : new HostRhythmClassifier(blob);
        Console.WriteLine($"{a.RecordId} {a.AlarmType} true={a.TrueAlarm}");
        var rec = recordings[a.RecordId];
        var m = new HeartRateMonitor(ChainHarness.SettingsFor(rec, Settings(sets)));
        if (c != null) m.SetClassifier(c);
        for (int i = 0; i < rec.Length; i++)
        {
            if (!ChainHarness.Feed(m, rec, i)) continue;
            var s = m.Result;
            var ev = new List<string>();
            for (int e = 0; e < m.Policy.EventCount; e++) ev.Add((m.Policy.GetEvent(e).Raised ? "+" : "-") + m.Policy.GetEvent(e).Kind);
            Console.WriteLine($"{s.Step,3} rate {s.RateBpm,3} ({s.RateConfidencePercent,3}% {s.RateSource}) beats {s.BeatRateBpm,3} spec {s.SpectralRateBpm,3} q {s.Quality,-8} since {s.MsSinceBeat,5} irr {s.IrregularityPermille,4} amp {s.AmplitudeRatioPermille,4} size {s.PulseSizeRatioPermille,4} int {s.PulseIntervalRatioPermille,4}{(s.PulseCollapse ? " COLLAPSE" : "")} alarms {Mask(s.ActiveAlarms)} {string.Join(",", ev)}");
        }
        break;
    }
    default:
        throw new ArgumentException("mode: score | cv | dump");
}

static string Mask(int m)
{
    var names = new List<string>();
    for (int k = 0; k < AlarmKinds.Count; k++) if ((m & (1 << k)) != 0) names.Add(((AlarmKind)k).ToString());
    return names.Count == 0 ? "-" : string.Join("+", names);
}
