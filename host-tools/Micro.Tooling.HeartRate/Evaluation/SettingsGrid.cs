using System.Globalization;
using System.Reflection;
using Micro.HeartRate;
using Micro.Tooling.Recordings;

namespace Micro.Tooling.Evaluation;

/// <summary>One set of settings to try: a name and the changes it makes to the defaults (or to a template).</summary>
public sealed record SettingsCandidate(string Name, Action<HeartRateSettings> Apply)
{
    public HeartRateSettings Build(HeartRateSettings? template = null)
    {
        var s = template == null ? new HeartRateSettings() : ChainHarness.Clone(template);
        Apply(s);
        return s;
    }
}

/// <summary>
/// Candidate grids for `micro evaluate --cv`: every combination of a few values of <see cref="HeartRateSettings"/>
/// integer fields. <see cref="Default"/> is the grid the command uses without --grid; a helper tuning other
/// settings (tracker, rhythm rules) adds its axes here or passes --grid "Field=v1,v2;Other=v1,v2".
/// </summary>
public static class SettingsGrid
{
    /// <summary>The defaults first (ties go to the earlier candidate), then the combinations.</summary>
    public static IReadOnlyList<SettingsCandidate> Default => Product(
        ("IrregularPermille", new[] { 60, 50, 70 }),
        ("BeatThresholdPercent", new[] { 50, 40 }),
        ("NoPulseMs", new[] { 4000, 3000 }));

    /// <summary>
    /// The TROIKA grid when no --grid is given: the spectral tracker's settings (the default grid's rhythm rules
    /// don't touch the rate on TROIKA, so with it the TROIKA figures would simply be in-sample). The same axes as
    /// the tracker's leave-one-subject-out test (TrackerLosoTests); the defaults first.
    /// </summary>
    public static IReadOnlyList<SettingsCandidate> Tracker
    {
        get
        {
            var d = new HeartRateSettings();
            return Product(
                ("TrackerLeakPermille", new[] { d.TrackerLeakPermille, 985 }),
                ("TrackerSwitchMarginPercent", new[] { d.TrackerSwitchMarginPercent, 0, 10 }),
                ("TrackerGatePermille", new[] { d.TrackerGatePermille, 100 }),
                ("TrackerCleanWeightPercent", new[] { d.TrackerCleanWeightPercent, 0, 150 }),
                ("TrackerReacquireUpdates", new[] { d.TrackerReacquireUpdates, 0, 2 }),
                ("TrackerHarmonicLobeBins", new[] { d.TrackerHarmonicLobeBins, 0 }),
                ("TrackerMotionTrackUpdates", new[] { d.TrackerMotionTrackUpdates, 0 }));
        }
    }

    /// <summary>Every combination of the values (the first value of each axis varies slowest).</summary>
    public static IReadOnlyList<SettingsCandidate> Product(params (string Field, int[] Values)[] axes)
    {
        var fields = axes.Select(a => (Info: Field(a.Field), a.Values)).ToArray();
        foreach (var (info, values) in fields)
            if (values.Length == 0) throw new ArgumentException($"no values for {info.Name}");
        var list = new List<SettingsCandidate>();
        var pick = new int[fields.Length];
        while (true)
        {
            var chosen = fields.Select((f, i) => (f.Info, Value: f.Values[pick[i]])).ToArray();
            string name = chosen.Length == 0 ? "defaults" : string.Join(",", chosen.Select(c => $"{c.Info.Name}={c.Value.ToString(CultureInfo.InvariantCulture)}"));
            list.Add(new SettingsCandidate(name, s => { foreach (var (info, value) in chosen) info.SetValue(s, value); }));
            int k = fields.Length - 1;
            while (k >= 0 && ++pick[k] == fields[k].Values.Length) pick[k--] = 0;
            if (k < 0) return list;
        }
    }

    /// <summary>Parses "Field=v1,v2;Other=v1" (integer fields of HeartRateSettings).</summary>
    public static IReadOnlyList<SettingsCandidate> Parse(string spec)
    {
        var axes = new List<(string, int[])>();
        foreach (string part in spec.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"grid axis '{part}': expected Field=value,value,...");
            string field = part[..eq].Trim();
            var values = part[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v =>
                int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int x) ? x : throw new ArgumentException($"grid axis {field}: '{v}' is not an integer")).ToArray();
            axes.Add((field, values));
        }
        if (axes.Count == 0) throw new ArgumentException("the grid is empty: expected Field=value,value;...");
        var grid = Product(axes.ToArray());
        if (grid.Count > 64) throw new ArgumentException($"the grid has {grid.Count} candidates; at most 64 (each runs the whole evaluation)");
        return grid;
    }

    private static FieldInfo Field(string name)
    {
        var f = typeof(HeartRateSettings).GetField(name, BindingFlags.Public | BindingFlags.Instance);
        if (f == null || f.FieldType != typeof(int))
        {
            var known = typeof(HeartRateSettings).GetFields(BindingFlags.Public | BindingFlags.Instance).Where(x => x.FieldType == typeof(int)).Select(x => x.Name);
            throw new ArgumentException($"'{name}' is not an integer setting of HeartRateSettings (known: {string.Join(", ", known)})");
        }
        return f;
    }
}
