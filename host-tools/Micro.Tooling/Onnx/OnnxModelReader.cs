using System.Buffers.Binary;
using Google.Protobuf;
using Micro.Tooling.Onnx.Proto;

namespace Micro.Tooling.Onnx;

/// <summary>Reads an .onnx file into an <see cref="OnnxModel"/>: parses the protobuf, decodes initializers,
/// checks that every value has a producer and sorts the nodes topologically. Everything wrong with the
/// file is an <see cref="OnnxFormatException"/>; a valid file outside what Micro reads (opset, external
/// data, other domains) is an <see cref="OnnxUnsupportedException"/>.</summary>
public static class OnnxModelReader
{
    public const int MinOpset = 11;
    public const int MaxOpset = 17;

    public static OnnxModel Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException e) { throw new OnnxFormatException($"cannot read '{path}': {e.Message}", e); }
        return Read(bytes, Path.GetFileName(path));
    }

    public static OnnxModel Read(byte[] bytes, string what = "model")
    {
        if (bytes.Length == 0) throw new OnnxFormatException($"{what}: the file is empty");
        ModelProto proto;
        try { proto = ModelProto.Parser.ParseFrom(bytes); }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxFormatException($"{what}: not a valid ONNX (protobuf) file, or truncated: {e.Message}", e);
        }
        catch (ArgumentOutOfRangeException e) // Google.Protobuf 3.25 on a negative length inside an unknown field
        {
            throw new OnnxFormatException($"{what}: not a valid ONNX (protobuf) file: a length field is out of range", e);
        }
        catch (IndexOutOfRangeException e) // Google.Protobuf 3.25 on an unknown fixed32/fixed64 field cut by its message's end
        {
            throw new OnnxFormatException($"{what}: not a valid ONNX (protobuf) file: a field runs past the end of its message", e);
        }
        catch (OutOfMemoryException e)
        {
            // Google.Protobuf 3.25 checks a string/bytes length against its message's declared end, not the
            // file's: a message that claims 2 GB lets a field inside it allocate that much before the read
            // runs out of input. The array is never touched (peak RSS stays ≈ 35 MB), but where memory is
            // capped the allocation itself fails; either way the file is refused.
            throw new OnnxFormatException($"{what}: not a valid ONNX (protobuf) file: a length field is larger than the file", e);
        }
        return FromProto(proto, what);
    }

    public static OnnxModel FromProto(ModelProto proto, string what = "model")
    {
        if (proto.Graph == null)
            throw new OnnxFormatException($"{what}: the model has no graph (not an ONNX model, or truncated)");
        int opset = -1;
        foreach (var o in proto.OpsetImport)
            if (o.Domain is "" or "ai.onnx") opset = (int)o.Version;
        if (opset < 0)
            throw new OnnxFormatException($"{what}: no opset_import for the default ONNX domain");
        if (opset < MinOpset || opset > MaxOpset)
            throw new OnnxUnsupportedException(
                $"{what}: opset {opset}; Micro reads opsets {MinOpset}–{MaxOpset} (re-export, e.g. with opset_version=13)");

        var g = proto.Graph;
        var model = new OnnxModel
        {
            IrVersion = proto.IrVersion,
            Opset = opset,
            ProducerName = proto.ProducerName,
            GraphName = g.Name,
        };
        foreach (var t in g.Initializer)
        {
            if (string.IsNullOrEmpty(t.Name)) throw new OnnxFormatException($"{what}: an initializer has no name");
            if (!model.Initializers.TryAdd(t.Name, DecodeTensor(t, $"initializer '{t.Name}'")))
                throw new OnnxFormatException($"{what}: initializer '{t.Name}' is defined twice");
        }
        foreach (var vi in g.Input)
        {
            if (model.Initializers.ContainsKey(vi.Name)) continue; // IR < 4 lists initializers as inputs too
            if (model.Inputs.Any(i => i.Name == vi.Name)) throw new OnnxFormatException($"{what}: graph input '{vi.Name}' is listed twice");
            model.Inputs.Add(ValueInfo(vi, "input"));
        }
        if (model.Inputs.Count == 0) throw new OnnxFormatException($"{what}: the graph has no inputs");
        foreach (var vi in g.Output) model.Outputs.Add(ValueInfo(vi, "output"));
        if (model.Outputs.Count == 0) throw new OnnxFormatException($"{what}: the graph has no outputs");

        var nodes = new List<OnnxNode>();
        for (int i = 0; i < g.Node.Count; i++)
        {
            var n = new OnnxNode(g.Node[i], i);
            if (n.Domain is not ("" or "ai.onnx"))
                throw new OnnxUnsupportedException($"{n.Label}: operator domain '{n.Domain}' is not supported (only the default ONNX domain)");
            if (string.IsNullOrEmpty(n.OpType)) throw new OnnxFormatException($"{what}: node #{i} has no op_type");
            nodes.Add(n);
        }
        model.Nodes.AddRange(TopologicalOrder(nodes, model, what));
        return model;
    }

    private static OnnxValueInfo ValueInfo(ValueInfoProto vi, string kind)
    {
        if (string.IsNullOrEmpty(vi.Name)) throw new OnnxFormatException($"a graph {kind} has no name");
        if (vi.Type == null || vi.Type.ValueCase != TypeProto.ValueOneofCase.TensorType)
            throw new OnnxFormatException($"graph {kind} '{vi.Name}' is not a tensor (or has no type)");
        var tt = vi.Type.TensorType;
        long[]? dims = null;
        if (tt.Shape != null)
        {
            dims = new long[tt.Shape.Dim.Count];
            for (int i = 0; i < dims.Length; i++)
            {
                var d = tt.Shape.Dim[i];
                dims[i] = d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue >= 0
                    ? d.DimValue : -1;
            }
        }
        return new OnnxValueInfo(vi.Name, (OnnxDataType)tt.ElemType, dims);
    }

    private static IEnumerable<OnnxNode> TopologicalOrder(List<OnnxNode> nodes, OnnxModel model, string what)
    {
        var producer = new Dictionary<string, OnnxNode>(StringComparer.Ordinal);
        var available = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in model.Inputs) available.Add(i.Name);
        foreach (var k in model.Initializers.Keys) available.Add(k);
        foreach (var n in nodes)
            foreach (var o in n.Outputs)
            {
                if (o.Length == 0) continue;
                if (available.Contains(o))
                    throw new OnnxFormatException($"{n.Label} writes '{o}', which is already a graph input or initializer");
                if (!producer.TryAdd(o, n))
                    throw new OnnxFormatException($"{n.Label} writes '{o}', which {producer[o].Label} also writes");
            }
        foreach (var n in nodes)
            foreach (var i in n.Inputs)
                if (i.Length > 0 && !available.Contains(i) && !producer.ContainsKey(i))
                    throw new OnnxFormatException(
                        $"{n.Label} reads '{i}', which no node, graph input or initializer provides (missing initializer?)");
        foreach (var o in model.Outputs)
            if (!available.Contains(o.Name) && !producer.ContainsKey(o.Name))
                throw new OnnxFormatException($"graph output '{o.Name}' is produced by no node");

        // Kahn's algorithm, stable: among ready nodes the one earliest in the file goes first.
        var pending = new int[nodes.Count];
        var consumers = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int k = 0; k < nodes.Count; k++)
            foreach (var i in nodes[k].Inputs.Distinct())
                if (i.Length > 0 && producer.ContainsKey(i))
                {
                    pending[k]++;
                    if (!consumers.TryGetValue(i, out var list)) consumers[i] = list = new List<int>();
                    list.Add(k);
                }
        var ready = new SortedSet<int>();
        for (int k = 0; k < nodes.Count; k++) if (pending[k] == 0) ready.Add(k);
        var order = new List<OnnxNode>(nodes.Count);
        while (ready.Count > 0)
        {
            int k = ready.Min;
            ready.Remove(k);
            order.Add(nodes[k]);
            foreach (var o in nodes[k].Outputs)
                if (o.Length > 0 && consumers.TryGetValue(o, out var list))
                    foreach (int c in list)
                        if (--pending[c] == 0) ready.Add(c);
        }
        if (order.Count != nodes.Count)
        {
            var stuck = nodes.Where((n, k) => pending[k] > 0).Take(4).Select(n => n.Label);
            throw new OnnxFormatException($"{what}: the graph has a cycle through {string.Join(", ", stuck)}");
        }
        return order;
    }

    /// <summary>Decodes a TensorProto's data (raw_data or the typed field) into a <see cref="ConstTensor"/>.</summary>
    public static ConstTensor DecodeTensor(TensorProto t, string what)
    {
        if (t.DataLocation == 1 || t.ExternalData.Count > 0)
            throw new OnnxUnsupportedException($"{what} keeps its data in an external file; save the model with all tensors inside");
        var shape = new int[t.Dims.Count];
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            long d = t.Dims[i];
            if (d < 0 || d > int.MaxValue) throw new OnnxFormatException($"{what} has dimension {d}");
            shape[i] = (int)d;
            count *= d;
            if (count > ConstFolder.MaxConstElements) throw new OnnxUnsupportedException($"{what} is too large ({string.Join(",", t.Dims)})");
        }
        var type = (OnnxDataType)t.DataType;
        int elem = ElementSize(type);
        if (elem == 0) throw new OnnxFormatException($"{what} has unsupported or unknown data type {t.DataType} ({type})");
        var data = new double[count];
        if (t.HasRawData)
        {
            var raw = t.RawData.Span;
            if (raw.Length != count * elem)
                throw new OnnxFormatException(
                    $"{what}: raw_data has {raw.Length} bytes, shape {ShapeUtil.Format(shape)} of {type} needs {count * elem}");
            for (int i = 0; i < count; i++) data[i] = ReadRaw(raw.Slice(i * elem, elem), type);
            return new ConstTensor(type, shape, data);
        }
        int have;
        switch (type)
        {
            case OnnxDataType.Float:
                have = t.FloatData.Count; if (have == count) for (int i = 0; i < count; i++) data[i] = t.FloatData[i];
                break;
            case OnnxDataType.Double:
                have = t.DoubleData.Count; if (have == count) for (int i = 0; i < count; i++) data[i] = (float)t.DoubleData[i];
                break;
            case OnnxDataType.Int64:
                have = t.Int64Data.Count; if (have == count) for (int i = 0; i < count; i++) data[i] = t.Int64Data[i];
                break;
            case OnnxDataType.UInt32:
            case OnnxDataType.UInt64:
                have = t.Uint64Data.Count; if (have == count) for (int i = 0; i < count; i++) data[i] = t.Uint64Data[i];
                break;
            case OnnxDataType.Float16:
                have = t.Int32Data.Count; if (have == count) for (int i = 0; i < count; i++) data[i] = (float)BitConverter.UInt16BitsToHalf((ushort)t.Int32Data[i]);
                break;
            default:
                have = t.Int32Data.Count; if (have == count) for (int i = 0; i < count; i++) data[i] = t.Int32Data[i];
                break;
        }
        if (have != count)
        {
            // A tensor whose typed field holds another type's data is as malformed as a short one.
            int other = t.FloatData.Count + t.Int32Data.Count + t.Int64Data.Count + t.DoubleData.Count + t.Uint64Data.Count;
            throw new OnnxFormatException(other != have && count > 0 && have == 0
                ? $"{what}: a {type} tensor whose values are stored in a field of another type"
                : $"{what}: {have} values for shape {ShapeUtil.Format(shape)} ({count} expected)");
        }
        return new ConstTensor(type, shape, data);
    }

    private static int ElementSize(OnnxDataType t) => t switch
    {
        OnnxDataType.Float or OnnxDataType.Int32 or OnnxDataType.UInt32 => 4,
        OnnxDataType.Double or OnnxDataType.Int64 or OnnxDataType.UInt64 => 8,
        OnnxDataType.Int8 or OnnxDataType.UInt8 or OnnxDataType.Bool => 1,
        OnnxDataType.Int16 or OnnxDataType.UInt16 or OnnxDataType.Float16 => 2,
        _ => 0,
    };

    private static double ReadRaw(ReadOnlySpan<byte> b, OnnxDataType t) => t switch
    {
        OnnxDataType.Float => BinaryPrimitives.ReadSingleLittleEndian(b),
        OnnxDataType.Double => (float)BinaryPrimitives.ReadDoubleLittleEndian(b),
        OnnxDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(b),
        OnnxDataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(b),
        OnnxDataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(b),
        OnnxDataType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(b),
        OnnxDataType.Int8 => (sbyte)b[0],
        OnnxDataType.UInt8 => b[0],
        OnnxDataType.Bool => b[0] != 0 ? 1 : 0,
        OnnxDataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(b),
        OnnxDataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(b),
        OnnxDataType.Float16 => (float)BinaryPrimitives.ReadHalfLittleEndian(b),
        _ => throw new InvalidOperationException(),
    };
}
