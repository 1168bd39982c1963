using System.CommandLine;
using Micro.Tooling.Running;

namespace Micro.HostTools.Commands;

/// <summary>micro run FILE.mblob --input DATA --output OUT [--layout L] [--raw] [--no-early-exit]</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var blob = new Argument<FileInfo>("blob") { Description = "the .mblob file" };
        var input = new Option<FileInfo>("--input", "-i") { Description = "input samples: .npy (samples on the first axis, each in the source model's layout, e.g. [N,C,H,W] for a PyTorch image model; see --layout; float32 values are quantized with the input's scale and zero point; int8 values are taken as already-quantized and copied unchanged) .csv (one sample per row, float values, in the same layout) or .bin (the blob input's raw channels-last tensor bytes back to back); NaN and infinity are refused", Required = true };
        var output = new Option<FileInfo>("--output", "-o") { Description = "outputs, one row per sample: .bin, .npy or .csv", Required = true };
        var raw = new Option<bool>("--raw") { Description = "write output tensor bytes unchanged instead of dequantized float32" };
        var noExit = new Option<bool>("--no-early-exit") { Description = "always run the full network" };
        var layout = new Option<string?>("--layout") { Description = InputLayout.OptionHelp, HelpName = "model|as-blob|NCHW|NHWC|NCW|NWC" };
        var cmd = new Command("run", "run a blob on the host with the device's runtime code, one sample after another");
        cmd.Arguments.Add(blob);
        cmd.Options.Add(input);
        cmd.Options.Add(output);
        cmd.Options.Add(raw);
        cmd.Options.Add(noExit);
        cmd.Options.Add(layout);
        cmd.SetAction(r => CommandErrors.Run(() => Execute(r.GetValue(blob)!, r.GetValue(input)!, r.GetValue(output)!, r.GetValue(raw), !r.GetValue(noExit), r.GetValue(layout))));
        return cmd;
    }

    public static int Execute(FileInfo blob, FileInfo input, FileInfo output, bool raw, bool earlyExit, string? layout = null)
    {
        var result = BlobRun.Run(new RunOptions { Blob = blob.FullName, Input = input.FullName, Output = output.FullName, Raw = raw, EarlyExit = earlyExit, Layout = layout });
        Console.Error.WriteLine($"micro: {result.Samples} sample{(result.Samples == 1 ? "" : "s")} → {output.Name}");
        return ExitCodes.Ok;
    }
}
