namespace Micro.Tooling.Recordings;

/// <summary>One 10 s finger-PPG segment of Liu et al. 2022 (100 Hz, min-max scaled to 0..1).</summary>
public sealed record Liu2022Segment(string SegmentId, string Subject, string Split, int LabelCode, string Label, double[] Samples)
{
    public bool IsSinus => Label == "sinus_rhythm";

    public bool IsAtrialFibrillation => Label == "atrial_fibrillation";

    public Recording ToRecording() => new(SegmentId, Liu2022Dataset.SampleRateHz, Samples, Liu2022Dataset.PpgScale);
}

/// <summary>Reader for ppg_arrhythmia_liu2022/segments.csv: seg_id,subject,split,label_code,label,s0..s999.</summary>
public static class Liu2022Dataset
{
    public const double SampleRateHz = 100.0;

    public const int SamplesPerSegment = 1000;

    /// <summary>Segments are 0..1; ×10000 gives a 14-bit-like integer range.</summary>
    public const double PpgScale = 10000.0;

    public static IReadOnlyList<Liu2022Segment> Read(string folder) => ReadFile(Path.Combine(folder, "segments.csv"));

    public static IReadOnlyList<Liu2022Segment> ReadFile(string path)
    {
        using var csv = new CsvReader(path);
        csv.RequireHeader("seg_id", "subject", "split", "label_code", "label", "s0");
        const int width = 5 + SamplesPerSegment;
        if (csv.Header.Count != width)
            throw new CsvFormatException(path, 1, $"header has {csv.Header.Count} columns; expected {width} (5 labels + s0..s{SamplesPerSegment - 1})");
        var list = new List<Liu2022Segment>();
        while (csv.ReadRow(width))
        {
            var samples = new double[SamplesPerSegment];
            for (int i = 0; i < SamplesPerSegment; i++)
            {
                double v = csv.Double(5 + i);
                if (double.IsNaN(v)) throw csv.Error($"column s{i} is NaN");
                samples[i] = v;
            }
            list.Add(new Liu2022Segment(csv.Text(0), csv.Text(1), csv.Text(2), csv.Int(3), csv.Text(4), samples));
        }
        return list;
    }
}
