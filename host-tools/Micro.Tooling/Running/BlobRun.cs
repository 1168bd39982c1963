using Micro.Runtime;
using Micro.Runtime.Format;
using Micro.Tooling.Data;

namespace Micro.Tooling.Running;

/// <summary>
/// <c>micro run</c>: reads samples from .bin/.npy/.csv, quantizes float samples with the input's scale and zero
/// point, runs them through the blob with the device's code (<see cref="BlobRunner"/>) and writes the outputs
/// (dequantized float32, or the raw quantized values) as .bin/.npy/.csv.
/// </summary>
public static class BlobRun
{
    public static RunResult Run(RunOptions options)
    {
        var runner = new BlobRunner(File.ReadAllBytes(options.Blob), options.EarlyExit);
        options.Validate();
        byte[] rawOut = runner.RunRaw(ReadInputs(options.Input, runner));
        var t = runner.Output;
        int samples = rawOut.Length / t.ByteSize;
        int[] shape = new[] { samples }.Concat(t.Dims[0] == 1 ? t.Dims.Skip(1) : t.Dims).ToArray();
        bool raw = options.Raw;
        string outExt = Path.GetExtension(options.Output).ToLowerInvariant();
        if (outExt == ".bin")
            AtomicFile.WriteAllBytes(options.Output, raw ? rawOut : Dequantize(rawOut, t));
        else
        {
            var rows = Enumerable.Range(0, samples).Select(s => Enumerable.Range(0, t.ElementCount)
                .Select(i => raw ? (float)Quantized(rawOut, t, s * t.ElementCount + i) : t.Scale * (Quantized(rawOut, t, s * t.ElementCount + i) - t.ZeroPoint)).ToArray()).ToList();
            if (outExt == ".csv") CsvFile.Write(options.Output, rows);
            else if (raw && t.DType == DType.Int8) NpyFile.Write(options.Output, NpyArray.FromInt8(shape, rawOut.Select(b => (sbyte)b).ToArray()));
            else NpyFile.Write(options.Output, NpyArray.FromFloat32(shape, rows.SelectMany(r => r).ToArray()));
        }
        return new RunResult(samples, options.Output);
    }

    /// <summary>Raw input bytes for every sample: .bin as it is; .npy/.csv floats quantized with the input's scale (int8 .npy taken as quantized values).</summary>
    public static byte[] ReadInputs(string input, BlobRunner runner)
    {
        var t = runner.Input;
        string name = Path.GetFileName(input), ext = Path.GetExtension(input);
        var npy = ext.Equals(".npy", StringComparison.OrdinalIgnoreCase) ? NpyFile.Read(input) : null; // read once
        switch (ext.ToLowerInvariant())
        {
            case ".bin":
                return File.ReadAllBytes(input);
            case ".npy" when npy is { DType: NpyDType.Int8 } q:
                SampleData.CheckRank(name, q.Shape, t.Dims);
                if (q.SampleSize != t.ElementCount) throw new InvalidDataException($"{name}: {q.SampleSize} values per sample; the model input [{string.Join(",", t.Dims)}] has {t.ElementCount}");
                return q.Int8!.Select(v => (byte)v).ToArray();
            case ".npy":
            case ".csv":
                var samples = ext.Equals(".csv", StringComparison.OrdinalIgnoreCase)
                    ? SampleData.Load(input, t.Dims)
                    : NpySamples(npy!, name, t);
                for (int s = 0; s < samples.Length; s++)
                    for (int i = 0; i < samples[s].Length; i++)
                        if (!float.IsFinite(samples[s][i]))
                            throw new InvalidDataException($"{name}: sample {s}, value {i} is {samples[s][i].ToString(System.Globalization.CultureInfo.InvariantCulture)}; inputs must be finite numbers");
                var bytes = new byte[samples.Length * t.ByteSize];
                var arena = new sbyte[t.ArenaOffset + t.ByteSize];
                for (int s = 0; s < samples.Length; s++)
                {
                    BlobRunner.Quantize(samples[s], t, arena);
                    Buffer.BlockCopy(arena, t.ArenaOffset, bytes, s * t.ByteSize, t.ByteSize);
                }
                return bytes;
            default:
                throw new InvalidDataException($"unsupported input format '{ext}' (use .bin, .npy or .csv)");
        }
    }

    /// <summary>Float .npy samples; unit dimensions may differ (an NCW [N,1,W] file feeds an NWC [1,W,1] input).</summary>
    private static float[][] NpySamples(NpyArray a, string name, Tensor t)
    {
        SampleData.CheckRank(name, a.Shape, t.Dims);
        var want = t.Dims.Where(d => d != 1);
        if (a.Shape.Length < 1 || !a.Shape.Skip(1).Where(d => d != 1).SequenceEqual(want))
            throw new InvalidDataException($"{name} has shape [{string.Join(",", a.Shape)}]; expected [N,{string.Join(",", t.Dims.Skip(1))}] (N samples of the model input [{string.Join(",", t.Dims)}], channels-last)");
        return Enumerable.Range(0, a.Samples).Select(a.Sample).ToArray();
    }

    private static int Quantized(byte[] raw, Tensor t, int i) =>
        t.DType == DType.Int16 ? BitConverter.ToInt16(raw, 2 * i) : (sbyte)raw[i];

    private static byte[] Dequantize(byte[] raw, Tensor t)
    {
        int n = raw.Length / t.ByteSize * t.ElementCount;
        var result = new byte[4 * n];
        for (int i = 0; i < n; i++)
            BitConverter.TryWriteBytes(result.AsSpan(4 * i), t.Scale * (Quantized(raw, t, i) - t.ZeroPoint));
        return result;
    }
}
