using Micro.Tooling.Onnx;

namespace Micro.Tooling.Calibration;

/// <summary>Collects every tensor's values while the float executor runs a calibration set, then gives
/// per-tensor quantization ranges.
/// <code>
/// var cal = new ActivationCalibrator(graph);
/// foreach (var x in samples) cal.AddOnnxSample(x);
/// var ranges = cal.Ranges(new CalibrationOptions { Method = CalibrationMethod.Percentile });
/// </code></summary>
public sealed class ActivationCalibrator
{
    private readonly FloatExecutor _exec;
    private readonly Dictionary<string, TensorHistogram> _hist = new(StringComparer.Ordinal);

    public ActivationCalibrator(FloatGraph graph, int halfBins = 2048)
    {
        _exec = new FloatExecutor(graph);
        foreach (var name in graph.Inputs.Select(i => i.Tensor).Concat(graph.Nodes.Select(n => n.Output)))
            _hist[name] = new TensorHistogram(halfBins);
    }

    public int Samples { get; private set; }
    public IReadOnlyDictionary<string, TensorHistogram> Histograms => _hist;

    /// <summary>Runs one sample given in the ONNX layout of the model's (single) input.</summary>
    public void AddOnnxSample(float[] onnxInput) => AddOnnxSample(new[] { onnxInput });

    public void AddOnnxSample(float[][] onnxInputs)
    {
        var g = _exec.Graph;
        var phys = new float[onnxInputs.Length][];
        for (int i = 0; i < onnxInputs.Length && i < g.Inputs.Count; i++) phys[i] = g.Inputs[i].ToPhysical(onnxInputs[i]);
        Add(_exec.Run(phys));
    }

    /// <summary>Adds one run's tensors (as <see cref="FloatExecutor.Run"/> returns them).</summary>
    public void Add(IReadOnlyDictionary<string, float[]> activations)
    {
        foreach (var (name, h) in _hist)
            if (activations.TryGetValue(name, out var v)) h.Add(v);
        Samples++;
    }

    public Dictionary<string, TensorRange> Ranges(CalibrationOptions options)
    {
        if (Samples == 0) throw new InvalidOperationException("no calibration samples were added");
        return _hist.ToDictionary(kv => kv.Key, kv => RangeCalibrator.Range(kv.Value, options), StringComparer.Ordinal);
    }
}
