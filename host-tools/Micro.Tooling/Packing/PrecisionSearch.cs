using Micro.Tooling.Graph;
using Micro.Tooling.Onnx;

namespace Micro.Tooling.Packing;

/// <summary>The --auto-precision step of the pack pipeline.</summary>
public static class PrecisionSearch
{
    /// <summary>
    /// Measure the output SQNR of the current configuration against the float model on the
    /// calibration samples; while it is below the target, raise the int8 layer that adds the most noise
    /// (<see cref="PrecisionMeter.Worst"/>) to int16 and measure again (a layer the 16×8 kernels cannot take,
    /// because its requantization needs a left shift beyond 7, is passed over). Returns every step; the last one
    /// reached the target. Throws <see cref="PrecisionTargetException"/> when all candidates are int16 and
    /// the target is still not reached.
    /// </summary>
    public static List<PrecisionStep> Run(FloatGraph graph, IReadOnlyList<float[]> physical, IReadOnlyList<string> start, double target,
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
