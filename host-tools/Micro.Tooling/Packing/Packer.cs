using Micro.Runtime.Format;
using Micro.Tooling.Calibration;
using Micro.Tooling.Data;
using Micro.Tooling.Graph;
using Micro.Tooling.Onnx;
using Micro.Tooling.Running;
using Micro.Tooling.TFLite;

namespace Micro.Tooling.Packing;

/// <summary>
/// The one pack pipeline: <see cref="PackOptions"/> → blob.
/// An int8 .tflite model is imported as it is (TFLM's integers, no calibration). A float .onnx model is
/// imported, calibrated on the samples, quantized (int8, or mixed int8/int16), its exit heads marked and their
/// thresholds calibrated. Both end in the same emit (arena plan, blob) and a load by the device's reader.
/// </summary>
public static class Packer
{
    public static PackResult Pack(PackOptions options)
    {
        options.Validate();
        long sourceBytes = new FileInfo(options.Model).Length;
        string name = options.Name ?? Path.GetFileNameWithoutExtension(options.Model);
        if (options.IsTflite)
        {
            var tflite = PackResult.From(TfliteImporter.Import(File.ReadAllBytes(options.Model), name), sourceBytes);
            return Provenance.Add(tflite, options, Provenance.TfliteLayout(tflite.Blob)); // records: source hash, settings, layout
        }

        var onnx = OnnxModelReader.Read(options.Model);
        var graph = OnnxImporter.Import(onnx);
        if (graph.Inputs.Count != 1)
            throw new OnnxUnsupportedException($"{Path.GetFileName(options.Model)} has {graph.Inputs.Count} inputs; pack calibrates single-input models");
        var int16 = MixedPrecision.Resolve(graph, onnx, options.Int16);
        if (options.Int16Output)
        {
            string layer = MixedPrecision.OutputLayer(graph);
            if (!int16.Contains(layer)) int16.Add(layer);
        }
        var samples = SampleData.Load(options.Calibration!, graph.Inputs[0].OnnxShape);
        var packed = Quantize(graph, samples, int16, name, sourceBytes, options);
        return Provenance.Add(packed, options, InputLayout.Of(graph.Inputs[0], graph.Tensor(graph.Inputs[0].Tensor).Shape)); // records: source hash, settings, layout
    }

    /// <summary>The ONNX part of the pipeline for a graph and calibration samples (ONNX layout) already in memory.</summary>
    public static PackResult Pack(FloatGraph graph, IReadOnlyList<float[]> samples, PackOptions options)
    {
        options.ValidateQuantization();
        var int16 = MixedPrecision.Resolve(graph, null, options.Int16);
        if (options.Int16Output && MixedPrecision.OutputLayer(graph) is var layer && !int16.Contains(layer)) int16.Add(layer);
        return Quantize(graph, samples, int16, options.Name ?? "model", 0, options);
    }

    private static PackResult Quantize(FloatGraph graph, IReadOnlyList<float[]> samples, List<string> int16, string name, long sourceBytes, PackOptions options)
    {
        var (ranges, used) = Calibrate(graph, samples, options.CalibrationOptions, options.MaxCalibrationSamples ?? 0);
        var physical = samples.Take(used).Select(s => graph.Inputs[0].ToPhysical(s)).ToList();
        var notes = new List<string> { $"calibrated on {used} sample{(used == 1 ? "" : "s")} ({options.CalibrationOptions.Method})" };
        var exits = options.ExitHeadRequests.ToList();
        var quantize = new OnnxQuantizeOptions { Name = name, PerChannelWeights = options.PerTensorWeights != true, Int16Output = options.Int16Output };

        QGraph Build(IReadOnlyCollection<string> layers)
        {
            var q = OnnxQuantizer.Quantize(graph, ranges, quantize with { Int16Layers = layers });
            if (options.ExitAuto == true)
                exits.AddRange(q.Outputs.Skip(1).Where(o => exits.All(e => e.Output != o.Name)).Select(o => new ExitHeadRequest(o.Name, null)));
            if (exits.Count > 0) ExitHeads.Mark(q, exits);
            return q;
        }

        IReadOnlyList<PrecisionStep>? steps = null;
        if (options.AutoPrecisionDb is { } target)
        {
            steps = PrecisionSearch.Run(graph, physical, int16, target, Build);
            int16 = steps[^1].Int16Tensors.ToList();
        }
        var final = Build(int16);
        if (int16.Count > 0)
        {
            var labels = MixedPrecision.Candidates(graph).Where(n => int16.Contains(n.Output)).Select(MixedPrecision.Label);
            int converts = final.Ops.Count(o => o.OpCode == OpCodes.Quantize && o.Inputs[0].Name == o.Output.Name);
            notes.Add($"int16 activations: {string.Join(", ", labels)} ({final.Tensors.Count(x => x.DType == DType.Int16)} int16 tensors, {converts} QUANTIZE conversions)" + (options.Int16Output ? $"; output '{final.Outputs[0].Name}' int16" : ""));
        }
        if (exits.Count > 0)
            foreach (var c in ExitHeads.Calibrate(final, exits, physical, options.ExitAgreement ?? PackOptions.DefaultExitAgreement))
                notes.Add($"exit {c.Group} '{c.Output}': margin ≥ {c.Threshold}; on the calibration data {c.ExitShare:P1} of samples exit there, " +
                          $"agreeing with the full network on {c.Agreement:P1}, saving {c.MacsSavedPerExit:N0} MACs each");
        var result = PackResult.From(final, sourceBytes, notes) with { Float = graph, Ranges = ranges, CalibrationSamples = used, PrecisionSteps = steps };
        return options.SelfTest is > 0 ? SelfTestRecord.AddTo(result, physical, options.SelfTest.Value) : result;
    }

    /// <summary>Every tensor's calibrated range over the first samples (all, or <paramref name="maxSamples"/> when above 0), and how many were used.</summary>
    public static (Dictionary<string, TensorRange> Ranges, int Samples) Calibrate(FloatGraph graph, IReadOnlyList<float[]> samples, CalibrationOptions options, int maxSamples = 0)
    {
        if (samples.Count == 0) throw new DataFormatException("no calibration samples");
        int n = maxSamples > 0 ? Math.Min(maxSamples, samples.Count) : samples.Count;
        var cal = new ActivationCalibrator(graph);
        for (int i = 0; i < n; i++) cal.AddOnnxSample(samples[i]);
        return (cal.Ranges(options), n);
    }
}
