using System.CommandLine;
using Micro.Tooling;
using Micro.Tooling.Data;
using Micro.Tooling.Running;

namespace Micro.HostTools.Commands;

/// <summary>micro run FILE.mblob --input DATA --output OUT [--raw] [--no-early-exit]</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var blob = new Argument<FileInfo>("blob") { Description = "the .mblob file" };
        var input = new Option<FileInfo>("--input", "-i") { Description = "input samples in the blob's input layout (channels-last): .bin (raw tensor bytes back to back), .npy (samples on the first axis: float32 values are quantized with the input's scale and zero point; int8 values are taken as already-quantized and copied unchanged) or .csv (one sample per row, float values); NaN and infinity are refused", Required = true };
        var output = new Option<FileInfo>("--output", "-o") { Description = "outputs, one row per sample: .bin, .npy or .csv", Required = true };
        var raw = new Option<bool>("--raw") { Description = "write output tensor bytes unchanged instead of dequantized float32" };
        var noExit = new Option<bool>("--no-early-exit") { Description = "always run the full network" };
        var cmd = new Command("run", "run a blob on the host with the device's runtime code, one sample after another");
        cmd.Arguments.Add(blob);
        cmd.Options.Add(input);
        cmd.Options.Add(output);
        cmd.Options.Add(raw);
        cmd.Options.Add(noExit);
        cmd.SetAction(r => CommandErrors.Run(() => Execute(r.GetValue(blob)!, r.GetValue(input)!, r.GetValue(output)!, r.GetValue(raw), !r.GetValue(noExit))));
        return cmd;
    }

    public static int Execute(FileInfo blob, FileInfo input, FileInfo output, bool raw, bool earlyExit)
    {
        var runner = new BlobRunner(File.ReadAllBytes(blob.FullName), earlyExit);
        string outExt = output.Extension.ToLowerInvariant();
        if (outExt is not (".bin" or ".npy" or ".csv")) throw new InvalidDataException($"unsupported output format '{output.Extension}' (use .bin, .npy or .csv)");
        byte[] rawOut = runner.RunRaw(ReadInputs(input, runner));
        var t = runner.Output;
        int samples = rawOut.Length / t.ByteSize;
        int[] shape = new[] { samples }.Concat(t.Dims[0] == 1 ? t.Dims.Skip(1) : t.Dims).ToArray();
        if (outExt == ".bin")
            AtomicFile.WriteAllBytes(output.FullName, raw ? rawOut : Dequantize(rawOut, runner));
        else
        {
            var rows = Enumerable.Range(0, samples).Select(s => Enumerable.Range(0, t.ElementCount)
                .Select(i => raw ? (float)Quantized(rawOut, t, s * t.ElementCount + i) : t.Scale * (Quantized(rawOut, t, s * t.ElementCount + i) - t.ZeroPoint)).ToArray()).ToList();
            if (outExt == ".csv") CsvFile.Write(output.FullName, rows);
            else if (raw && t.DType == Micro.Runtime.Format.DType.Int8) NpyFile.Write(output.FullName, NpyArray.FromInt8(shape, rawOut.Select(b => (sbyte)b).ToArray()));
            else NpyFile.Write(output.FullName, NpyArray.FromFloat32(shape, rows.SelectMany(r => r).ToArray()));
        }
        Console.Error.WriteLine($"micro: {samples} sample{(samples == 1 ? "" : "s")} → {output.Name}");
        return ExitCodes.Ok;
    }

    /// <summary>Raw input bytes for every sample: .bin as it is; .npy/.csv floats quantized with the input's scale (int8 .npy taken as quantized values).</summary>
    private static byte[] ReadInputs(FileInfo input, BlobRunner runner)
    {
        var t = runner.Input;
        switch (input.Extension.ToLowerInvariant())
        {
            case ".bin":
                return File.ReadAllBytes(input.FullName);
            case ".npy" when NpyFile.Read(input.FullName) is { DType: NpyDType.Int8 } q:
                if (q.SampleSize != t.ElementCount) throw new InvalidDataException($"{input.Name}: {q.SampleSize} values per sample; the model input [{string.Join(",", t.Dims)}] has {t.ElementCount}");
                return q.Int8!.Select(v => (byte)v).ToArray();
            case ".npy":
            case ".csv":
                var samples = input.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase)
                    ? SampleData.Load(input.FullName, t.Dims)
                    : NpySamples(input, t);
                for (int s = 0; s < samples.Length; s++)
                    for (int i = 0; i < samples[s].Length; i++)
                        if (!float.IsFinite(samples[s][i]))
                            throw new InvalidDataException($"{input.Name}: sample {s}, value {i} is {samples[s][i].ToString(System.Globalization.CultureInfo.InvariantCulture)}; inputs must be finite numbers");
                var bytes = new byte[samples.Length * t.ByteSize];
                var arena = new sbyte[t.ArenaOffset + t.ByteSize];
                for (int s = 0; s < samples.Length; s++)
                {
                    BlobRunner.Quantize(samples[s], t, arena);
                    Buffer.BlockCopy(arena, t.ArenaOffset, bytes, s * t.ByteSize, t.ByteSize);
                }
                return bytes;
            default:
                throw new InvalidDataException($"unsupported input format '{input.Extension}' (use .bin, .npy or .csv)");
        }
    }

    /// <summary>Float .npy samples; unit dimensions may differ (an NCW [N,1,W] file feeds an NWC [1,W,1] input).</summary>
    private static float[][] NpySamples(FileInfo input, Micro.Runtime.Tensor t)
    {
        var a = NpyFile.Read(input.FullName);
        var want = t.Dims.Where(d => d != 1);
        if (a.Shape.Length < 1 || !a.Shape.Skip(1).Where(d => d != 1).SequenceEqual(want))
            throw new InvalidDataException($"{input.Name} has shape [{string.Join(",", a.Shape)}]; expected [N,{string.Join(",", t.Dims.Skip(1))}] (N samples of the model input [{string.Join(",", t.Dims)}], channels-last)");
        return Enumerable.Range(0, a.Samples).Select(a.Sample).ToArray();
    }

    private static int Quantized(byte[] raw, Micro.Runtime.Tensor t, int i) =>
        t.DType == Micro.Runtime.Format.DType.Int16 ? BitConverter.ToInt16(raw, 2 * i) : (sbyte)raw[i];

    private static byte[] Dequantize(byte[] raw, BlobRunner runner)
    {
        var t = runner.Output;
        int n = raw.Length / t.ByteSize * t.ElementCount;
        var result = new byte[4 * n];
        for (int i = 0; i < n; i++)
        {
            int q = t.DType == Micro.Runtime.Format.DType.Int16 ? BitConverter.ToInt16(raw, 2 * i) : (sbyte)raw[i];
            BitConverter.TryWriteBytes(result.AsSpan(4 * i), t.Scale * (q - t.ZeroPoint));
        }
        return result;
    }
}
