using Micro.HeartRate;
using Micro.HeartRate.Alarms;

namespace Micro.Tooling.Recordings;

/// <summary>One 8 s reference window: the ECG reference and what the chain reported at the window's end
/// (EstimateBpm 0: the chain withheld the rate — no rate, or a rate it was not confident enough to report).</summary>
public readonly record struct TroikaWindow(double EndSeconds, double ReferenceBpm, int EstimateBpm, int ConfidencePercent)
{
    public bool Reported => EstimateBpm > 0;
}

/// <summary>Heart-rate error of the chain on one TROIKA recording.</summary>
public sealed record TroikaOutcome(string RecordId, int Windows, int Estimated, double SumAbsoluteError, int TachycardiaAlarms, int AlarmsRaised)
{
    /// <summary>Mean absolute error over the windows with a reported rate (bpm).</summary>
    public double MeanAbsoluteError => Estimated == 0 ? double.NaN : SumAbsoluteError / Estimated;

    /// <summary>Share of reference windows with a reported rate.</summary>
    public double Coverage => Windows == 0 ? double.NaN : (double)Estimated / Windows;

    /// <summary>Every reference window, in order (for the per-recording plot).</summary>
    public IReadOnlyList<TroikaWindow> Series { get; init; } = Array.Empty<TroikaWindow>();

    /// <summary>Largest absolute error of a reported window (bpm).</summary>
    public double MaxAbsoluteError => Series.Where(w => w.Reported).Select(w => Math.Abs(w.EstimateBpm - w.ReferenceBpm)).DefaultIfEmpty(double.NaN).Max();
}

public sealed record TroikaSummary(IReadOnlyList<TroikaOutcome> Outcomes)
{
    public int Windows => Outcomes.Sum(o => o.Windows);

    public int Estimated => Outcomes.Sum(o => o.Estimated);

    /// <summary>MAE over every reference window that got an estimate (bpm).</summary>
    public double MeanAbsoluteError => Estimated == 0 ? double.NaN : Outcomes.Sum(o => o.SumAbsoluteError) / Estimated;

    public int TachycardiaAlarms => Outcomes.Sum(o => o.TachycardiaAlarms);

    /// <summary>Share of all reference windows with a reported rate.</summary>
    public double Coverage => Windows == 0 ? double.NaN : (double)Estimated / Windows;

    /// <summary>Largest per-recording mean absolute error (bpm).</summary>
    public double WorstRecordingError => Outcomes.Select(o => o.MeanAbsoluteError).DefaultIfEmpty(double.NaN).Max();

    /// <summary>Recordings meeting both limits: error ≤ maxError bpm and coverage ≥ minCoverage.</summary>
    public int RecordingsWithin(double maxError, double minCoverage) =>
        Outcomes.Count(o => o.MeanAbsoluteError <= maxError && o.Coverage >= minCoverage);

    public string Describe() =>
        $"HR MAE {MeanAbsoluteError:F2} bpm over {Estimated}/{Windows} windows; tachycardia alarms {TachycardiaAlarms}; " +
        string.Join(", ", Outcomes.Select(o => $"{o.RecordId} {o.MeanAbsoluteError:F1}"));
}

/// <summary>
/// Compares the chain's rate with TROIKA's ECG reference: for each 8 s reference window the rate of the
/// step that ends when the window ends (the chain's own rate uses the last 8 s as well).
/// </summary>
public static class TroikaEvaluation
{
    public static TroikaOutcome EvaluateOne(TroikaRecording rec, HeartRateSettings? template = null)
    {
        return Score(rec, ChainHarness.Run(rec.Recording, template));
    }

    /// <summary>Rate error against the reference windows, and the alarms raised, from the chain's steps.</summary>
    public static TroikaOutcome Score(TroikaRecording rec, IReadOnlyList<StepReport> steps)
    {
        var byEnd = new Dictionary<long, StepReport>();
        foreach (var s in steps) byEnd[(long)Math.Round(s.TimeSeconds * 1000)] = s;
        int windows = 0, estimated = 0;
        double sum = 0;
        var series = new List<TroikaWindow>(rec.Reference.Count);
        foreach (var w in rec.Reference)
        {
            if (!byEnd.TryGetValue((long)Math.Round(w.EndSeconds * 1000), out var step)) continue;
            windows++;
            series.Add(new TroikaWindow(w.EndSeconds, w.Bpm, Math.Max(0, step.RateBpm), step.RateConfidencePercent));
            if (step.RateBpm <= 0) continue;
            estimated++;
            sum += Math.Abs(step.RateBpm - w.Bpm);
        }
        int tachy = steps.Sum(s => s.Events.Count(e => e.Raised && e.Kind == AlarmKind.Tachycardia));
        int raised = steps.Sum(s => s.Events.Count(e => e.Raised));
        return new TroikaOutcome(rec.RecordId, windows, estimated, sum, tachy, raised) { Series = series };
    }

    public static TroikaSummary Evaluate(IEnumerable<TroikaRecording> recordings, HeartRateSettings? template = null) =>
        new(recordings.Select(r => EvaluateOne(r, template)).ToList());
}
