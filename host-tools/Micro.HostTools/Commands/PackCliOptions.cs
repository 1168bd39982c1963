using System.CommandLine;
using Micro.Tooling.Calibration;
using Micro.Tooling.Packing;

namespace Micro.HostTools.Commands;

/// <summary>The options of `pack` and their reading into one <see cref="PackOptions"/>. ONNX-only values the user
/// did not give stay null, so the core can refuse them by name for a .tflite model.</summary>
public sealed class PackCliOptions
{
    private readonly Option<FileInfo> output = new("--output", "-o") { Description = "the .mblob to write", Required = true };
    private readonly Option<string?> board = new("--board") { Description = "fail unless the blob and arena fit this board's budget (boards/NAME.json)" };
    private readonly Option<string?> name = new("--name") { Description = "model name stored in the blob (default: the file name)" };
    private readonly Option<FileInfo?> calibration = new("--calibration", "-c") { Description = "calibration samples (.npy or .csv, one sample per row/first axis), required for .onnx" };
    private readonly Option<CalibrationMethod> method = new("--method") { Description = "activation range: MinMax, Percentile, Entropy or Mse", DefaultValueFactory = _ => CalibrationMethod.MinMax };
    private readonly Option<double> percentile = new("--percentile") { Description = "for --method Percentile", DefaultValueFactory = _ => PackOptions.DefaultPercentile };
    private readonly Option<bool> perTensor = new("--per-tensor") { Description = "one weight scale per layer instead of per output channel" };
    private readonly Option<string[]> exits = new("--exit") { Description = "NODE:THRESHOLD or NODE:auto — mark graph output NODE as an early-exit head (repeatable)", AllowMultipleArgumentsPerToken = false };
    private readonly Option<bool> exitAuto = new("--exit-auto") { Description = "every graph output after the first is an early-exit head with a calibrated threshold" };
    private readonly Option<double> agreement = new("--exit-agreement") { Description = "for auto thresholds: required agreement with the full network", DefaultValueFactory = _ => PackOptions.DefaultExitAgreement };
    private readonly Option<string[]> int16 = new("--int16") { Description = "run this layer (ONNX node or output tensor name of a Conv/Gemm/MatMul) with int16 activations, TFLite's 16x8 scheme (repeatable)", AllowMultipleArgumentsPerToken = false, HelpName = "NODE" };
    private readonly Option<double?> autoPrecision = new("--auto-precision") { Description = "raise the noisiest layers to int16 until the output SQNR on the calibration data reaches TARGET_DB (exit 1, nothing written, when it cannot)", HelpName = "TARGET_DB" };
    private readonly Option<bool> int16Output = new("--int16-output") { Description = "keep the model's (first) output in int16 instead of converting it to int8; the Conv/Gemm/MatMul computing it runs in int16 (implies --int16 for it); refused when that op is int8-only (Softmax, Sigmoid, Tanh, …) or with exit heads" };
    private readonly Option<int> selfTest = new("--selftest") { Description = "store N input vectors from the calibration data and their expected outputs in the blob (record 4); the device runs them at boot", HelpName = "N" };
    private readonly Option<int> maxSamples = new("--max-calibration-samples") { Description = "use at most this many calibration samples (0 = all)" };

    public static PackCliOptions AddTo(Command cmd)
    {
        var o = new PackCliOptions();
        foreach (var opt in new Option[] { o.output, o.board, o.name, o.calibration, o.method, o.percentile, o.perTensor, o.exits, o.exitAuto, o.agreement, o.maxSamples, o.int16, o.int16Output, o.autoPrecision, o.selfTest })
            cmd.Options.Add(opt);
        return o;
    }

    public FileInfo Output(ParseResult r) => r.GetValue(output)!;

    public string? Board(ParseResult r) => r.GetValue(board);

    public PackOptions Read(ParseResult r, FileInfo model) => new()
    {
        Model = model.FullName,
        Name = r.GetValue(name),
        Calibration = r.GetValue(calibration)?.FullName,
        Method = Given(r, method),
        Percentile = Given(r, percentile),
        PerTensorWeights = Given(r, perTensor),
        Exits = r.GetValue(exits) ?? Array.Empty<string>(),
        ExitAuto = Given(r, exitAuto),
        ExitAgreement = Given(r, agreement),
        MaxCalibrationSamples = Given(r, maxSamples),
        Int16 = r.GetValue(int16) ?? Array.Empty<string>(),
        AutoPrecisionDb = r.GetValue(autoPrecision),
        Int16Output = r.GetValue(int16Output),
        SelfTest = Given(r, selfTest),
    };

    /// <summary>The value the user gave, or null when the option was left at its default.</summary>
    private static T? Given<T>(ParseResult r, Option<T> o) where T : struct => r.GetResult(o) is { Implicit: false } ? r.GetValue(o) : null;
}
