using Micro.Tooling.Blob;
using Micro.Tooling.Calibration;
using Micro.Tooling.Data;
using Micro.Tooling.Graph;
using Micro.Tooling.Onnx;

namespace Micro.Tooling.Packing;

/// <summary>What `pack` needs to quantize a float ONNX model.</summary>
/// <param name="Int16">--int16: ONNX node or tensor names of layers to run with int16 activations.</param>
/// <param name="AutoPrecisionDb">--auto-precision: raise layers to int16 until the output SQNR on the calibration data reaches this.</param>
/// <param name="Int16Output">--int16-output: the first output stays int16; the layer computing it is marked int16.</param>
public sealed record OnnxPackRequest(
    string Calibration,
    CalibrationMethod Method = CalibrationMethod.MinMax,
    double Percentile = 99.99,
    bool PerTensorWeights = false,
    IReadOnlyList<ExitRequest>? Exits = null,
    double ExitAgreement = 0.995,
    int MaxCalibrationSamples = 0,
    string? Name = null,
    bool ExitAuto = false,
    IReadOnlyList<string>? Int16 = null,
    double? AutoPrecisionDb = null,
    bool Int16Output = false);

/// <summary>Float ONNX + calibration data → blob: import, calibrate, quantize (int8, or mixed int8/int16),
/// mark exit heads, calibrate their thresholds, emit.</summary>
public static class OnnxPacker
{
    public static PackResult Pack(string path, OnnxPackRequest request)
    {
        var onnx = OnnxModelReader.Read(path);
        var graph = OnnxImporter.Import(onnx);
        if (graph.Inputs.Count != 1)
            throw new OnnxUnsupportedException($"{Path.GetFileName(path)} has {graph.Inputs.Count} inputs; pack calibrates single-input models");
        var int16 = MixedPrecision.Resolve(graph, onnx, request.Int16 ?? Array.Empty<string>());
        if (request.Int16Output)
        {
            if (request.ExitAuto || (request.Exits?.Count ?? 0) > 0)
                throw new ArgumentException("--int16-output cannot be combined with early-exit heads (--exit, --exit-auto): an exit returns its int8 scores in place of the output, so the output's type would depend on the sample");
            string layer = MixedPrecision.OutputLayer(graph);
            if (!int16.Contains(layer)) int16.Add(layer);
        }
        if (request.AutoPrecisionDb is { } t && (double.IsNaN(t) || double.IsInfinity(t)))
            throw new ArgumentException("--auto-precision needs a finite target in dB");
        var samples = SampleData.Load(request.Calibration, graph.Inputs[0].OnnxShape);
        var options = new OnnxPackOptions
        {
            Calibration = new CalibrationOptions { Method = request.Method, Percentile = request.Percentile },
            MaxCalibrationSamples = request.MaxCalibrationSamples,
        };
        var (ranges, used) = OnnxPack.Calibrate(graph, samples, options);
        var physical = samples.Take(used).Select(s => graph.Inputs[0].ToPhysical(s)).ToList();
        var notes = new List<string> { $"calibrated on {used} sample{(used == 1 ? "" : "s")} ({request.Method})" };
        var exits = (request.Exits ?? Array.Empty<ExitRequest>()).ToList();
        var quantize = new OnnxQuantizeOptions { Name = request.Name ?? Path.GetFileNameWithoutExtension(path), PerChannelWeights = !request.PerTensorWeights, Int16Output = request.Int16Output };

        QGraph Build(IReadOnlyCollection<string> layers)
        {
            var q = OnnxQuantizer.Quantize(graph, ranges, quantize with { Int16Layers = layers });
            if (request.ExitAuto)
                exits.AddRange(q.Outputs.Skip(1).Where(o => exits.All(e => e.Output != o.Name)).Select(o => new ExitRequest(o.Name, null)));
            if (exits.Count > 0) ExitHeads.Mark(q, exits);
            return q;
        }

        IReadOnlyList<PrecisionStep>? steps = null;
        if (request.AutoPrecisionDb is { } target)
        {
            steps = Search(graph, physical, int16, target, Build);
            int16 = steps[^1].Int16Tensors.ToList();
        }
        var final = Build(int16);
        if (int16.Count > 0)
        {
            var labels = MixedPrecision.Candidates(graph).Where(n => int16.Contains(n.Output)).Select(MixedPrecision.Label);
            int converts = final.Ops.Count(o => o.OpCode == Micro.Runtime.Format.OpCodes.Quantize && o.Inputs[0].Name == o.Output.Name);
            notes.Add($"int16 activations: {string.Join(", ", labels)} ({final.Tensors.Count(x => x.DType == Micro.Runtime.Format.DType.Int16)} int16 tensors, {converts} QUANTIZE conversions)" + (request.Int16Output ? $"; output '{final.Outputs[0].Name}' int16" : ""));
        }
        if (exits.Count > 0)
            foreach (var c in ExitHeads.Calibrate(final, exits, physical, request.ExitAgreement))
                notes.Add($"exit {c.Group} '{c.Output}': margin ≥ {c.Threshold}; on the calibration data {c.ExitShare:P1} of samples exit there, " +
                          $"agreeing with the full network on {c.Agreement:P1}, saving {c.MacsSavedPerExit:N0} MACs each");
        return PackResult.From(BlobEmitter.EmitWithPlan(final), new FileInfo(path).Length, notes) with { PrecisionSteps = steps };
    }

    /// <summary>
    /// --auto-precision: measure the output SQNR of the current configuration against the float model on the
    /// calibration samples; while it is below the target, raise the int8 layer that adds the most noise
    /// (<see cref="PrecisionMeter.Worst"/>) to int16 and measure again (a layer the 16×8 kernels cannot take,
    /// because its requantization needs a left shift beyond 7, is passed over). Returns every step; the last one
    /// reached the target. Throws <see cref="PrecisionTargetException"/> when all candidates are int16 and
    /// the target is still not reached.
    /// </summary>
    public static List<PrecisionStep> Search(FloatGraph graph, IReadOnlyList<float[]> physical, IReadOnlyList<string> start, double target,
        Func<IReadOnlyCollection<string>, QGraph> build)
    {
        var meter = new PrecisionMeter(graph, physical);
        var candidates = MixedPrecision.Candidates(graph);
        var current = new List<string>(start);
        var steps = new List<PrecisionStep>();
        var skipped = new List<string>(); // candidates whose int16 form the runtime cannot take (a requantization beyond 2^7)
        var r = meter.Measure(build(current));
        string? raised = null;
        while (true)
        {
            var labels = candidates.Where(n => current.Contains(n.Output)).Select(MixedPrecision.Label).ToList();
            steps.Add(new PrecisionStep(steps.Count, labels, current.ToList(), raised, r.OutputSqnrDb, r.BlobBytes, r.ArenaBytes));
            if (r.OutputSqnrDb >= target) return steps;
            while (true)
            {
                var next = PrecisionMeter.Worst(candidates, current.Concat(skipped).ToList(), r);
                if (next == null) throw new PrecisionTargetException(target, steps);
                try
                {
                    r = meter.Measure(build(current.Append(next.Output).ToList()));
                }
                catch (OnnxUnsupportedException)
                {
                    skipped.Add(next.Output);
                    continue;
                }
                current.Add(next.Output);
                raised = MixedPrecision.Label(next);
                break;
            }
        }
    }
}
