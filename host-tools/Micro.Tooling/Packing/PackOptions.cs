using Micro.Tooling.Calibration;

namespace Micro.Tooling.Packing;

/// <summary>
/// Everything <c>micro pack</c> is asked to do, as one immutable value. <see cref="Validate"/> owns every rule
/// that can be checked before the model is read; <see cref="Packer.Pack"/> calls it first. The ONNX-only values
/// are null (or empty) when not given, so a .tflite model can refuse them by name.
/// <code>
/// var result = Packer.Pack(new PackOptions { Model = "ppg.onnx", Calibration = "calib.npy", Exits = new[] { "exit1:auto" } });
/// File.WriteAllBytes("ppg.mblob", result.Blob);
/// </code>
/// </summary>
public sealed class PackOptions
{
    public const double DefaultPercentile = 99.99;
    public const double DefaultExitAgreement = 0.995;

    /// <summary>The model file: an int8 .tflite, or a float .onnx (which needs <see cref="Calibration"/>).</summary>
    public required string Model { get; init; }
    /// <summary>Model name stored in the blob; null = the file name without its extension.</summary>
    public string? Name { get; init; }

    // ONNX only: calibration, quantization and exit heads.
    /// <summary>Calibration samples (.npy or .csv) in the model's ONNX input layout.</summary>
    public string? Calibration { get; init; }
    public CalibrationMethod? Method { get; init; }
    /// <summary>For <see cref="CalibrationMethod.Percentile"/>; null = <see cref="DefaultPercentile"/>.</summary>
    public double? Percentile { get; init; }
    /// <summary>One weight scale per layer instead of per output channel.</summary>
    public bool? PerTensorWeights { get; init; }
    /// <summary>Exit heads as NODE:THRESHOLD or NODE:auto.</summary>
    public IReadOnlyList<string> Exits { get; init; } = Array.Empty<string>();
    /// <summary>Every graph output after the first is an exit head with a calibrated threshold.</summary>
    public bool? ExitAuto { get; init; }
    /// <summary>For calibrated thresholds: the required agreement with the full network; null = <see cref="DefaultExitAgreement"/>.</summary>
    public double? ExitAgreement { get; init; }
    /// <summary>Use at most this many calibration samples (the first ones); null or 0 = all.</summary>
    public int? MaxCalibrationSamples { get; init; }
    /// <summary>ONNX node or tensor names of layers to run with int16 activations.</summary>
    public IReadOnlyList<string> Int16 { get; init; } = Array.Empty<string>();
    /// <summary>Raise layers to int16 until the output SQNR on the calibration data reaches this many dB.</summary>
    public double? AutoPrecisionDb { get; init; }
    /// <summary>Store this many self-test vectors picked from the calibration data (metadata record 4,
    /// <see cref="SelfTestRecord"/>); null or 0 = none.</summary>
    public int? SelfTest { get; init; }
    /// <summary>Keep the first output in int16; the layer computing it is marked int16.</summary>
    public bool Int16Output { get; init; }

    /// <summary>The allowed range of each numeric option, by its command-line name (the CLI checks them while parsing).</summary>
    public static IReadOnlyList<OptionRange> Ranges { get; } = new[]
    {
        new OptionRange("--percentile", v => v > 0 && v <= 100, "a percentile in (0, 100]"),
        new OptionRange("--auto-precision", v => v > 0 && !double.IsInfinity(v), "a target SQNR in dB, greater than 0"),
        new OptionRange("--max-calibration-samples", v => v >= 0, "0 (all) or a positive count"),
        new OptionRange("--exit-agreement", v => v > 0 && v <= 1, "a share in (0, 1]"),
        new OptionRange("--selftest", v => v >= 0 && v <= SelfTestRecord.MaxVectors, $"0 (none) to {SelfTestRecord.MaxVectors} vectors"),
    };

    public bool IsTflite => Model.EndsWith(".tflite", StringComparison.OrdinalIgnoreCase);
    public bool IsOnnx => Model.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    public CalibrationOptions CalibrationOptions => new() { Method = Method ?? CalibrationMethod.MinMax, Percentile = Percentile ?? DefaultPercentile };

    /// <summary>The exit heads, parsed (call <see cref="Validate"/> first for the messages).</summary>
    public IReadOnlyList<ExitHeadRequest> ExitHeadRequests => Exits.Select(ExitHeadRequest.Parse).ToList();

    /// <summary>The calibration and early-exit options that were given (a .tflite model refuses them), in the CLI's order.</summary>
    public IReadOnlyList<string> OnnxOnlyGiven()
    {
        var given = new List<string>();
        if (Calibration != null) given.Add("--calibration");
        if (Method != null) given.Add("--method");
        if (Percentile != null) given.Add("--percentile");
        if (PerTensorWeights != null) given.Add("--per-tensor");
        if (Exits.Count > 0) given.Add("--exit");
        if (ExitAuto != null) given.Add("--exit-auto");
        if (ExitAgreement != null) given.Add("--exit-agreement");
        if (MaxCalibrationSamples != null) given.Add("--max-calibration-samples");
        if (SelfTest != null) given.Add("--selftest");
        return given;
    }

    /// <summary>
    /// Every rule that needs no model contents, in the order a user meets them. Throws ArgumentException
    /// (a bad combination or value), FileNotFoundException (no model file) or InvalidDataException (not a
    /// model format). Rules that need the model (a name given to --int16, the number of inputs) are checked
    /// while packing.
    /// </summary>
    public void Validate()
    {
        if (IsTflite && OnnxOnlyGiven() is { Count: > 0 } onnxOnly)
            throw new ArgumentException($"{string.Join(", ", onnxOnly)} {(onnxOnly.Count == 1 ? "applies" : "apply")} to float .onnx models only; a .tflite model is packed with the quantization it already has");
        if (!File.Exists(Model)) throw new FileNotFoundException("model not found", Path.GetFullPath(Model));
        if (IsTflite)
        {
            if (Int16.Count > 0 || AutoPrecisionDb != null || Int16Output)
                throw new ArgumentException("--int16, --int16-output and --auto-precision quantize float .onnx models; a .tflite model is packed with the quantization it has");
            return;
        }
        if (!IsOnnx)
            throw new InvalidDataException($"unknown model format '{Path.GetExtension(Model)}': use .tflite (int8) or .onnx (float, with --calibration)");
        if (Calibration == null) throw new ArgumentException("packing an .onnx model needs --calibration DATA (.npy or .csv)");
        ValidateQuantization();
    }

    /// <summary>The ONNX quantization rules alone (also for a graph and samples already in memory).</summary>
    public void ValidateQuantization()
    {
        foreach (var r in Ranges)
        {
            double? v = r.Option switch
            {
                "--percentile" => Percentile,
                "--auto-precision" => AutoPrecisionDb is { } a && double.IsNaN(a) ? double.PositiveInfinity : AutoPrecisionDb,
                "--max-calibration-samples" => MaxCalibrationSamples,
                "--selftest" => SelfTest,
                _ => ExitAgreement,
            };
            if (v is { } x && !(r.Ok(x) && !double.IsNaN(x)))
                throw new ArgumentException(r.Option == "--auto-precision" && double.IsInfinity(x) ? "--auto-precision needs a finite target in dB" : $"{r.Option} {x.ToString(System.Globalization.CultureInfo.InvariantCulture)}: expected {r.Expected}");
        }
        var exits = ExitHeadRequests;
        var twice = exits.GroupBy(e => e.Output, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice != null) throw new ArgumentException($"--exit {twice.Key} given {twice.Count()} times; give each exit head once");
        if (Int16Output && (ExitAuto == true || exits.Count > 0))
            throw new ArgumentException("--int16-output cannot be combined with early-exit heads (--exit, --exit-auto): an exit returns its int8 scores in place of the output, so the output's type would depend on the sample");
    }
}

/// <summary>The allowed values of one numeric option and how to say them.</summary>
public sealed record OptionRange(string Option, Func<double, bool> Ok, string Expected);
