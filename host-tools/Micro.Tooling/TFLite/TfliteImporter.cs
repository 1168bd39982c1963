using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Micro.Runtime.Format;
using Micro.Tooling.Graph;

namespace Micro.Tooling.TFLite;

/// <summary>The imported graph and, for each of its tensors, the index of the TFLite tensor it stands for.</summary>
public sealed record TfliteImportResult(QGraph Graph, IReadOnlyDictionary<QTensor, int> TfliteTensor);

/// <summary>
/// Imports an already-quantized (full-integer, int8) TFLite model into a <see cref="QGraph"/>, with every
/// integer parameter derived exactly as TensorFlow Lite Micro derives it (<see cref="TflmParams"/>), so the
/// blob BlobEmitter makes from it reproduces TFLM's outputs byte for byte.
/// <para>
/// Supported operators: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, AVERAGE_POOL_2D, MAX_POOL_2D, ADD,
/// RESHAPE, SOFTMAX, LOGISTIC, TANH, PAD, CONCATENATION, MEAN (spatial), QUANTIZE (int8 → int8), with fused
/// NONE / RELU / RELU6 / RELU_N1_TO_1. A float32 model input feeding a QUANTIZE, and a float32 model output
/// written by a DEQUANTIZE, are stripped: the int8 tensors become the blob's input and output (the
/// application quantizes with the input's scale and zero point). Float models, hybrid (dynamic-range)
/// models and uint8 activations are refused with a message saying so. Int16 activations (TFLite's 16x8 mode) are
/// lowered by TfliteImporter.Int16.cs, which takes or refuses each operator that touches one.
/// </para>
/// Malformed files throw <see cref="TfliteFormatException"/>; well-formed files that cannot be imported
/// throw <see cref="TfliteImportException"/>. Nothing else escapes.
/// </summary>
public sealed partial class TfliteImporter
{
    private readonly TfliteModel _model;
    private readonly TfliteSubGraph _sg;
    private readonly QGraph _graph;
    private readonly Dictionary<int, QTensor> _tensors = new();
    private readonly Dictionary<QTensor, float> _tfliteScales = new();
    private readonly HashSet<int> _available = new();
    private readonly HashSet<int> _graphInputs = new();
    private readonly HashSet<int> _skippedOps = new();

    private TfliteImporter(TfliteModel model, string name)
    {
        _model = model;
        _sg = model.SubGraphs[0];
        _graph = new QGraph { Name = SanitizeName(name), Version = "1" };
    }

    /// <summary>Reads and imports a .tflite file's bytes.</summary>
    public static QGraph Import(byte[] tflite, string name = "tflite") => Import(TfliteModelReader.Read(tflite), name);

    /// <summary>Imports subgraph 0 of a model read by <see cref="TfliteModelReader"/>.</summary>
    public static QGraph Import(TfliteModel model, string name = "tflite") => ImportDetailed(model, name).Graph;

    /// <summary>As <see cref="Import(TfliteModel, string)"/>, also telling which TFLite tensor each QTensor is.</summary>
    public static TfliteImportResult ImportDetailed(TfliteModel model, string name = "tflite")
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.SubGraphs.Count == 0) throw new TfliteImportException("the model has no subgraph");
        var importer = new TfliteImporter(model, name);
        QGraph g = importer.Run();
        return new TfliteImportResult(g, importer._tensors.ToDictionary(kv => kv.Value, kv => kv.Key));
    }

    private QGraph Run()
    {
        int[] inputs = ResolveInputEdges();
        int[] outputs = ResolveOutputEdges();
        RefuseFloatAndOtherTypes();

        if (inputs.Distinct().Count() != inputs.Length)
            throw new TfliteImportException($"the model lists an input tensor twice ([{string.Join(",", inputs)}])");
        foreach (int i in inputs)
        {
            _graph.Inputs.Add(Activation(i, "model input"));
            _available.Add(i);
            _graphInputs.Add(i);
        }
        foreach (TfliteOperator op in _sg.Operators)
        {
            if (!_skippedOps.Contains(op.Index)) Lower(op);
        }
        foreach (int o in outputs)
        {
            if (!_available.Contains(o))
                throw new TfliteImportException($"model output {Describe(o)} is never written by any operator");
            _graph.Outputs.Add(_tensors[o]);
        }

        if (_graph.Inputs.Count < 1 || _graph.Inputs.Count > BlobLayout.MaxIo)
            throw new TfliteImportException($"the model has {_graph.Inputs.Count} inputs; a blob has 1..{BlobLayout.MaxIo}");
        if (_graph.Outputs.Count < 1 || _graph.Outputs.Count > BlobLayout.MaxIo)
            throw new TfliteImportException($"the model has {_graph.Outputs.Count} outputs; a blob has 1..{BlobLayout.MaxIo}");
        if (_graph.Ops.Count < 1 || _graph.Ops.Count > BlobLayout.MaxOps)
            throw new TfliteImportException($"the model has {_graph.Ops.Count} operators to run; a blob has 1..{BlobLayout.MaxOps}");
        if (_graph.Tensors.Count > BlobLayout.MaxTensors)
            throw new TfliteImportException($"the model has {_graph.Tensors.Count} activation tensors; a blob has at most {BlobLayout.MaxTensors}");
        return _graph;
    }

    // ---- model edges ------------------------------------------------------------------------------------

    /// <summary>
    /// Model inputs. A float32 input whose only reader is a QUANTIZE to int8 is replaced by that QUANTIZE's
    /// output (and the QUANTIZE is dropped): the blob takes the int8 tensor directly.
    /// </summary>
    private int[] ResolveInputEdges()
    {
        var result = new List<int>();
        foreach (int i in _sg.Inputs)
        {
            TfliteTensor t = _sg.Tensors[i];
            if (t.Type != TfliteTensorType.Float32) { result.Add(i); continue; }
            var readers = _sg.Operators.Where(o => o.Inputs.Contains(i)).ToList();
            if (readers.Count == 1 && Code(readers[0]) == TfliteSchema.Op.Quantize && readers[0].Outputs.Length == 1
                && _sg.Tensors[readers[0].Outputs[0]].Type is TfliteTensorType.Int8 or TfliteTensorType.Int16)
            {
                _skippedOps.Add(readers[0].Index);
                result.Add(readers[0].Outputs[0]);
            }
            else
            {
                result.Add(i); // a float input used by float operators: refused below with the right message
            }
        }
        return result.ToArray();
    }

    /// <summary>Model outputs. A float32 output written by a DEQUANTIZE of an int8 tensor is replaced by that tensor.</summary>
    private int[] ResolveOutputEdges()
    {
        var result = new List<int>();
        foreach (int o in _sg.Outputs)
        {
            TfliteTensor t = _sg.Tensors[o];
            if (t.Type != TfliteTensorType.Float32) { result.Add(o); continue; }
            var writers = _sg.Operators.Where(op => op.Outputs.Contains(o)).ToList();
            if (writers.Count == 1 && Code(writers[0]) == TfliteSchema.Op.Dequantize && writers[0].Inputs.Length == 1
                && writers[0].Inputs[0] >= 0 && _sg.Tensors[writers[0].Inputs[0]].Type is TfliteTensorType.Int8 or TfliteTensorType.Int16
                && !IsConstant(writers[0].Inputs[0]))
            {
                _skippedOps.Add(writers[0].Index);
                result.Add(writers[0].Inputs[0]);
            }
            else
            {
                result.Add(o);
            }
        }
        return result.ToArray();
    }

    /// <summary>
    /// Refuses, with one clear message, models whose remaining operators compute in float (float models and
    /// hybrid dynamic-range models) or use activation types the blob cannot hold.
    /// </summary>
    private void RefuseFloatAndOtherTypes()
    {
        bool anyFloat = false, hybrid = false;
        int firstFloatOp = -1;
        foreach (TfliteOperator op in _sg.Operators)
        {
            if (_skippedOps.Contains(op.Index)) continue;
            bool floatActivation = false, int8Constant = false;
            foreach (int t in op.Inputs.Concat(op.Outputs))
            {
                if (t < 0) continue;
                TfliteTensorType type = _sg.Tensors[t].Type;
                if (IsConstant(t))
                {
                    if (type == TfliteTensorType.Int8 || type == TfliteTensorType.Int4) int8Constant = true;
                    if (type == TfliteTensorType.Float16 || type == TfliteTensorType.Float32)
                        floatActivation = true;
                }
                else if (type == TfliteTensorType.Float32 || type == TfliteTensorType.Float16)
                {
                    floatActivation = true;
                }
            }
            if (floatActivation)
            {
                anyFloat = true;
                if (firstFloatOp < 0) firstFloatOp = op.Index;
                if (int8Constant) hybrid = true;
            }
        }
        if (hybrid)
            throw new TfliteImportException(
                $"hybrid model (float activations with int8 weights, dynamic-range quantization; first at {OpLabel(_sg.Operators[firstFloatOp])}): " +
                "not supported. Convert it with full-integer quantization (a representative dataset, int8 inputs and outputs), or import the float model through the ONNX path, which quantizes it.");
        if (anyFloat)
            throw new TfliteImportException(
                $"float model ({OpLabel(_sg.Operators[firstFloatOp])} computes in float): use the ONNX path, which quantizes float models, " +
                "or convert it with TFLite full-integer quantization. This importer takes already-quantized int8 models only.");

        foreach (TfliteOperator op in _sg.Operators)
        {
            if (_skippedOps.Contains(op.Index)) continue;
            // The LSTM's int16 cell state is its own affair (TfliteImporter.Lstm checks every input).
            if (Code(op) == TfliteSchema.Op.UnidirectionalSequenceLstm) continue;
            foreach (int t in op.Inputs.Concat(op.Outputs))
            {
                if (t < 0 || IsConstant(t)) continue;
                switch (_sg.Tensors[t].Type)
                {
                    case TfliteTensorType.Int8:
                    case TfliteTensorType.Int16: // 16x8 models: LowerInt16 takes or refuses each operator by name
                        break;
                    case TfliteTensorType.UInt8:
                        throw new TfliteImportException($"{OpLabel(op)} uses uint8 activations ({Describe(t)}): legacy uint8 quantization is not supported; convert the model with int8 quantization");
                    default:
                        throw new TfliteImportException($"{OpLabel(op)}: {Describe(t)} has type {TfliteSchema.TypeName(_sg.Tensors[t].Type)}; only int8 activations are supported");
                }
            }
        }
    }

    // ---- tensors ----------------------------------------------------------------------------------------

    private bool IsConstant(int index) => _model.Buffers.Count > _sg.Tensors[index].Buffer
                                          && _model.Buffers[_sg.Tensors[index].Buffer].Data.Length > 0;

    private string Describe(int index) => _sg.Tensors[index].Describe();

    private int Code(TfliteOperator op) => _model.OperatorCodes[op.OpcodeIndex].BuiltinCode;

    private string OpLabel(TfliteOperator op) => $"operator {op.Index} ({_model.OperatorCodes[op.OpcodeIndex].Describe()})";

    /// <summary>The QTensor of an int8 activation tensor (created on first use, with its checks).</summary>
    private QTensor Activation(int index, string where)
    {
        if (_tensors.TryGetValue(index, out QTensor? q)) return q;
        TfliteTensor t = _sg.Tensors[index];
        if (IsConstant(index))
            throw new TfliteImportException($"{where}: {t.Describe()} is a constant, but this operator takes an activation tensor there");
        if (t.Type != TfliteTensorType.Int8 && t.Type != TfliteTensorType.Int16)
            throw new TfliteImportException($"{where}: {t.Describe()} has type {TfliteSchema.TypeName(t.Type)}; only int8 and int16 activations are supported");
        if (t.IsVariable)
            throw new TfliteImportException($"{where}: {t.Describe()} is a variable (stateful) tensor; stateful models are not supported");
        if (t.IsSparse)
            throw new TfliteImportException($"{where}: {t.Describe()} is sparse; sparse tensors are not supported");
        if (t.Shape.Length < 1 || t.Shape.Length > BlobLayout.MaxRank)
            throw new TfliteImportException($"{where}: {t.Describe()} has rank {t.Shape.Length}; blobs hold ranks 1..{BlobLayout.MaxRank}");
        foreach (int d in t.Shape)
        {
            if (d < 1 || d > 65535)
                throw new TfliteImportException($"{where}: {t.Describe()} has shape [{string.Join(",", t.Shape)}]; every dimension must be 1..65535");
        }
        if (t.ElementCount > int.MaxValue / 2)
            throw new TfliteImportException($"{where}: {t.Describe()} has {t.ElementCount} elements, too many for a microcontroller arena");
        (float scale, int zp) = PerTensorQuantization(index, where);
        if (zp < sbyte.MinValue || zp > sbyte.MaxValue)
            throw new TfliteImportException($"{where}: {t.Describe()} has zero point {zp}, outside int8");
        bool int16 = t.Type == TfliteTensorType.Int16;
        if (int16 && zp != 0)
            throw new TfliteImportException($"{where}: int16 tensor {t.Describe()} has zero point {zp}; 16x8 models are symmetric (zero point 0)");
        q = _graph.AddTensor(t.Name.Length > 0 ? t.Name : "t" + index, (int[])t.Shape.Clone(), scale, zp, int16 ? DType.Int16 : DType.Int8);
        _tensors[index] = q;
        _tfliteScales[q] = scale;
        return q;
    }

    /// <summary>
    /// The tensor's scale as TFLite has it. Every parameter is derived from these; a QTensor's own Scale is
    /// blob metadata and may have been set to its input's (ops that copy bytes need equal scales).
    /// </summary>
    private float Scale(QTensor q) => _tfliteScales[q];

    /// <summary>The single scale and zero point of a per-tensor quantized tensor.</summary>
    private (float Scale, int ZeroPoint) PerTensorQuantization(int index, string where)
    {
        TfliteTensor t = _sg.Tensors[index];
        TfliteQuantization? q = t.Quantization;
        if (q is null)
            throw new TfliteImportException($"{where}: {t.Describe()} has no quantization parameters");
        if (q.HasCustomDetails)
            throw new TfliteImportException($"{where}: {t.Describe()} uses custom quantization details");
        if (q.Scale.Length != 1)
            throw new TfliteImportException($"{where}: {t.Describe()} is quantized per axis ({q.Scale.Length} scales); activations need one scale");
        float s = q.Scale[0];
        if (!float.IsFinite(s) || s <= 0f)
            throw new TfliteImportException($"{where}: {t.Describe()} has scale {s}; scales must be finite and > 0");
        long zp = q.ZeroPoint[0];
        if (zp < int.MinValue || zp > int.MaxValue)
            throw new TfliteImportException($"{where}: {t.Describe()} has zero point {zp}");
        return (s, (int)zp);
    }

    /// <summary>An op input: an activation that a model input or an earlier operator has written.</summary>
    private QTensor Input(TfliteOperator op, int slot)
    {
        string where = OpLabel(op);
        if (slot >= op.Inputs.Length || op.Inputs[slot] < 0)
            throw new TfliteImportException($"{where}: input {slot} is missing");
        int index = op.Inputs[slot];
        QTensor q = Activation(index, where);
        if (!_available.Contains(index))
            throw new TfliteImportException($"{where} reads {Describe(index)} before any operator writes it (operators are not in execution order)");
        return q;
    }

    /// <summary>An op's single output; each tensor is written once and never a model input.</summary>
    private QTensor Output(TfliteOperator op)
    {
        string where = OpLabel(op);
        if (op.Outputs.Length != 1)
            throw new TfliteImportException($"{where} has {op.Outputs.Length} outputs; the supported operators have exactly 1");
        int index = op.Outputs[0];
        if (_graphInputs.Contains(index))
            throw new TfliteImportException($"{where} writes model input {Describe(index)}");
        if (_available.Contains(index))
            throw new TfliteImportException($"{where} writes {Describe(index)}, which an earlier operator already wrote");
        QTensor q = Activation(index, where);
        _available.Add(index);
        return q;
    }

    /// <summary>The raw bytes of a constant tensor of the given type (checked against its shape).</summary>
    private ReadOnlyMemory<byte> ConstantBytes(int index, TfliteTensorType type, string where, string role)
    {
        TfliteTensor t = _sg.Tensors[index];
        if (!IsConstant(index))
            throw new TfliteImportException($"{where}: the {role} ({t.Describe()}) must be a constant tensor");
        if (t.Type != type)
            throw new TfliteImportException($"{where}: the {role} ({t.Describe()}) has type {TfliteSchema.TypeName(t.Type)}, expected {TfliteSchema.TypeName(type)}");
        if (t.IsSparse)
            throw new TfliteImportException($"{where}: the {role} ({t.Describe()}) is sparse; sparse tensors are not supported");
        int size = type switch { TfliteTensorType.Int8 => 1, TfliteTensorType.Int32 => 4, TfliteTensorType.Int64 => 8, _ => 0 };
        long expected = 1;
        foreach (int d in t.Shape)
        {
            if (d < 0) throw new TfliteImportException($"{where}: the {role} ({t.Describe()}) has a negative dimension");
            expected *= d;
            if (expected > int.MaxValue) throw new TfliteImportException($"{where}: the {role} ({t.Describe()}) is too large");
        }
        ReadOnlyMemory<byte> data = _model.Buffers[t.Buffer].Data;
        if (data.Length != expected * size)
            throw new TfliteImportException($"{where}: the {role} ({t.Describe()}, shape [{string.Join(",", t.Shape)}]) has {data.Length} bytes of data, expected {expected * size}");
        return data;
    }

    private sbyte[] ConstantInt8(int index, string where, string role)
    {
        return MemoryMarshal.Cast<byte, sbyte>(ConstantBytes(index, TfliteTensorType.Int8, where, role).Span).ToArray();
    }

    private int[] ConstantInt32(int index, string where, string role)
    {
        ReadOnlySpan<byte> b = ConstantBytes(index, TfliteTensorType.Int32, where, role).Span;
        var a = new int[b.Length / 4];
        for (int i = 0; i < a.Length; i++) a[i] = BinaryPrimitives.ReadInt32LittleEndian(b.Slice(4 * i, 4));
        return a; // (little-endian on every host this runs on, but read portably)
    }

    private static string SanitizeName(string name)
    {
        var chars = (name ?? "").Where(c => c >= 0x20 && c < 0x7F).Take(BlobLayout.MaxNameLength).ToArray();
        return chars.Length == 0 ? "tflite" : new string(chars);
    }
}
