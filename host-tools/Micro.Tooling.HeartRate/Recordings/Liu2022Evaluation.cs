using Micro.HeartRate;

namespace Micro.Tooling.Recordings;

/// <summary>Irregularity the chain reported at the end of one 10 s segment (−1: too few beats).</summary>
public sealed record SegmentIrregularity(Liu2022Segment Segment, int IrregularityPermille, int RateBpm);

/// <summary>Atrial fibrillation vs sinus rhythm separation by the rule-based irregularity.</summary>
public sealed record AfSummary(int AfCount, int AfFlagged, int SinusCount, int SinusFlagged, int ThresholdPermille)
{
    public double Sensitivity => AfCount == 0 ? 0 : (double)AfFlagged / AfCount;

    public double Specificity => SinusCount == 0 ? 0 : 1.0 - (double)SinusFlagged / SinusCount;

    public override string ToString() =>
        $"AF sensitivity {AfFlagged}/{AfCount} ({Sensitivity:P1}), specificity {SinusCount - SinusFlagged}/{SinusCount} ({Specificity:P1}) at irregularity ≥ {ThresholdPermille}‰";
}

/// <summary>
/// Runs each Liu 2022 segment through the chain on its own (10 s from cold) and reads the irregularity of
/// the last step; a segment is flagged irregular at or above the threshold (too few beats: not flagged).
/// </summary>
public static class Liu2022Evaluation
{
    public static SegmentIrregularity Measure(Liu2022Segment segment, HeartRateSettings? template = null)
    {
        var steps = ChainHarness.Run(segment.ToRecording(), template);
        var last = steps[^1];
        return new SegmentIrregularity(segment, last.IrregularityPermille, last.RateBpm);
    }

    public static IReadOnlyList<SegmentIrregularity> MeasureAll(IEnumerable<Liu2022Segment> segments, HeartRateSettings? template = null) =>
        segments.Select(s => Measure(s, template)).ToList();

    public static AfSummary Summarize(IEnumerable<SegmentIrregularity> measured, int thresholdPermille)
    {
        int af = 0, afFlag = 0, sinus = 0, sinusFlag = 0;
        foreach (var m in measured)
        {
            bool flagged = m.IrregularityPermille >= thresholdPermille;
            if (m.Segment.IsAtrialFibrillation) { af++; if (flagged) afFlag++; }
            else if (m.Segment.IsSinus) { sinus++; if (flagged) sinusFlag++; }
        }
        return new AfSummary(af, afFlag, sinus, sinusFlag, thresholdPermille);
    }
}
