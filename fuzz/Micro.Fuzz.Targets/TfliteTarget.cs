using Micro.Tooling.Blob;
using Micro.Tooling.TFLite;

namespace Micro.Fuzz;

/// <summary>The .tflite reader and importer, then the blob emitter on what they accept (as `micro pack` does).</summary>
public static class TfliteTarget
{
    public static void Run(byte[] input) => BlobEmitter.Emit(TfliteImporter.Import(input, "fuzz"));
}
