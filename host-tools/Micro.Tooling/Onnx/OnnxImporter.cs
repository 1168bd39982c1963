namespace Micro.Tooling.Onnx;

/// <summary>The ONNX front end: .onnx file → <see cref="FloatGraph"/> (channels-last, weights in the
/// runtime's layouts, BatchNormalization and constant scalings folded, ReLU/Clip fused).
/// <code>
/// var graph = OnnxImporter.Import("model.onnx");
/// var outputs = new FloatExecutor(graph).RunOnnx(inputInOnnxLayout);
/// </code></summary>
public static class OnnxImporter
{
    public static FloatGraph Import(string path, OnnxImportOptions? options = null) =>
        Import(OnnxModelReader.Read(path), options);

    public static FloatGraph Import(byte[] onnx, OnnxImportOptions? options = null) =>
        Import(OnnxModelReader.Read(onnx), options);

    public static FloatGraph Import(OnnxModel model, OnnxImportOptions? options = null)
    {
        options ??= new OnnxImportOptions();
        var g = OnnxLowering.Lower(model, options);
        if (options.Optimize) GraphPasses.Optimize(g);
        else GraphPasses.RemoveDeadNodes(g);
        FloatGraphValidator.Validate(g);
        return g;
    }
}
