using System.CommandLine;
using Micro.Tooling.Packing;

namespace Micro.HostTools.Commands;

/// <summary>The ONNX-only options of `pack` (calibration and quantization choices).</summary>
public sealed class OnnxPackCliOptions
{
    private readonly Option<FileInfo?> calibration = new("--calibration", "-c") { Description = "calibration samples (.npy or .csv), required for .onnx" };

    public static OnnxPackCliOptions AddTo(Command cmd)
    {
        var o = new OnnxPackCliOptions();
        cmd.Options.Add(o.calibration);
        return o;
    }

    public OnnxPackSettings Read(ParseResult r) => new(r.GetValue(calibration)?.FullName);

    public static PackResult Pack(string path, string? name, OnnxPackSettings settings) =>
        throw new InvalidDataException("packing .onnx models is not available in this build yet");
}

public sealed record OnnxPackSettings(string? Calibration);
