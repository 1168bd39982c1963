using Micro.Tooling.Recordings;

namespace Micro.Tooling.Evaluation;

/// <summary>Which candidate one fold's training part chose, and its objective there.</summary>
public sealed record FoldChoice(string Fold, int HeldOut, string Candidate, double TrainingObjective);

/// <summary>A candidate's objective on each whole data set (in-sample: tuned on everything).</summary>
public sealed record CandidateResult(string Candidate, double? CincObjective, double? LiuObjective, double? TroikaObjective);

/// <summary>
/// Figures where each held-out fold was scored with the settings chosen on the other folds only
/// (<see cref="CrossValidation"/>), beside the in-sample ones of every candidate.
/// </summary>
public sealed record CrossValidationReport(IReadOnlyList<CandidateResult> Candidates, CincSummary? Cinc, LiuAlarmSummary? Liu, TroikaSummary? Troika,
    IReadOnlyList<FoldChoice> CincFolds, IReadOnlyList<FoldChoice> LiuFolds, IReadOnlyList<FoldChoice> TroikaFolds)
{
    /// <summary>The cold starts (<see cref="ColdStart"/>) that were part of the TROIKA objective, scored as their
    /// subject's fold chose; null when there were none. <see cref="Troika"/> holds the whole recordings only.</summary>
    public TroikaSummary? TroikaColdStart { get; init; }

    /// <summary>This report with its TROIKA figures, folds and candidates taken from another run (the tracker grid).</summary>
    public CrossValidationReport WithTroikaFrom(CrossValidationReport tracker) => this with
    {
        Candidates = Candidates.Select(c => c with { TroikaObjective = null }).Concat(tracker.Candidates.Select(c => c with { CincObjective = null, LiuObjective = null })).ToList(),
        Troika = tracker.Troika,
        TroikaColdStart = tracker.TroikaColdStart,
        TroikaFolds = tracker.TroikaFolds,
    };

    public Dictionary<string, object?> ToJsonObject()
    {
        var root = new Dictionary<string, object?>
        {
            ["figures"] = "cross-validated: every fold scored with the candidate chosen without it (TROIKA and Liu leave one subject out, CinC " + SubjectFolds.CincFolds + " folds)",
            ["objectives"] = CrossValidation.ObjectiveText,
            ["candidates"] = Candidates.Select(c => new Dictionary<string, object?>
            {
                ["name"] = c.Candidate,
                ["in_sample_cinc_objective"] = c.CincObjective is double a ? EvaluationJson.Num(a) : null,
                ["in_sample_liu_objective"] = c.LiuObjective is double b ? EvaluationJson.Num(b) : null,
                ["in_sample_troika_objective"] = c.TroikaObjective is double t ? EvaluationJson.Num(t) : null,
            }).ToList(),
        };
        foreach (var (k, v) in EvaluationJson.Parts(Cinc, Liu, Troika, perRecord: true)) root[k] = v;
        static object Folds(IReadOnlyList<FoldChoice> f) => f.Select(c => new Dictionary<string, object?>
        { ["fold"] = c.Fold, ["held_out"] = c.HeldOut, ["chosen"] = c.Candidate, ["training_objective"] = EvaluationJson.Num(c.TrainingObjective) }).ToList();
        if (Cinc != null) root["cinc2015_folds"] = Folds(CincFolds);
        if (Liu != null) root["liu2022_folds"] = Folds(LiuFolds);
        if (Troika != null) root["troika_folds"] = Folds(TroikaFolds);
        if (TroikaColdStart != null) root["troika_cold_start"] = EvaluationJson.ColdStart(TroikaColdStart);
        return root;
    }
}

/// <summary>
/// Settings chosen without the data they are scored on. The chain runs once per candidate over every record;
/// then, per data set and per fold, the candidate with the best objective on the other folds is the one whose
/// outcomes on the fold count. Folds (<see cref="SubjectFolds"/>): TROIKA and Liu leave one subject out; CinC
/// has no patient ids, so its records are dealt into 5 folds. Objectives (higher is better; ties keep the
/// earlier candidate, the defaults first):
/// CinC — the challenge score over false alarms and PPG-visible true alarms (<see cref="CincObjective"/>); Liu — AF balanced accuracy (sensitivity + specificity) / 2;
/// TROIKA — minus the mean plus the worst over recordings of (error in bpm + 20 × share of windows withheld + 10 ×
/// exercise tachycardia alarms), so withholding a rate is not free and a false alarm costs more than a few bpm.
/// `micro evaluate` adds each recording's cold starts (<see cref="ColdStart"/>) to the TROIKA records: they are held
/// out with their subject, count in the objective, and are reported apart.
/// The data sets are chosen for separately: a device runs one setting, so the three choices are a bound, not a
/// deployable configuration, when they differ (the JSON lists every fold's choice).
/// </summary>
public static class CrossValidation
{
    public const string ObjectiveText = "cinc2015: challenge score over false alarms and the true alarms visible in the PPG; liu2022: AF (sensitivity + specificity) / 2; troika: −(mean + worst) over recordings, and their cold starts when given, of (MAE bpm + 20 × withheld share + 10 × exercise tachycardia alarms)";

    public static CrossValidationReport Run(EvaluationData data, byte[]? blob, IReadOnlyList<SettingsCandidate> grid, TextWriter? log = null)
    {
        if (grid.Count == 0) throw new ArgumentException("no candidate settings");
        // Candidates are independent (each its own classifier and chain): run them on every core.
        var passes = new (CincSummary? Cinc, LiuAlarmSummary? Liu, TroikaSummary? Troika)[grid.Count];
        int done = 0;
        Parallel.For(0, grid.Count, i =>
        {
            var classifier = blob == null ? null : new HostRhythmClassifier(blob);
            passes[i] = AlarmEvaluation.Pass(data, grid[i].Build(), classifier, new ExitHeadAccount());
            int n = Interlocked.Increment(ref done);
            lock (passes) log?.WriteLine($"cv: ran candidate {n}/{grid.Count} {grid[i].Name}");
        });
        var candidates = grid.Select((c, i) => new CandidateResult(c.Name,
            passes[i].Cinc is { } ci ? CincObjective(ci.Outcomes) : null,
            passes[i].Liu is { } li ? LiuObjective(li.Segments) : null,
            passes[i].Troika is { } ti ? TroikaObjective(ti.Outcomes) : null)).ToList();

        var names = grid.Select(c => c.Name).ToList();
        CincSummary? cinc = null;
        var cincFolds = new List<FoldChoice>();
        if (data.Cinc != null)
        {
            var foldOf = SubjectFolds.CincFoldOf(data.Cinc.Select(r => r.Alarm));
            var chosen = Choose(passes.Select(p => p.Cinc!.Outcomes).ToList(), names, o => "fold " + (foldOf[o.Alarm.RecordId] + 1), CincObjective, cincFolds);
            cinc = new CincSummary(chosen);
        }
        LiuAlarmSummary? liu = null;
        var liuFolds = new List<FoldChoice>();
        if (data.Liu != null)
            liu = LiuAlarmSummary.From(Choose(passes.Select(p => p.Liu!.Segments).ToList(), names, s => s.Subject, LiuObjective, liuFolds));
        TroikaSummary? troika = null, coldStart = null;
        var troikaFolds = new List<FoldChoice>();
        if (data.Troika != null)
        {
            // Cold starts among the recordings count in the objective (a fold holds a subject's recordings and their
            // cold starts), and are reported apart.
            var chosen = Choose(passes.Select(p => p.Troika!.Outcomes).ToList(), names, o => SubjectFolds.TroikaSubject(o.RecordId), TroikaObjective, troikaFolds);
            troika = new TroikaSummary(chosen.Where(o => !ColdStart.IsColdStart(o.RecordId)).ToList());
            var cold = chosen.Where(o => ColdStart.IsColdStart(o.RecordId)).ToList();
            if (cold.Count > 0) coldStart = new TroikaSummary(cold);
        }
        return new CrossValidationReport(candidates, cinc, liu, troika, cincFolds, liuFolds, troikaFolds) { TroikaColdStart = coldStart };
    }

    /// <summary>
    /// outcomes[c][r]: record r under candidate c (same record order for every candidate). For each fold, the
    /// candidate best on the records outside it supplies the fold's outcomes; the result keeps record order.
    /// </summary>
    public static List<T> Choose<T>(IReadOnlyList<IReadOnlyList<T>> outcomes, IReadOnlyList<string> names, Func<T, string> fold, Func<IReadOnlyList<T>, double> objective, List<FoldChoice> choices)
    {
        var first = outcomes[0];
        var keys = first.Select(fold).ToArray();
        for (int c = 1; c < outcomes.Count; c++)
            if (outcomes[c].Count != first.Count || !outcomes[c].Select(fold).SequenceEqual(keys)) throw new InvalidOperationException("candidates disagree on the records");
        var result = new T[first.Count];
        foreach (string f in keys.Distinct().OrderBy(k => k, StringComparer.Ordinal))
        {
            int best = -1;
            double bestValue = double.NegativeInfinity;
            for (int c = 0; c < outcomes.Count; c++)
            {
                var training = outcomes[c].Where((_, r) => keys[r] != f).ToList();
                double v = training.Count == 0 ? double.NaN : objective(training);
                if (double.IsNaN(v)) v = double.NegativeInfinity;
                if (best < 0 || v > bestValue) { best = c; bestValue = v; }
            }
            int held = 0;
            for (int r = 0; r < keys.Length; r++) if (keys[r] == f) { result[r] = outcomes[best][r]; held++; }
            choices.Add(new FoldChoice(f, held, names[best], bestValue));
        }
        return result.ToList();
    }

    /// <summary>
    /// The challenge score over the alarms a PPG can judge: every false alarm, and the true alarms whose event
    /// the offline ECG label finds visible in the PPG (unlabelled true alarms count too). A true alarm the PPG
    /// does not show can only be "caught" by alarming on something else, so scoring it would reward settings
    /// that raise more false alarms.
    /// </summary>
    public static double CincObjective(IReadOnlyList<CincOutcome> outcomes) =>
        ChallengeScore.From(outcomes.Where(o => !o.Alarm.TrueAlarm || o.Visibility?.Visible != false)).Score;

    public static double LiuObjective(IReadOnlyList<LiuSegmentOutcome> segments)
    {
        var s = LiuAlarmSummary.From(segments);
        return double.IsNaN(s.AfSensitivity) || double.IsNaN(s.AfSpecificity) ? double.NaN : s.AfBalancedAccuracy;
    }

    /// <summary>
    /// Minus (the mean over recordings plus the worst recording) of the recording's cost: error in bpm + 20 × the
    /// share of windows withheld + 10 × exercise tachycardia alarms. The worst term is there because the target
    /// holds on every recording: a mean alone let a candidate fail one recording badly for small gains on easy ones.
    /// </summary>
    public static double TroikaObjective(IReadOnlyList<TroikaOutcome> outcomes)
    {
        var cost = outcomes.Select(o => (o.Estimated == 0 ? 100 : o.MeanAbsoluteError) + 20 * (1 - (double.IsNaN(o.Coverage) ? 0 : o.Coverage)) + 10 * o.TachycardiaAlarms).ToList();
        return -(cost.Average() + cost.Max());
    }
}
