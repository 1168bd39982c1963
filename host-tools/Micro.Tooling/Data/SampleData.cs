namespace Micro.Tooling.Data;

/// <summary>Loads samples (calibration or test inputs) for a model input from .npy or .csv.
/// An .npy file has the samples on its first axis: for a model input [1, C, W] it is [N, C, W] (or
/// [N, 1, C, W]). A .csv file has one flattened sample per row.</summary>
public static class SampleData
{
    public static float[][] Load(string path, int[] inputShape)
    {
        if (inputShape.Length == 0) throw new ArgumentException("empty input shape");
        int size = inputShape.Aggregate(1, (a, b) => a * b);
        var sampleShape = SampleShape(inputShape);
        string shapeText = NpyArray.Format(inputShape);
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            return CsvFile.Read(path, size, shapeText);
        var a = NpyFile.Read(path);
        var s = a.Shape;
        bool ok = s.Length >= 1 && (s.Skip(1).SequenceEqual(sampleShape) || s.Skip(1).SequenceEqual(inputShape));
        if (!ok) throw WrongShape(Path.GetFileName(path), s, inputShape);
        var r = new float[a.Samples][];
        for (int i = 0; i < r.Length; i++) r[i] = a.Sample(i);
        return r;
    }

    /// <summary>Refuses a file whose samples (first axis off) have another rank than the model input without its batch
    /// axis (unless they are the input shape itself, batch axis of 1 kept): a [4,4,16,1] file is not four samples of a
    /// [1,4,16] input, whatever its element count.</summary>
    public static void CheckRank(string name, int[] fileShape, int[] inputShape)
    {
        int rank = fileShape.Length - 1;
        bool withBatchAxis = rank == inputShape.Length && fileShape.AsSpan(1).SequenceEqual(inputShape); // [N,1,C,W] for [1,C,W]
        if (rank != SampleShape(inputShape).Length && !withBatchAxis) throw WrongShape(name, fileShape, inputShape);
    }

    /// <summary>What one sample of <paramref name="inputShape"/> looks like in a file: the input without its batch axis of 1.</summary>
    private static int[] SampleShape(int[] inputShape) => inputShape.Length > 1 && inputShape[0] == 1 ? inputShape[1..] : inputShape;

    private static DataFormatException WrongShape(string name, int[] fileShape, int[] inputShape)
    {
        var sample = SampleShape(inputShape);
        string expected = "[N," + string.Join(",", sample) + "]";
        long want = sample.Aggregate(1L, (a, b) => a * b);
        long per = fileShape.Skip(1).Aggregate(1L, (a, b) => a * b);
        string hint = fileShape.Length >= 1 && per == want
            ? $"; the values per sample match, so reshape it (numpy: a.reshape({fileShape[0]}, {string.Join(", ", sample)}))"
            : "";
        return new DataFormatException(
            $"{name} has shape {NpyArray.Format(fileShape)}; expected {expected} (N samples of the model input {NpyArray.Format(inputShape)}, samples on the first axis){hint}");
    }
}
