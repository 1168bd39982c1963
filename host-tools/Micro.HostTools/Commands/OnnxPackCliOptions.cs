using System.CommandLine;
using Micro.Tooling.Calibration;
using Micro.Tooling.Packing;

namespace Micro.HostTools.Commands;

/// <summary>The ONNX-only options of `pack` (calibration, quantization and early-exit choices).</summary>
public sealed class OnnxPackCliOptions
{
    private readonly Option<FileInfo?> calibration = new("--calibration", "-c") { Description = "calibration samples (.npy or .csv, one sample per row/first axis), required for .onnx" };
    private readonly Option<CalibrationMethod> method = new("--method") { Description = "activation range: MinMax, Percentile, Entropy or Mse", DefaultValueFactory = _ => CalibrationMethod.MinMax };
    private readonly Option<double> percentile = new("--percentile") { Description = "for --method Percentile", DefaultValueFactory = _ => 99.99 };
    private readonly Option<bool> perTensor = new("--per-tensor") { Description = "one weight scale per layer instead of per output channel" };
    private readonly Option<string[]> exits = new("--exit") { Description = "NODE:THRESHOLD or NODE:auto — mark graph output NODE as an early-exit head (repeatable)", AllowMultipleArgumentsPerToken = false };
    private readonly Option<bool> exitAuto = new("--exit-auto") { Description = "every graph output after the first is an early-exit head with a calibrated threshold" };
    private readonly Option<double> agreement = new("--exit-agreement") { Description = "for auto thresholds: required agreement with the full network", DefaultValueFactory = _ => 0.995 };
    private readonly Option<string[]> int16 = new("--int16") { Description = "run this layer (ONNX node or output tensor name of a Conv/Gemm/MatMul) with int16 activations, TFLite's 16x8 scheme (repeatable)", AllowMultipleArgumentsPerToken = false, HelpName = "NODE" };
    private readonly Option<double?> autoPrecision = new("--auto-precision") { Description = "raise the noisiest layers to int16 until the output SQNR on the calibration data reaches TARGET_DB (exit 1, nothing written, when it cannot)", HelpName = "TARGET_DB" };
    private readonly Option<bool> int16Output = new("--int16-output") { Description = "keep the model's (first) output in int16 instead of converting it to int8; the Conv/Gemm/MatMul computing it runs in int16 (implies --int16 for it); refused when that op is int8-only (Softmax, Sigmoid, Tanh, …) or with exit heads" };
    private readonly Option<int> maxSamples = new("--max-calibration-samples") { Description = "use at most this many calibration samples (0 = all)" };

    public static OnnxPackCliOptions AddTo(Command cmd)
    {
        var o = new OnnxPackCliOptions();
        foreach (var opt in new Option[] { o.calibration, o.method, o.percentile, o.perTensor, o.exits, o.exitAuto, o.agreement, o.maxSamples, o.int16, o.int16Output, o.autoPrecision }) cmd.Options.Add(opt);
        return o;
    }

    public OnnxPackSettings Read(ParseResult r) => new(r.GetValue(calibration)?.FullName, r.GetValue(method), r.GetValue(percentile),
        r.GetValue(perTensor), r.GetValue(exits) ?? Array.Empty<string>(), r.GetValue(exitAuto), r.GetValue(agreement), r.GetValue(maxSamples),
        r.GetValue(int16) ?? Array.Empty<string>(), r.GetValue(autoPrecision), r.GetValue(int16Output));

    /// <summary>The calibration and early-exit options given on this command line (not their defaults); --int16,
    /// --int16-output and --auto-precision are refused for .tflite by PackCommand.Execute itself.</summary>
    public IReadOnlyList<string> Given(ParseResult r) =>
        new Option[] { calibration, method, percentile, perTensor, exits, exitAuto, agreement, maxSamples }
            .Where(o => r.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();

    public static PackResult Pack(string path, string? name, OnnxPackSettings s)
    {
        if (s.Calibration == null) throw new ArgumentException("packing an .onnx model needs --calibration DATA (.npy or .csv)");
        if (s.ExitAgreement is <= 0 or > 1) throw new ArgumentException("--exit-agreement must be in (0, 1]");
        var exitRequests = s.Exits.Select(ExitRequest.Parse).ToList();
        var twice = exitRequests.GroupBy(e => e.Output, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice != null) throw new ArgumentException($"--exit {twice.Key} given {twice.Count()} times; give each exit head once");
        return OnnxPacker.Pack(path, new OnnxPackRequest(s.Calibration, s.Method, s.Percentile, s.PerTensor,
            exitRequests, s.ExitAgreement, s.MaxCalibrationSamples, name, s.ExitAuto, s.Int16, s.AutoPrecisionDb, s.Int16Output));
    }
}

public sealed record OnnxPackSettings(string? Calibration, CalibrationMethod Method, double Percentile, bool PerTensor, string[] Exits, bool ExitAuto, double ExitAgreement, int MaxCalibrationSamples,
    string[] Int16, double? AutoPrecisionDb = null, bool Int16Output = false)
{
    public OnnxPackSettings(string? calibration, CalibrationMethod method, double percentile, bool perTensor, string[] exits, bool exitAuto, double exitAgreement, int maxCalibrationSamples)
        : this(calibration, method, percentile, perTensor, exits, exitAuto, exitAgreement, maxCalibrationSamples, Array.Empty<string>()) { }
}
