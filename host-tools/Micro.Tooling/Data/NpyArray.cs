namespace Micro.Tooling.Data;

public enum NpyDType { Float32, Int8, Int64 }

/// <summary>An n-dimensional array as stored in a .npy file (C order). By convention the first axis counts
/// samples.</summary>
public sealed class NpyArray
{
    private NpyArray(int[] shape, NpyDType type, float[]? f, sbyte[]? b, long[]? l)
    {
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException("negative dimension");
            count *= d;
        }
        int have = f?.Length ?? b?.Length ?? l!.Length;
        if (have != count) throw new ArgumentException($"{have} values for shape {Format(shape)} ({count} expected)");
        Shape = shape; DType = type; Float32 = f; Int8 = b; Int64 = l;
    }

    public static NpyArray FromFloat32(int[] shape, float[] data) => new(shape, NpyDType.Float32, data, null, null);
    public static NpyArray FromInt8(int[] shape, sbyte[] data) => new(shape, NpyDType.Int8, null, data, null);
    public static NpyArray FromInt64(int[] shape, long[] data) => new(shape, NpyDType.Int64, null, null, data);

    /// <summary>Stacks equally long samples along a new first axis: shape [samples.Length, ..sampleShape].</summary>
    public static NpyArray Stack(int[] sampleShape, IReadOnlyList<float[]> samples)
    {
        int size = sampleShape.Aggregate(1, (a, b) => a * b);
        var data = new float[samples.Count * size];
        for (int i = 0; i < samples.Count; i++)
        {
            if (samples[i].Length != size) throw new ArgumentException($"sample {i} has {samples[i].Length} values, shape {Format(sampleShape)} needs {size}");
            samples[i].CopyTo(data, i * size);
        }
        return FromFloat32(new[] { samples.Count }.Concat(sampleShape).ToArray(), data);
    }

    public int[] Shape { get; }
    public NpyDType DType { get; }
    public float[]? Float32 { get; }
    public sbyte[]? Int8 { get; }
    public long[]? Int64 { get; }

    public int Count => Float32?.Length ?? Int8?.Length ?? Int64!.Length;
    public int Samples => Shape.Length == 0 ? 1 : Shape[0];
    public int SampleSize => Shape.Length == 0 ? 1 : Shape.Skip(1).Aggregate(1, (a, b) => a * b);

    /// <summary>Sample i (first axis) as floats, whatever the element type.</summary>
    public float[] Sample(int i)
    {
        if (i < 0 || i >= Samples) throw new ArgumentOutOfRangeException(nameof(i));
        int n = SampleSize;
        var s = new float[n];
        for (int k = 0; k < n; k++)
            s[k] = DType switch
            {
                NpyDType.Float32 => Float32![i * n + k],
                NpyDType.Int8 => Int8![i * n + k],
                _ => Int64![i * n + k],
            };
        return s;
    }

    internal static string Format(int[] shape) => "[" + string.Join(",", shape) + "]";
    public override string ToString() => $"{DType} {Format(Shape)}";
}
