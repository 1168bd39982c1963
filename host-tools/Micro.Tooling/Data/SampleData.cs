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
        var sampleShape = inputShape[0] == 1 ? inputShape.Skip(1).ToArray() : inputShape;
        string expected = "[N," + string.Join(",", sampleShape) + "]";
        string shapeText = NpyArray.Format(inputShape);
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            return CsvFile.Read(path, size, shapeText);
        var a = NpyFile.Read(path);
        var s = a.Shape;
        bool ok = s.Length >= 1 && (s.Skip(1).SequenceEqual(sampleShape) || s.Skip(1).SequenceEqual(inputShape));
        if (!ok)
            throw new DataFormatException(
                $"{Path.GetFileName(path)} has shape {NpyArray.Format(s)}; expected {expected} (N samples of the model input {shapeText}, samples on the first axis)");
        var r = new float[a.Samples][];
        for (int i = 0; i < r.Length; i++) r[i] = a.Sample(i);
        return r;
    }
}
