using Micro.HeartRate;
using Micro.HeartRate.Alarms;
using Micro.HeartRate.Model;
using Micro.HeartRate.Protocol;
using Micro.HeartRate.Signal;

namespace Micro.Tooling.Recordings;

/// <summary>An alarm raised or cleared while replaying a recording.</summary>
public sealed record AlarmEventReport(AlarmKind Kind, bool Raised, double TimeSeconds, int RateBpm, int ConfidencePercent);

/// <summary>One analysis step (1 s) of the portable chain over a recording.</summary>
public sealed record StepReport(
    int Step,
    double TimeSeconds,
    int RateBpm,
    int RateConfidencePercent,
    RateSource RateSource,
    int BeatRateBpm,
    int SpectralRateBpm,
    int IrregularityPermille,
    int RhythmIntervals,
    SignalQuality Quality,
    int MsSinceBeat,
    bool Moving,
    bool Exercising,
    bool NeedsModel,
    bool ModelRan,
    int ActiveAlarms,
    IReadOnlyList<AlarmEventReport> Events);

/// <summary>
/// Replays a recording through the portable <see cref="HeartRateMonitor"/> exactly as the device would
/// (integer samples at the recording's rate) and reports every step. Backs `micro simulate` / `micro evaluate`.
/// </summary>
public static class ChainHarness
{
    /// <summary>Settings for a recording: rate, accelerometer and polarity from the recording, everything
    /// else from the template (or the defaults).</summary>
    public static HeartRateSettings SettingsFor(Recording recording, HeartRateSettings? template = null)
    {
        var s = template == null ? new HeartRateSettings() : Clone(template);
        s.SampleRateMilliHz = recording.SampleRateMilliHz;
        s.HasAccelerometer = recording.HasAccelerometer;
        s.Polarity = recording.Polarity;
        s.FlatToleranceCounts = recording.FlatToleranceCounts;
        s.MinPulseCounts = recording.MinPulseCounts;
        return s;
    }

    /// <summary>Feeds sample i of the recording (with its accelerometer, if it has one) to the monitor;
    /// true when that sample completed a step.</summary>
    public static bool Feed(HeartRateMonitor monitor, Recording recording, int i) =>
        recording.HasAccelerometer
            ? monitor.AddSample(recording.PpgCounts(i), recording.AccMilliG(recording.AccX, i), recording.AccMilliG(recording.AccY, i), recording.AccMilliG(recording.AccZ, i))
            : monitor.AddSample(recording.PpgCounts(i));

    /// <summary>Runs the chain over the whole recording and returns every step; afterStep sees the monitor after each.</summary>
    public static List<StepReport> Run(Recording recording, HeartRateSettings? template = null, IRhythmClassifier? classifier = null,
        TextWriter? alertLines = null, Action<HeartRateMonitor>? afterStep = null)
    {
        var monitor = new HeartRateMonitor(SettingsFor(recording, template));
        if (classifier != null) monitor.SetClassifier(classifier);
        var encoder = alertLines == null ? null : new AlertEncoder();
        var line = new byte[AlertProtocol.MaxLineLength];
        if (encoder != null) Write(alertLines!, line, encoder.EncodeBoot(0, line, 0));
        var steps = new List<StepReport>(recording.Length / Math.Max(1, (int)recording.SampleRateHz) + 1);
        for (int i = 0; i < recording.Length; i++)
        {
            if (!Feed(monitor, recording, i)) continue;
            afterStep?.Invoke(monitor);
            var r = monitor.Result;
            var policy = monitor.Policy;
            var events = new List<AlarmEventReport>(policy.EventCount);
            for (int e = 0; e < policy.EventCount; e++)
            {
                var ev = policy.GetEvent(e);
                events.Add(new AlarmEventReport(ev.Kind, ev.Raised, ev.UptimeMs / 1000.0, ev.RateBpm, ev.ConfidencePercent));
                if (encoder != null) Write(alertLines!, line, encoder.EncodeEvent(ev, r, line, 0));
            }
            if (encoder != null && r.StatusDue) Write(alertLines!, line, encoder.EncodeStatus(r, line, 0));
            steps.Add(new StepReport(r.Step, r.UptimeMs / 1000.0, r.RateBpm, r.RateConfidencePercent, r.RateSource, r.BeatRateBpm,
                r.SpectralRateBpm, r.IrregularityPermille, r.Rhythm.IntervalCount, r.Quality, r.MsSinceBeat, r.Moving, r.Exercising,
                r.NeedsModel, r.ModelRan, r.ActiveAlarms, events));
        }
        return steps;
    }

    /// <summary>Kinds of every alarm raised during the steps (bit mask).</summary>
    public static int RaisedMask(IEnumerable<StepReport> steps)
    {
        int mask = 0;
        foreach (var s in steps)
            foreach (var e in s.Events)
                if (e.Raised) mask |= AlarmKinds.Bit(e.Kind);
        return mask;
    }

    private static void Write(TextWriter w, byte[] line, int length)
    {
        w.Write(System.Text.Encoding.ASCII.GetString(line, 0, length));
    }

    /// <summary>A copy of the settings (every instance field).</summary>
    public static HeartRateSettings Clone(HeartRateSettings t)
    {
        var s = new HeartRateSettings();
        // Instance fields only: the compile-time constants (SpectralBinBpm) cannot be set.
        foreach (var f in typeof(HeartRateSettings).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)) f.SetValue(s, f.GetValue(t));
        return s;
    }
}
