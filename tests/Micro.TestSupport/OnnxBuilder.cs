using Google.Protobuf;
using Micro.Tooling.Onnx.Proto;

namespace Micro.TestSupport;

/// <summary>Builds small ONNX models in memory for importer tests.</summary>
public sealed class OnnxBuilder
{
    private readonly ModelProto _m = new() { IrVersion = 7, ProducerName = "tests", Graph = new GraphProto { Name = "g" } };

    public OnnxBuilder(int opset = 13) => _m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });

    public GraphProto Graph => _m.Graph;

    public OnnxBuilder Input(string name, params long[] dims) { _m.Graph.Input.Add(Value(name, dims, 1)); return this; }

    public OnnxBuilder Output(string name, params long[] dims) { _m.Graph.Output.Add(Value(name, dims, 1)); return this; }

    public static ValueInfoProto Value(string name, long[] dims, int elemType)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "N" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elemType, Shape = shape } } };
    }

    public static TensorProto Floats(string name, int[] dims, float[] values)
    {
        var t = new TensorProto { Name = name, DataType = 1 };
        t.Dims.AddRange(dims.Select(d => (long)d));
        var raw = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        t.RawData = ByteString.CopyFrom(raw);
        return t;
    }

    public static TensorProto Longs(string name, params long[] values)
    {
        var t = new TensorProto { Name = name, DataType = 7 };
        t.Dims.Add(values.Length);
        t.Int64Data.AddRange(values);
        return t;
    }

    public OnnxBuilder Init(TensorProto t) { _m.Graph.Initializer.Add(t); return this; }

    public OnnxBuilder Init(string name, int[] dims, float[] values) => Init(Floats(name, dims, values));

    public OnnxBuilder Node(string op, string[] inputs, string[] outputs, string? name = null, params AttributeProto[] attrs)
    {
        var n = new NodeProto { OpType = op, Name = name ?? op.ToLowerInvariant() + _m.Graph.Node.Count };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        n.Attribute.AddRange(attrs);
        _m.Graph.Node.Add(n);
        return this;
    }

    public static AttributeProto Int(string name, long v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v };
    public static AttributeProto Float(string name, float v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = v };
    public static AttributeProto Str(string name, string v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(v) };
    public static AttributeProto Ints(string name, params long[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(v);
        return a;
    }
    public static AttributeProto Tensor(string name, TensorProto t) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = t };

    public byte[] Bytes() => _m.ToByteArray();

    public ModelProto Proto => _m;

    /// <summary>Deterministic pseudo-random values in [-1, 1).</summary>
    public static float[] Random(int n, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
    }
}
