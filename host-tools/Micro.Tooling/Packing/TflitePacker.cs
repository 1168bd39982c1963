using Micro.Runtime;
using Micro.Tooling.Blob;
using Micro.Tooling.TFLite;

namespace Micro.Tooling.Packing;

/// <summary>An already-quantized int8 .tflite model to a blob: TFLM's integers, no calibration.</summary>
public static class TflitePacker
{
    public static PackResult Pack(string path, string? name)
    {
        var graph = TfliteImporter.Import(File.ReadAllBytes(path), name ?? Path.GetFileNameWithoutExtension(path));
        var emitted = BlobEmitter.EmitWithPlan(graph);
        return PackResult.From(emitted, new FileInfo(path).Length);
    }
}

/// <summary>A packed blob and what `pack` reports about it.</summary>
public sealed record PackResult(byte[] Blob, int ArenaBytes, int ArenaLowerBound, long SourceBytes, long Macs, IReadOnlyList<string> Notes)
{
    /// <summary>The configurations --auto-precision measured, in order (null without it).</summary>
    public IReadOnlyList<PrecisionStep>? PrecisionSteps { get; init; }

    public static PackResult From(BlobEmitter.Result emitted, long sourceBytes, IReadOnlyList<string>? notes = null)
    {
        var model = Model.Load(emitted.Blob); // the writer's output always passes the reader; prove it before writing a file
        return new PackResult(emitted.Blob, model.ArenaSize, emitted.Plan.LowerBound, sourceBytes, model.MainMacs, notes ?? Array.Empty<string>());
    }
}
