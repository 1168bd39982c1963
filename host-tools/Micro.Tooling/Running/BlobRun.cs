using Micro.Runtime;
using Micro.Runtime.Format;
using Micro.Tooling.Data;
using Micro.Tooling.Inspection;

namespace Micro.Tooling.Running;

/// <summary>
/// <c>micro run</c>: reads samples from .bin/.npy/.csv (.npy/.csv in the source model's layout, see
/// <see cref="InputLayout"/>), transposes them to the blob's channels-last input, quantizes float samples with the input's scale and zero
/// point, runs them through the blob with the device's code (<see cref="BlobRunner"/>) and writes the outputs
/// (dequantized float32, or the raw quantized values) as .bin/.npy/.csv.
/// </summary>
public static class BlobRun
{
    public static RunResult Run(RunOptions options)
    {
        var runner = new BlobRunner(File.ReadAllBytes(options.Blob), options.EarlyExit);
        options.Validate();
        string layout = InputLayout.Resolve(options.Layout, BlobMetadata.Read(runner.Model).InputLayout, runner.Input.Dims.Length);
        byte[] rawOut = runner.RunRaw(ReadInputs(options.Input, runner, layout));
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

    /// <summary>
    /// Raw input bytes for every sample: .bin as it is (the device's channels-last bytes); .npy/.csv in
    /// <paramref name="layout"/> (see <see cref="InputLayout"/>), transposed to channels-last, floats quantized with
    /// the input's scale (int8 .npy taken as quantized values).
    /// </summary>
    public static byte[] ReadInputs(string input, BlobRunner runner, string layout)
    {
        var t = runner.Input;
        string name = Path.GetFileName(input), ext = Path.GetExtension(input);
        int[] shape = InputLayout.SourceShape(t.Dims, layout);
        var npy = ext.Equals(".npy", StringComparison.OrdinalIgnoreCase) ? NpyFile.Read(input) : null; // read once
        switch (ext.ToLowerInvariant())
        {
            case ".bin":
                return File.ReadAllBytes(input);
            case ".npy" when npy is { DType: NpyDType.Int8 } q:
                SampleData.CheckRank(name, q.Shape, shape);
                if (q.SampleSize != t.ElementCount) throw new InvalidDataException($"{name}: {q.SampleSize} values per sample; the model input [{string.Join(",", shape)}] ({layout}) has {t.ElementCount}");
                if (InputLayout.IsChannelsFirst(layout)) CheckShape(name, q.Shape, t, shape, layout); // transposing needs the sample's shape
                var quantized = new byte[q.Int8!.Length];
                for (int s = 0; s < q.Samples; s++)
                {
                    var sample = InputLayout.ToChannelsLast(q.Int8.AsSpan(s * q.SampleSize, q.SampleSize).ToArray(), t.Dims, layout);
                    for (int i = 0; i < sample.Length; i++) quantized[s * q.SampleSize + i] = (byte)sample[i];
                }
                return quantized;
            case ".npy":
            case ".csv":
                var samples = ext.Equals(".csv", StringComparison.OrdinalIgnoreCase)
                    ? SampleData.Load(input, shape)
                    : NpySamples(npy!, name, t, shape, layout);
                for (int s = 0; s < samples.Length; s++)
                    for (int i = 0; i < samples[s].Length; i++)
                        if (!float.IsFinite(samples[s][i]))
                            throw new InvalidDataException($"{name}: sample {s}, value {i} is {samples[s][i].ToString(System.Globalization.CultureInfo.InvariantCulture)}; inputs must be finite numbers");
                var bytes = new byte[samples.Length * t.ByteSize];
                var arena = new sbyte[t.ArenaOffset + t.ByteSize];
                for (int s = 0; s < samples.Length; s++)
                {
                    BlobRunner.Quantize(InputLayout.ToChannelsLast(samples[s], t.Dims, layout), t, arena);
                    Buffer.BlockCopy(arena, t.ArenaOffset, bytes, s * t.ByteSize, t.ByteSize);
                }
                return bytes;
            default:
                throw new InvalidDataException($"unsupported input format '{ext}' (use .bin, .npy or .csv)");
        }
    }

    /// <summary>Float .npy samples in <paramref name="layout"/>; unit dimensions may differ (an NCW [N,1,W] file feeds an NWC [1,W,1] input).</summary>
    private static float[][] NpySamples(NpyArray a, string name, Tensor t, int[] shape, string layout)
    {
        SampleData.CheckRank(name, a.Shape, shape);
        CheckShape(name, a.Shape, t, shape, layout);
        return Enumerable.Range(0, a.Samples).Select(a.Sample).ToArray();
    }

    /// <summary>Samples on the first axis, each the input's shape in the data's layout (unit dimensions aside).</summary>
    private static void CheckShape(string name, int[] fileShape, Tensor t, int[] shape, string layout)
    {
        if (fileShape.Length >= 1 && fileShape.Skip(1).Where(d => d != 1).SequenceEqual(shape.Where(d => d != 1))) return;
        string other = InputLayout.IsChannelsFirst(layout)
            ? $"; data in the blob's channels-last layout [N,{string.Join(",", t.Dims.Skip(1))}] needs --layout {InputLayout.AsBlob}"
            : InputLayout.ChannelsFirst(t.Dims.Length) is var cf && cf != layout
                ? $"; channels-first data [N,{string.Join(",", InputLayout.SourceShape(t.Dims, cf).Skip(1))}] needs --layout {cf}" : "";
        throw new InvalidDataException($"{name} has shape [{string.Join(",", fileShape)}]; expected [N,{string.Join(",", shape.Skip(1))}] (N samples of the model input [{string.Join(",", shape)}], {layout}){other}");
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
