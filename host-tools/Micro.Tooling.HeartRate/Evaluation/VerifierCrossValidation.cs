using Micro.HeartRate;
using Micro.HeartRate.Alarms;
using Micro.Tooling.Recordings;

namespace Micro.Tooling.Evaluation;

/// <summary>One candidate verifier policy for one alarm type: keep or suppress when uncertain, and either the type's
/// refutation limit (bpm, 0 = rule off: bradycardia, tachycardia, VT) or whether a PPG without pulse confirms it
/// (asystole, flutter/fibrillation).</summary>
public sealed record VerifierCandidate(BedsideAlarm Type, bool KeepUncertain, int RefuteBpm, bool PulseLossConfirms = false)
{
    public string Name => (KeepUncertain ? "keep" : "suppress") + " uncertain"
        + (HasLimit(Type) ? RefuteBpm == 0 ? ", refutation off" : $", refute at {(Type == BedsideAlarm.Bradycardia ? "≥" : "≤")} {RefuteBpm} bpm"
            : PulseLossConfirms ? ", no pulse confirms" : "");

    /// <summary>Whether the type's refutation has a rate limit to choose.</summary>
    public static bool HasLimit(BedsideAlarm type) => type is BedsideAlarm.Bradycardia or BedsideAlarm.Tachycardia or BedsideAlarm.VentricularTachycardia;

    /// <summary>A copy of the settings with this candidate's choice for its type (the other types untouched).</summary>
    public HeartRateSettings Apply(HeartRateSettings template)
    {
        var s = ChainHarness.Clone(template);
        int bit = 1 << (int)Type;
        s.VerifierKeepUncertainMask = KeepUncertain ? s.VerifierKeepUncertainMask | bit : s.VerifierKeepUncertainMask & ~bit;
        if (!HasLimit(Type))
            s.VerifierPulseLossConfirmsMask = PulseLossConfirms ? s.VerifierPulseLossConfirmsMask | bit : s.VerifierPulseLossConfirmsMask & ~bit;
        switch (Type)
        {
            case BedsideAlarm.Bradycardia: s.VerifierBradyRefuteBpm = RefuteBpm; break;
            case BedsideAlarm.Tachycardia: s.VerifierTachyRefuteBpm = RefuteBpm; break;
            case BedsideAlarm.VentricularTachycardia: s.VerifierVtRefuteBpm = RefuteBpm; break;
        }
        return s;
    }
}

/// <summary>The policy one fold's training part chose for one alarm type.</summary>
public sealed record VerifierFoldChoice(string AlarmType, FoldChoice Choice);

/// <summary>The verifier's cross-validated figures: every CinC fold decided with the per-type policy chosen on the
/// other folds; plus the choice on all records (what the defaults should be).</summary>
public sealed record VerifierCrossValidationReport(VerifierSummary Summary, IReadOnlyList<VerifierFoldChoice> Folds, IReadOnlyList<(string AlarmType, string Candidate)> AllRecordsChoice)
{
    public Dictionary<string, object?> ToJsonObject()
    {
        var root = Summary.ToJsonObject($"cross-validated: each of the {SubjectFolds.CincFolds} CinC folds decided with the per-type uncertain policy and refutation limit chosen on the other folds (objective: that type's challenge score); the chain's own settings are the defaults");
        root["folds"] = Folds.Select(f => new Dictionary<string, object?>
        {
            ["alarm_type"] = f.AlarmType,
            ["fold"] = f.Choice.Fold,
            ["held_out"] = f.Choice.HeldOut,
            ["chosen"] = f.Choice.Candidate,
            ["training_score"] = EvaluationJson.Num(f.Choice.TrainingObjective),
        }).ToList();
        root["chosen_on_all_records"] = AllRecordsChoice.ToDictionary(c => c.AlarmType, c => (object?)c.Candidate);
        return root;
    }
}

/// <summary>
/// Chooses the verifier's per-type policy without the records it is scored on: for each alarm type and each CinC
/// fold (<see cref="SubjectFolds.CincFoldOf"/>), the candidate (<see cref="Candidates"/>) with the best challenge
/// score of that type on the other folds decides the fold's records. Ties keep the earlier candidate: keeping when
/// uncertain before suppressing (a missed true alarm costs five false ones), a rule off before it is on, and a
/// limit that refutes less before one that refutes more. The verifier observes the chain run with its default
/// settings; only the verifier's choices are cross-validated here.
/// </summary>
public static class VerifierCrossValidation
{
    /// <summary>Bradycardia: a clean pulse at or above this refutes (higher refutes less).</summary>
    public static readonly int[] BradyLimits = { 60, 55, 50, 45 };

    /// <summary>Tachycardia: a clean pulse at or below this refutes (lower refutes less).</summary>
    public static readonly int[] TachyLimits = { 90, 100, 110, 120, 130 };

    /// <summary>Ventricular tachycardia: a clean pulse at or below this refutes.</summary>
    public static readonly int[] VtLimits = { 100, 110, 120, 130, 140 };

    /// <summary>The candidates of one type, in tie-break order.</summary>
    public static IReadOnlyList<VerifierCandidate> Candidates(BedsideAlarm type)
    {
        int[] limits = type switch
        {
            BedsideAlarm.Bradycardia => BradyLimits,
            BedsideAlarm.Tachycardia => TachyLimits,
            BedsideAlarm.VentricularTachycardia => VtLimits,
            _ => Array.Empty<int>(),
        };
        var list = new List<VerifierCandidate>();
        foreach (bool keep in new[] { true, false })
        {
            if (!VerifierCandidate.HasLimit(type))
            {
                list.Add(new VerifierCandidate(type, keep, 0));
                list.Add(new VerifierCandidate(type, keep, 0, PulseLossConfirms: true));
                continue;
            }
            list.Add(new VerifierCandidate(type, keep, 0));
            foreach (int limit in limits) list.Add(new VerifierCandidate(type, keep, limit));
        }
        return list;
    }

    /// <summary>outcomes: the chain's CinC outcomes (with their verifiers); template: the settings the other types and
    /// the window/refute seconds come from.</summary>
    public static VerifierCrossValidationReport Run(IReadOnlyList<CincOutcome> outcomes, HeartRateSettings? template = null)
    {
        template ??= new HeartRateSettings();
        var foldOf = SubjectFolds.CincFoldOf(outcomes.Select(o => o.Alarm));
        var decided = new VerifierOutcome?[outcomes.Count];
        var folds = new List<VerifierFoldChoice>();
        var all = new List<(string, string)>();
        foreach (var g in outcomes.Select((o, i) => (o, i)).GroupBy(x => x.o.Alarm.AlarmType).OrderBy(g => g.Key))
        {
            var records = g.ToList();
            var candidates = Candidates(CincEvaluation.Bedside(g.Key));
            var perCandidate = candidates.Select(c =>
            {
                var s = c.Apply(template);
                return (IReadOnlyList<VerifierOutcome>)records.Select(x => VerifierSummary.Decide(x.o, s)).ToList();
            }).ToList();
            var choices = new List<FoldChoice>();
            var chosen = CrossValidation.Choose(perCandidate, candidates.Select(c => c.Name).ToList(),
                o => "fold " + (foldOf[o.Alarm.RecordId] + 1), Objective, choices);
            for (int k = 0; k < records.Count; k++) decided[records[k].i] = chosen[k];
            folds.AddRange(choices.Select(c => new VerifierFoldChoice(g.Key.ToString(), c)));
            all.Add((g.Key.ToString(), candidates[Best(perCandidate)].Name));
        }
        return new VerifierCrossValidationReport(new VerifierSummary(decided.Select(d => d!).ToList()), folds, all);
    }

    /// <summary>The challenge score of a set of decisions (higher is better).</summary>
    public static double Objective(IReadOnlyList<VerifierOutcome> outcomes) => VerifierSummary.Score(outcomes).Score;

    /// <summary>Index of the candidate with the best objective over all its records (ties: the earliest).</summary>
    public static int Best(IReadOnlyList<IReadOnlyList<VerifierOutcome>> perCandidate)
    {
        int best = 0;
        for (int c = 1; c < perCandidate.Count; c++)
            if (Objective(perCandidate[c]) > Objective(perCandidate[best])) best = c;
        return best;
    }
}
