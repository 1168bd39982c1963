using Micro.Tooling.Blob;
using Micro.Tooling.Calibration;
using Micro.Tooling.Data;
using Micro.Tooling.Onnx;

namespace Micro.Tooling.Packing;

/// <summary>What `pack` needs to quantize a float ONNX model.</summary>
public sealed record OnnxPackRequest(
    string Calibration,
    CalibrationMethod Method = CalibrationMethod.MinMax,
    double Percentile = 99.99,
    bool PerTensorWeights = false,
    IReadOnlyList<ExitRequest>? Exits = null,
    double ExitAgreement = 0.995,
    int MaxCalibrationSamples = 0,
    string? Name = null,
    bool ExitAuto = false);

/// <summary>Float ONNX + calibration data → blob: import, calibrate, quantize, mark exit heads, calibrate their thresholds, emit.</summary>
public static class OnnxPacker
{
    public static PackResult Pack(string path, OnnxPackRequest request)
    {
        var graph = OnnxImporter.Import(path);
        if (graph.Inputs.Count != 1)
            throw new OnnxUnsupportedException($"{Path.GetFileName(path)} has {graph.Inputs.Count} inputs; pack calibrates single-input models");
        var samples = SampleData.Load(request.Calibration, graph.Inputs[0].OnnxShape);
        var options = new OnnxPackOptions
        {
            Calibration = new CalibrationOptions { Method = request.Method, Percentile = request.Percentile },
            Quantize = new OnnxQuantizeOptions { Name = request.Name ?? Path.GetFileNameWithoutExtension(path), PerChannelWeights = !request.PerTensorWeights },
            MaxCalibrationSamples = request.MaxCalibrationSamples,
        };
        var packed = OnnxPack.Run(graph, samples, options);
        var q = packed.Quantized;
        var notes = new List<string> { $"calibrated on {packed.CalibrationSamples} samples ({request.Method})" };
        var exits = (request.Exits ?? Array.Empty<ExitRequest>()).ToList();
        if (request.ExitAuto)
            exits.AddRange(q.Outputs.Skip(1).Where(t => exits.All(e => e.Output != t.Name)).Select(t => new ExitRequest(t.Name, null)));
        if (exits.Count > 0)
        {
            ExitHeads.Mark(q, exits);
            var physical = samples.Take(packed.CalibrationSamples).Select(s => graph.Inputs[0].ToPhysical(s)).ToList();
            foreach (var c in ExitHeads.Calibrate(q, exits, physical, request.ExitAgreement))
                notes.Add($"exit {c.Group} '{c.Output}': margin ≥ {c.Threshold}; on the calibration data {c.ExitShare:P1} of samples exit there, " +
                          $"agreeing with the full network on {c.Agreement:P1}, saving {c.MacsSavedPerExit:N0} MACs each");
        }
        return PackResult.From(BlobEmitter.EmitWithPlan(q), new FileInfo(path).Length, notes);
    }
}
