using System.CommandLine;
using Micro.Tooling;
using Micro.Tooling.Running;

namespace Micro.HostTools.Commands;

/// <summary>micro run FILE.mblob --input DATA --output OUT [--raw] [--no-early-exit]</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var blob = new Argument<FileInfo>("blob") { Description = "the .mblob file" };
        var input = new Option<FileInfo>("--input", "-i") { Description = "input samples: .bin (raw input-tensor bytes back to back)", Required = true };
        var output = new Option<FileInfo>("--output", "-o") { Description = "where to write the outputs (.bin)", Required = true };
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
        if (!input.Extension.Equals(".bin", StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"unsupported input format '{input.Extension}' (use .bin)");
        byte[] result = runner.RunRaw(File.ReadAllBytes(input.FullName));
        if (!raw) result = Dequantize(result, runner);
        AtomicFile.WriteAllBytes(output.FullName, result);
        Console.Error.WriteLine($"micro: {result.Length / (raw ? runner.Output.ByteSize : 4 * runner.Output.ElementCount)} samples → {output.Name}");
        return ExitCodes.Ok;
    }

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
