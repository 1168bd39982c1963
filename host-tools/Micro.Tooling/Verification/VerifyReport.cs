namespace Micro.Tooling.Verification;

/// <summary>Float model vs quantized blob on the same data: at the output and per layer.</summary>
public sealed record VerifyReport(
    string ModelName,
    int Samples,
    double Top1Agreement,
    double? FloatAccuracy,
    double? QuantizedAccuracy,
    ErrorMetrics Output,
    IReadOnlyList<LayerError> Layers,
    double[] OutputErrorHistogram,
    double HistogramBinWidth)
{
    /// <summary>Output 0 of the float model and of the blob, per sample (dequantized), in sample order.</summary>
    public IReadOnlyList<float[]> FloatOutputs { get; init; } = Array.Empty<float[]>();
    public IReadOnlyList<float[]> QuantizedOutputs { get; init; } = Array.Empty<float[]>();
    /// <summary>The --labels, or null.</summary>
    public long[]? Labels { get; init; }
    /// <summary>With labels: counts [true class][predicted class] (arg-max of output 0), for the float model and the blob.</summary>
    public int[][]? FloatConfusion { get; init; }
    public int[][]? QuantizedConfusion { get; init; }
    /// <summary>The layout the data was read in (e.g. NCHW).</summary>
    public string InputLayout { get; init; } = "";
    /// <summary>What the blob's source hash said about the model (this model, another one with --force, or not recorded).</summary>
    public string? SourceCheck { get; init; }
}

/// <summary>One quantized tensor against its float counterpart.</summary>
public sealed record LayerError(string Tensor, string Op, ErrorMetrics Metrics);
