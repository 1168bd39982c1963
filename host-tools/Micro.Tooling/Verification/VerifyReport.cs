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
    double HistogramBinWidth);

/// <summary>One quantized tensor against its float counterpart.</summary>
public sealed record LayerError(string Tensor, string Op, ErrorMetrics Metrics);
