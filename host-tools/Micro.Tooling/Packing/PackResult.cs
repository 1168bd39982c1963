using Micro.Runtime;
using Micro.Tooling.Blob;
using Micro.Tooling.Calibration;
using Micro.Tooling.Graph;
using Micro.Tooling.Onnx;

namespace Micro.Tooling.Packing;

/// <summary>What <see cref="Packer.Pack"/> made: the blob, what <c>micro pack</c> reports about it, and the graphs
/// on the way (for per-layer verification: the float graph's tensor names are the quantized graph's).</summary>
public sealed record PackResult(byte[] Blob, int ArenaBytes, int ArenaLowerBound, long SourceBytes, long Macs, IReadOnlyList<string> Notes, QGraph Graph)
{
    /// <summary>The float graph an ONNX model was imported to (null for .tflite).</summary>
    public FloatGraph? Float { get; init; }
    /// <summary>Every tensor's calibrated range (null for .tflite).</summary>
    public IReadOnlyDictionary<string, TensorRange>? Ranges { get; init; }
    /// <summary>How many calibration samples were used (0 for .tflite).</summary>
    public int CalibrationSamples { get; init; }
    /// <summary>The configurations --auto-precision measured, in order (null without it).</summary>
    public IReadOnlyList<PrecisionStep>? PrecisionSteps { get; init; }

    public static PackResult From(QGraph graph, long sourceBytes, IReadOnlyList<string>? notes = null)
    {
        var emitted = BlobEmitter.EmitWithPlan(graph);
        var model = Model.Load(emitted.Blob); // the writer's output always passes the reader; prove it before writing a file
        return new PackResult(emitted.Blob, model.ArenaSize, emitted.Plan.LowerBound, sourceBytes, model.MainMacs, notes ?? Array.Empty<string>(), graph);
    }
}
