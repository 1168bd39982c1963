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

    /// <summary>
    /// A continuous normal-rhythm recording from separate 10 s segments of one subject (the data set has no
    /// long sinus recording): each segment is cut from its first pulse onset to its last, and the pieces are
    /// joined onset to onset. Every beat interval of the result is one the subject really had (a segment's
    /// last kept beat ends where the next piece's first beat starts), so a join adds no phase jump, no
    /// short or long beat and no irregularity; only the level may step a little (each segment is min-max
    /// scaled on its own, and both sides of a join are pulse feet). Segments with fewer than two onsets are
    /// skipped. Onsets: the lowest sample in the 300 ms before each upstroke, an upstroke being the largest
    /// 40 ms rise above half the segment's largest, at least 300 ms from the previous one.
    /// </summary>
    public static Recording JoinAtPulseOnsets(string name, IEnumerable<Liu2022Segment> segments)
    {
        var joined = new List<double>();
        foreach (var seg in segments)
        {
            var onsets = PulseOnsets(seg.Samples);
            if (onsets.Count < 2) continue;
            joined.AddRange(seg.Samples[onsets[0]..onsets[^1]]);
        }
        if (joined.Count == 0) throw new InvalidDataException($"{name}: no segment with two pulse onsets to join");
        return new Recording(name, SampleRateHz, joined.ToArray(), PpgScale);
    }

    /// <summary>Sample indices of the pulse onsets of one segment (see <see cref="JoinAtPulseOnsets"/>).</summary>
    public static List<int> PulseOnsets(double[] x)
    {
        const int Rise = 4;        // 40 ms at 100 Hz
        const int Refractory = 30; // 300 ms
        int n = x.Length - Rise;
        var rise = new double[Math.Max(n, 0)];
        double top = 0;
        for (int i = 0; i < n; i++)
        {
            rise[i] = x[i + Rise] - x[i];
            top = Math.Max(top, rise[i]);
        }
        var onsets = new List<int>();
        int last = -Refractory;
        for (int i = 1; i < n - 1; i++)
        {
            if (rise[i] < top / 2 || rise[i] < rise[i - 1] || rise[i] < rise[i + 1] || i - last < Refractory) continue;
            // The largest rise within the refractory period ahead is the upstroke.
            int best = i;
            for (int j = i + 1; j < Math.Min(n, i + Refractory); j++) if (rise[j] > rise[best]) best = j;
            if (best != i) continue;
            int foot = best;
            for (int j = Math.Max(0, best - Refractory); j <= best; j++) if (x[j] < x[foot]) foot = j;
            if (onsets.Count == 0 || foot > onsets[^1]) onsets.Add(foot);
            last = best;
        }
        return onsets;
    }
}
