using Micro.Tooling.Blob;
using Micro.Tooling.Calibration;
using Micro.Tooling.Data;
using Micro.Tooling.Graph;

namespace Micro.Tooling.Onnx;

public sealed record OnnxPackOptions
{
    public OnnxImportOptions Import { get; init; } = new();
    public CalibrationOptions Calibration { get; init; } = new();
    public OnnxQuantizeOptions Quantize { get; init; } = new();
    /// <summary>Use at most this many calibration samples (the first ones); 0 = all.</summary>
    public int MaxCalibrationSamples { get; init; }
}

/// <summary>Everything <c>micro pack</c> makes from an ONNX model: the float graph (for per-layer
/// verification: its tensor names are the quantized graph's), the calibrated ranges, the int8 graph and the blob.</summary>
public sealed record OnnxPackResult(FloatGraph Float, IReadOnlyDictionary<string, TensorRange> Ranges, QGraph Quantized, byte[] Blob, int CalibrationSamples);

/// <summary>The ONNX path of <c>micro pack</c> in one call: import, calibrate on samples in the model's ONNX
/// input layout (.npy with samples on the first axis, or .csv with one sample per row), quantize, emit.
/// <code>
/// var r = OnnxPack.Run("ppg.onnx", "calib.npy", new OnnxPackOptions { Calibration = new() { Method = CalibrationMethod.Entropy } });
/// File.WriteAllBytes("ppg.mblob", r.Blob);
/// </code></summary>
public static class OnnxPack
{
    public static OnnxPackResult Run(string onnxPath, string calibrationPath, OnnxPackOptions? options = null)
    {
        options ??= new OnnxPackOptions();
        var graph = OnnxImporter.Import(onnxPath, options.Import);
        if (graph.Inputs.Count != 1)
            throw new OnnxUnsupportedException($"{Path.GetFileName(onnxPath)} has {graph.Inputs.Count} inputs; calibration from one data file needs a single-input model");
        var samples = SampleData.Load(calibrationPath, graph.Inputs[0].OnnxShape);
        return Run(graph, samples, options);
    }

    /// <summary>Calibrates <paramref name="graph"/> on <paramref name="samples"/> (ONNX layout), quantizes and emits.</summary>
    public static OnnxPackResult Run(FloatGraph graph, IReadOnlyList<float[]> samples, OnnxPackOptions? options = null)
    {
        options ??= new OnnxPackOptions();
        var (ranges, n) = Calibrate(graph, samples, options);
        var q = OnnxQuantizer.Quantize(graph, ranges, options.Quantize);
        return new OnnxPackResult(graph, ranges, q, BlobEmitter.Emit(q), n);
    }

    /// <summary>Every tensor's calibrated range over the first samples (all, or options.MaxCalibrationSamples), and how many were used.</summary>
    public static (Dictionary<string, TensorRange> Ranges, int Samples) Calibrate(FloatGraph graph, IReadOnlyList<float[]> samples, OnnxPackOptions options)
    {
        if (samples.Count == 0) throw new DataFormatException("no calibration samples");
        int n = options.MaxCalibrationSamples > 0 ? Math.Min(options.MaxCalibrationSamples, samples.Count) : samples.Count;
        var cal = new ActivationCalibrator(graph);
        for (int i = 0; i < n; i++) cal.AddOnnxSample(samples[i]);
        return (cal.Ranges(options.Calibration), n);
    }
}
