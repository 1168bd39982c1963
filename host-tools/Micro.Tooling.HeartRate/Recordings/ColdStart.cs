namespace Micro.Tooling.Recordings;

/// <summary>
/// A TROIKA recording started late: the chain first sees it this many seconds in, mid-exercise, with no history
/// from the rest at the start. TROIKA's recordings all begin at rest, so a tracker can follow the rate up from an
/// easy start; a watch put on during a run, or contact regained after a slip, starts where this does. The
/// reference windows are those that start at or after the cut, shifted to the new start.
/// </summary>
public static class ColdStart
{
    /// <summary>The cuts `micro evaluate` and the tracker's cross-validation use (s).</summary>
    public static readonly int[] Seconds = { 60, 120 };

    /// <summary>The recording id of a cold start: the recording's own id, '@', the cut in seconds, 's'.</summary>
    public static string Id(string recordId, int seconds) => $"{recordId}@{seconds}s";

    public static bool IsColdStart(string recordId) => recordId.Contains('@', StringComparison.Ordinal);

    /// <summary>The recording from <paramref name="seconds"/> in (the accelerometer with it).</summary>
    public static TroikaRecording At(TroikaRecording r, int seconds)
    {
        var rec = r.Recording;
        int skip = (int)Math.Round(seconds * rec.SampleRateHz);
        if (seconds <= 0 || skip >= rec.Length) throw new ArgumentOutOfRangeException(nameof(seconds), $"{seconds} s is not inside {r.RecordId} ({rec.DurationSeconds:F0} s)");
        static double[]? Tail(double[]? x, int n) => x?[n..];
        var cut = new Recording(rec.Name, rec.SampleRateHz, rec.Ppg[skip..], rec.PpgScale, Tail(rec.AccX, skip), Tail(rec.AccY, skip), Tail(rec.AccZ, skip), rec.Polarity)
        {
            FlatToleranceCounts = rec.FlatToleranceCounts,
            MinPulseCounts = rec.MinPulseCounts,
        };
        double shift = skip / rec.SampleRateHz;
        var reference = r.Reference.Where(w => w.StartSeconds >= shift - 1e-9)
            .Select(w => new HrReferenceWindow(w.StartSeconds - shift, w.EndSeconds - shift, w.Bpm)).ToList();
        return new TroikaRecording(Id(r.RecordId, seconds), r.Split, cut, reference);
    }

    /// <summary>The cold starts at each cut of every recording at least a minute longer than the cut.</summary>
    public static IReadOnlyList<TroikaRecording> Of(IEnumerable<TroikaRecording> recordings, IReadOnlyList<int> seconds)
    {
        var list = new List<TroikaRecording>();
        foreach (int s in seconds)
            foreach (var r in recordings)
                if (!IsColdStart(r.RecordId) && r.Recording.DurationSeconds >= s + 60) list.Add(At(r, s));
        return list;
    }

    /// <summary>The recordings followed by their cold starts.</summary>
    public static IReadOnlyList<TroikaRecording> With(IReadOnlyList<TroikaRecording> recordings, IReadOnlyList<int> seconds) =>
        recordings.Concat(Of(recordings, seconds)).ToList();
}
