using Micro.Tooling.Onnx;

namespace Micro.Fuzz;

/// <summary>The .onnx reader (protobuf, initialisers, external-data refusal) and the importer (lowering to the float graph).</summary>
public static class OnnxTarget
{
    public static void Run(byte[] input) => OnnxImporter.Import(OnnxModelReader.Read(input, "fuzz.onnx"));
}
