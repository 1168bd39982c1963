namespace Micro.Tooling.TFLite;

/// <summary>
/// A TFLite model as read from its flatbuffer (schema v3), with every cross-reference already checked:
/// tensor buffer indices, operator opcode indices and tensor indices are in range. Only the parts of the
/// schema the importer uses are kept. Read with <see cref="TfliteModelReader.Read"/>.
/// </summary>
public sealed class TfliteModel
{
    public required uint Version { get; init; }
    public required string? Description { get; init; }
    public required IReadOnlyList<TfliteOperatorCode> OperatorCodes { get; init; }
    public required IReadOnlyList<TfliteSubGraph> SubGraphs { get; init; }
    public required IReadOnlyList<TfliteBuffer> Buffers { get; init; }

    /// <summary>Bytes of the whole file.</summary>
    public required int FileLength { get; init; }
}

/// <summary>
/// An operator code. The real builtin code is max(deprecated_builtin_code, builtin_code): old files set
/// only the int8 field, new files set both (the int8 one saturated at 127 for codes above it).
/// </summary>
public sealed class TfliteOperatorCode
{
    public required sbyte DeprecatedBuiltinCode { get; init; }
    public required int BuiltinCodeField { get; init; }
    public required string? CustomCode { get; init; }
    public required int Version { get; init; }

    public int BuiltinCode => Math.Max(DeprecatedBuiltinCode, BuiltinCodeField);

    public string Describe() => BuiltinCode == TfliteSchema.Op.Custom
        ? "CUSTOM op \"" + CustomCode + "\""
        : TfliteSchema.OperatorName(BuiltinCode);
}

/// <summary>
/// A constant buffer: its bytes, either inside the flatbuffer (<c>data</c>) or, in files written with the
/// buffers after the flatbuffer, at <c>offset</c>/<c>size</c> from the start of the file.
/// </summary>
public sealed class TfliteBuffer
{
    public required ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>True when the bytes came from the offset/size fields (stored after the flatbuffer).</summary>
    public required bool External { get; init; }
}

public sealed class TfliteSubGraph
{
    public required string? Name { get; init; }
    public required IReadOnlyList<TfliteTensor> Tensors { get; init; }
    public required int[] Inputs { get; init; }
    public required int[] Outputs { get; init; }
    public required IReadOnlyList<TfliteOperator> Operators { get; init; }
}

public sealed class TfliteTensor
{
    public required int Index { get; init; }
    public required string Name { get; init; }
    public required int[] Shape { get; init; }
    public required TfliteTensorType Type { get; init; }

    /// <summary>Index into <see cref="TfliteModel.Buffers"/>; 0 (the empty sentinel) for activations.</summary>
    public required int Buffer { get; init; }

    /// <summary>Null when the tensor carries no quantization (no scale or no zero point), as TFLM decides.</summary>
    public required TfliteQuantization? Quantization { get; init; }

    public required bool IsVariable { get; init; }
    public required bool IsSparse { get; init; }

    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (int d in Shape) n *= d;
            return n;
        }
    }

    public string Describe() => $"tensor {Index} \"{Name}\"";
}

/// <summary>
/// Affine quantization: real = scale × (q − zero_point); per-axis when <see cref="Scale"/> has more than one
/// entry (along <see cref="QuantizedDimension"/>).
/// </summary>
public sealed class TfliteQuantization
{
    public required float[] Scale { get; init; }
    public required long[] ZeroPoint { get; init; }
    public required int QuantizedDimension { get; init; }

    /// <summary>True when the details union is set (custom quantization): scale and zero point are then ignored by TFLite.</summary>
    public required bool HasCustomDetails { get; init; }

    public bool IsPerAxis => Scale.Length > 1;
}

public sealed class TfliteOperator
{
    public required int Index { get; init; }
    public required int OpcodeIndex { get; init; }

    /// <summary>Tensor indices; −1 marks an omitted optional input.</summary>
    public required int[] Inputs { get; init; }

    public required int[] Outputs { get; init; }

    /// <summary>Type number of the builtin_options union (0 = none).</summary>
    public required byte BuiltinOptionsType { get; init; }

    /// <summary>The parsed options when their type is one this reader knows; null otherwise.</summary>
    public required TfliteOptions? Options { get; init; }

    public required bool HasCustomOptions { get; init; }
    public required int IntermediateCount { get; init; }
}
