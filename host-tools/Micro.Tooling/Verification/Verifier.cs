using Micro.Runtime;
using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Tooling.Calibration;
using Micro.Tooling.Data;
using Micro.Tooling.Inspection;
using Micro.Tooling.Onnx;
using Micro.Tooling.Running;

namespace Micro.Tooling.Verification;

/// <summary>
/// `micro verify`: the float ONNX model (our float executor) against the blob (the device's kernels) on the
/// same samples. Per layer, the host steps through the blob's ops one at a time with the device's own
/// KernelTable.Eval and dequantizes each op's output before the arena reuses it. Blob tensors are matched to
/// ONNX tensors through the quantizer's deterministic tensor order, checked by shape; when the blob was not
/// packed from this ONNX file the per-layer table is left empty and only outputs are compared.
/// </summary>
public static class Verifier
{
    /// <param name="layout">layout of the data (<see cref="InputLayout.Resolve"/>): null = the ONNX model's own; as-blob = channels-last.</param>
    /// <param name="force">compare even when the blob records that it was packed from another model file.</param>
    public static VerifyReport Run(string onnxPath, byte[] blob, string dataPath, string? labelsPath, int maxSamples = 0, string? layout = null, bool force = false)
    {
        // The cheap checks first: the blob's framing and its source hash, before any sample is read.
        var model = Model.Load(blob);
        string sourceCheck = CheckSource(onnxPath, BlobMetadata.Read(model), force);
        var graph = OnnxImporter.Import(onnxPath);
        if (graph.Inputs.Count != 1) throw new OnnxUnsupportedException("verify takes single-input models");
        var io = graph.Inputs[0];
        int[] physical = graph.Tensor(io.Tensor).Shape;
        string onnxLayout = InputLayout.Of(io, physical), dataLayout = InputLayout.Resolve(layout, onnxLayout, io.OnnxShape.Length);
        // Data in another layout than the model's: to the runtime's channels-last order, then to the ONNX order.
        var samples = dataLayout == onnxLayout
            ? SampleData.Load(dataPath, io.OnnxShape)
            : SampleData.Load(dataPath, InputLayout.SourceShape(physical, dataLayout)).Select(x => io.ToOnnx(InputLayout.ToChannelsLast(x, physical, dataLayout))).ToArray();
        if (maxSamples > 0 && samples.Length > maxSamples) samples = samples[..maxSamples];
        string dataName = Path.GetFileName(dataPath);
        if (samples.Length == 0) throw new DataFormatException($"{dataName} holds no samples");
        for (int s = 0; s < samples.Length; s++)
            for (int i = 0; i < samples[s].Length; i++)
                if (!float.IsFinite(samples[s][i]))
                    throw new DataFormatException($"{dataName}: sample {s}, value {i} is {samples[s][i].ToString(System.Globalization.CultureInfo.InvariantCulture)}; inputs must be finite numbers");
        CheckBlobMatches(graph, model, samples[0]);
        int classes = model.Tensors[model.Outputs[0]].ElementCount;
        long[]? labels = labelsPath == null ? null : LoadLabels(labelsPath, samples.Length, classes);
        var names = TensorNames(graph, samples, model);
        string mainName = names?[model.Outputs[0]] ?? graph.Outputs[0].Tensor;

        var exec = new FloatExecutor(graph);
        var arena = new sbyte[model.ArenaSize];
        var input = model.Tensors[model.Inputs[0]];
        var floatOut = new List<float[]>();
        var quantOut = new List<float[]>();
        var perLayerRef = new Dictionary<int, List<float[]>>();
        var perLayerQ = new Dictionary<int, List<float[]>>();
        foreach (var s in samples)
        {
            var phys = graph.Inputs[0].ToPhysical(s);
            var acts = exec.Run(phys);
            BlobRunner.Quantize(phys, input, arena);
            foreach (var op in model.Ops)
            {
                KernelTable.Eval(model, op, arena);
                int t = op.Outputs[0];
                if (names == null || !acts.TryGetValue(names[t], out var reference) || reference.Length != model.Tensors[t].ElementCount) continue;
                (perLayerRef.TryGetValue(t, out var r) ? r : perLayerRef[t] = new()).Add(reference);
                (perLayerQ.TryGetValue(t, out var q) ? q : perLayerQ[t] = new()).Add(ArenaValues.Dequantize(model.Tensors[t], arena));
            }
            floatOut.Add(acts[mainName]);
            quantOut.Add(ArenaValues.Dequantize(model.Tensors[model.Outputs[0]], arena));
        }

        var layers = model.Ops.Where(o => perLayerRef.ContainsKey(o.Outputs[0]))
            .Select(o => new LayerError(names![o.Outputs[0]], OpCodes.Name(o.Code) + (model.Tensors[o.Outputs[0]].DType == DType.Int16 ? " int16" : ""), ErrorMetrics.Compute(perLayerRef[o.Outputs[0]], perLayerQ[o.Outputs[0]])))
            .ToList();
        var (bins, width) = HtmlReport.ErrorHistogram(floatOut, quantOut);
        return new VerifyReport(model.Name, samples.Length, ErrorMetrics.Top1Agreement(floatOut, quantOut),
            labels == null ? null : ErrorMetrics.Accuracy(floatOut, labels), labels == null ? null : ErrorMetrics.Accuracy(quantOut, labels),
            ErrorMetrics.Compute(floatOut, quantOut), layers, bins, width)
        {
            FloatOutputs = floatOut,
            QuantizedOutputs = quantOut,
            Labels = labels,
            FloatConfusion = labels == null ? null : ErrorMetrics.Confusion(floatOut, labels, classes),
            QuantizedConfusion = labels == null ? null : ErrorMetrics.Confusion(quantOut, labels, classes),
            InputLayout = dataLayout,
            SourceCheck = sourceCheck,
        };
    }

    /// <summary>
    /// Compares the blob's recorded source hash (tag 1) with the ONNX file's. Throws <see cref="SourceMismatchException"/>
    /// when they differ, unless forced; returns what was found, for the report.
    /// </summary>
    public static string CheckSource(string onnxPath, BlobMetadata meta, bool force)
    {
        string file = Path.GetFileName(onnxPath);
        if (meta.SourceSha256 == null) return $"not recorded in the blob (packed before provenance records): cannot tell whether it comes from {file}";
        string actual = BlobMetadata.Sha256OfFile(onnxPath);
        if (actual == meta.SourceSha256) return $"{file} (SHA-256 {actual[..16]}…)";
        if (!force)
            throw new SourceMismatchException($"the blob was not packed from {file}: it records source SHA-256 {meta.SourceSha256[..16]}…, {file} has {actual[..16]}…; " +
                                              "pack it from this model, or pass --force to compare anyway");
        return $"another model (SHA-256 {meta.SourceSha256[..16]}…, {file} has {actual[..16]}…), compared because of --force";
    }

    /// <summary>ONNX tensor name of each blob tensor, or null when the blob does not follow this model's tensor order.
    /// A mixed-precision blob (pack --int16) has the all-int8 graph's tensors first, in the same order, then the
    /// QUANTIZE'd copies made at int8/int16 boundaries; a copy holds the same real values as the tensor it reads.</summary>
    private static string[]? TensorNames(FloatGraph graph, float[][] samples, Model model)
    {
        var cal = new ActivationCalibrator(graph);
        foreach (var s in samples.Take(8)) cal.AddOnnxSample(s);
        var q = OnnxQuantizer.Quantize(graph, cal.Ranges(new CalibrationOptions()));
        if (q.Tensors.Count > model.Tensors.Length) return null;
        for (int i = 0; i < q.Tensors.Count; i++)
            if (!q.Tensors[i].Shape.SequenceEqual(model.Tensors[i].Dims)) return null;
        var names = new string?[model.Tensors.Length];
        for (int i = 0; i < q.Tensors.Count; i++) names[i] = q.Tensors[i].Name;
        foreach (var op in model.Ops)
        {
            int y = op.Outputs[0];
            if (y < q.Tensors.Count) continue;
            int x = op.Inputs[0];
            if (op.Code != OpCodes.Quantize || names[x] == null || !model.Tensors[x].Dims.SequenceEqual(model.Tensors[y].Dims)) return null;
            names[y] = names[x];
        }
        return names.Any(n => n == null) ? null : names.Select(n => n!).ToArray();
    }


    /// <summary>The blob must take this model's input and give its output: same number of values in and out.</summary>
    private static void CheckBlobMatches(FloatGraph graph, Model model, float[] sample)
    {
        var input = model.Tensors[model.Inputs[0]];
        int modelIn = graph.Inputs[0].ToPhysical(sample).Length;
        if (input.ElementCount != modelIn)
            throw new DataFormatException($"the blob does not match this model: blob input [{string.Join(",", input.Dims)}] ({input.ElementCount} values) vs model input [{string.Join(",", graph.Inputs[0].OnnxShape)}] ({modelIn} values)");
        var output = model.Tensors[model.Outputs[0]];
        int modelOut = new FloatExecutor(graph).Run(graph.Inputs[0].ToPhysical(sample))[graph.Outputs[0].Tensor].Length;
        if (output.ElementCount != modelOut)
            throw new DataFormatException($"the blob does not match this model: blob output [{string.Join(",", output.Dims)}] ({output.ElementCount} values) vs model output {graph.Outputs[0].Tensor} ({modelOut} values)");
    }

    private static long[] LoadLabels(string path, int count, int classes)
    {
        long[] labels;
        string name = Path.GetFileName(path);
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            var a = NpyFile.Read(path);
            if (a.Float32 is { } f)
            {
                int bad = Array.FindIndex(f, v => !float.IsFinite(v) || v != MathF.Round(v));
                if (bad >= 0) throw new DataFormatException($"{name}: label {bad} is {f[bad]}; labels are whole class numbers");
            }
            labels = a.Int64 ?? a.Int8?.Select(v => (long)v).ToArray() ?? a.Float32!.Select(v => (long)v).ToArray();
        }
        else
        {
            labels = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).Select((l, i) =>
                long.TryParse(l.Trim(), out long v) ? v : throw new DataFormatException($"{path}:{i + 1}: label '{l.Trim()}' is not an integer")).ToArray();
        }
        if (labels.Length != count) throw new DataFormatException($"{path}: {labels.Length} labels for {count} samples");
        int outOfRange = Array.FindIndex(labels, l => l < 0 || l >= classes);
        if (outOfRange >= 0) throw new DataFormatException($"{name}: label {outOfRange} is {labels[outOfRange]}; the model has {classes} classes (0 to {classes - 1})");
        return labels;
    }
}

/// <summary>The blob records (metadata tag 1) that it was packed from another model file than the one given.</summary>
public sealed class SourceMismatchException(string message) : Exception(message);
