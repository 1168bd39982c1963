using Micro.Tooling.Onnx.Proto;

namespace Micro.Tooling.Onnx;

/// <summary>One ONNX node as read from the file, with typed attribute getters whose errors name the node.</summary>
public sealed class OnnxNode
{
    internal OnnxNode(NodeProto proto, int index)
    {
        Index = index;
        Name = string.IsNullOrEmpty(proto.Name) ? $"#{index}" : proto.Name;
        OpType = proto.OpType;
        Domain = proto.Domain;
        Inputs = proto.Input.ToArray();
        Outputs = proto.Output.ToArray();
        foreach (var a in proto.Attribute)
        {
            if (string.IsNullOrEmpty(a.Name))
                throw new OnnxFormatException($"{Label} has an attribute without a name");
            if (!Attributes.TryAdd(a.Name, a))
                throw new OnnxFormatException($"{Label} has attribute '{a.Name}' twice");
        }
    }

    /// <summary>Position in the file's node list.</summary>
    public int Index { get; }
    public string Name { get; }
    public string OpType { get; }
    public string Domain { get; }
    /// <summary>Input value names; "" marks an omitted optional input.</summary>
    public string[] Inputs { get; }
    public string[] Outputs { get; }
    public Dictionary<string, AttributeProto> Attributes { get; } = new(StringComparer.Ordinal);

    /// <summary>"node 'name' (OpType)", for messages.</summary>
    public string Label => $"node '{Name}' ({OpType})";

    public bool Has(string name) => Attributes.ContainsKey(name);

    public string? Input(int i) => i < Inputs.Length && Inputs[i].Length > 0 ? Inputs[i] : null;

    public long GetInt(string name, long fallback)
    {
        if (!Attributes.TryGetValue(name, out var a)) return fallback;
        if (a.Type != AttributeProto.Types.AttributeType.Int && !(a.Type == 0 && a.HasI))
            throw Wrong(name, a, "an integer");
        return a.I;
    }

    public float GetFloat(string name, float fallback)
    {
        if (!Attributes.TryGetValue(name, out var a)) return fallback;
        if (a.Type != AttributeProto.Types.AttributeType.Float && !(a.Type == 0 && a.HasF))
            throw Wrong(name, a, "a float");
        return a.F;
    }

    public string GetString(string name, string fallback)
    {
        if (!Attributes.TryGetValue(name, out var a)) return fallback;
        if (a.Type != AttributeProto.Types.AttributeType.String && !(a.Type == 0 && a.HasS))
            throw Wrong(name, a, "a string");
        return a.S.ToStringUtf8();
    }

    public long[]? GetInts(string name)
    {
        if (!Attributes.TryGetValue(name, out var a)) return null;
        if (a.Type != AttributeProto.Types.AttributeType.Ints && a.Type != 0)
            throw Wrong(name, a, "a list of integers");
        return a.Ints.ToArray();
    }

    public float[]? GetFloats(string name)
    {
        if (!Attributes.TryGetValue(name, out var a)) return null;
        if (a.Type != AttributeProto.Types.AttributeType.Floats && a.Type != 0)
            throw Wrong(name, a, "a list of floats");
        return a.Floats.ToArray();
    }

    public TensorProto? GetTensor(string name)
    {
        if (!Attributes.TryGetValue(name, out var a)) return null;
        if (a.Type != AttributeProto.Types.AttributeType.Tensor && !(a.Type == 0 && a.T != null))
            throw Wrong(name, a, "a tensor");
        return a.T ?? throw new OnnxFormatException($"{Label}: attribute '{name}' has no tensor");
    }

    private OnnxFormatException Wrong(string name, AttributeProto a, string expected) =>
        new($"{Label}: attribute '{name}' is {a.Type}, expected {expected}");

    public override string ToString() => Label;
}

/// <summary>A graph input or output: name, element type and shape as declared (-1 for an unknown or
/// symbolic dimension; null shape when none is declared).</summary>
public sealed record OnnxValueInfo(string Name, OnnxDataType ElemType, long[]? Dims);

/// <summary>An ONNX model as read from the file: nodes in a topological order, initializers decoded to
/// constants, the graph's real inputs (initializers excluded) and outputs.</summary>
public sealed class OnnxModel
{
    public long IrVersion { get; init; }
    public int Opset { get; init; }
    public string ProducerName { get; init; } = "";
    public string GraphName { get; init; } = "";
    public List<OnnxNode> Nodes { get; } = new();
    public Dictionary<string, ConstTensor> Initializers { get; } = new(StringComparer.Ordinal);
    public List<OnnxValueInfo> Inputs { get; } = new();
    public List<OnnxValueInfo> Outputs { get; } = new();
}
