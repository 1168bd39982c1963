using System.CommandLine;
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
        var result = BlobRun.Run(new RunOptions { Blob = blob.FullName, Input = input.FullName, Output = output.FullName, Raw = raw, EarlyExit = earlyExit });
        Console.Error.WriteLine($"micro: {result.Samples} sample{(result.Samples == 1 ? "" : "s")} → {output.Name}");
        return ExitCodes.Ok;
    }
}
