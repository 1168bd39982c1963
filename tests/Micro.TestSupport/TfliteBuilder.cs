#nullable enable
using System.Buffers.Binary;
using Micro.Tooling.TFLite;
using static Micro.Tooling.TFLite.TfliteSchema;

namespace Micro.TestSupport;

/// <summary>
/// Builds small synthetic .tflite files for tests (one subgraph), through <see cref="FbWriter"/>. Field ids
/// are the reader's own constants, so these files test the reader's logic, while the real models in
/// shared/conformance test the constants themselves.
/// </summary>
public sealed class TfliteBuilder
{
    private sealed record TensorSpec(string Name, TfliteTensorType Type, int[] Shape, float[]? Scales, long[]? ZeroPoints,
        int QuantDim, int Buffer);

    private sealed record OpSpec(int Code, int[] Inputs, int[] Outputs, byte OptionsType, FbWriter.Table? Options);

    private readonly List<byte[]?> _buffers = new() { null };
    private readonly List<TensorSpec> _tensors = new();
    private readonly List<OpSpec> _ops = new();
    private readonly List<int> _codes = new();

    public int[] Inputs { get; set; } = Array.Empty<int>();
    public int[] Outputs { get; set; } = Array.Empty<int>();
    /// <summary>Tensors written with is_variable = true (an LSTM's state).</summary>
    public HashSet<int> VariableTensors { get; } = new();
    public uint Version { get; set; } = SchemaVersion;

    /// <summary>Store buffers after the flatbuffer (offset/size fields) instead of inside it.</summary>
    public bool ExternalBuffers { get; set; }

    /// <summary>Write codes ≥ 127 as TFLite's newer files do: deprecated field 127, builtin_code the real one.</summary>
    public bool NewStyleOpCodes { get; set; } = true;

    public int Tensor(string name, TfliteTensorType type, int[] shape, float scale, long zeroPoint, byte[]? data = null)
        => Tensor(name, type, shape, new[] { scale }, new[] { zeroPoint }, 0, data);

    public int Tensor(string name, TfliteTensorType type, int[] shape, float[]? scales, long[]? zeroPoints, int quantDim,
        byte[]? data)
    {
        int buffer = 0;
        if (data != null)
        {
            _buffers.Add(data);
            buffer = _buffers.Count - 1;
        }
        else
        {
            // Activations get their own empty buffer, as the converter does.
            _buffers.Add(null);
            buffer = _buffers.Count - 1;
        }
        _tensors.Add(new TensorSpec(name, type, shape, scales, zeroPoints, quantDim, buffer));
        return _tensors.Count - 1;
    }

    public int Int8(string name, int[] shape, float scale, int zeroPoint) =>
        Tensor(name, TfliteTensorType.Int8, shape, scale, zeroPoint);

    public int Int8Const(string name, int[] shape, float scale, sbyte[] values) =>
        Tensor(name, TfliteTensorType.Int8, shape, scale, 0, values.Select(v => unchecked((byte)v)).ToArray());

    public int Int8ConstPerChannel(string name, int[] shape, float[] scales, int quantDim, sbyte[] values) =>
        Tensor(name, TfliteTensorType.Int8, shape, scales, new long[scales.Length], quantDim,
            values.Select(v => unchecked((byte)v)).ToArray());

    public int Int32Const(string name, int[] values, float? scale = null)
    {
        var b = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4 * i), values[i]);
        return scale is float s
            ? Tensor(name, TfliteTensorType.Int32, new[] { values.Length }, s, 0, b)
            : Tensor(name, TfliteTensorType.Int32, new[] { values.Length }, null, null, 0, b);
    }

    public void Op(int code, int[] inputs, int[] outputs, byte optionsType = 0, FbWriter.Table? options = null)
    {
        if (!_codes.Contains(code)) _codes.Add(code);
        _ops.Add(new OpSpec(code, inputs, outputs, optionsType, options));
    }

    public static FbWriter.Table Options(params (int id, object value)[] fields)
    {
        var t = new FbWriter.Table();
        foreach (var (id, value) in fields) t.Set(id, value);
        return t;
    }

    public byte[] Build()
    {
        if (!ExternalBuffers) return FbWriter.Build(ModelTable(null), FileIdentifier);
        // Two passes: the offsets do not change the flatbuffer's length, so build once to learn where the
        // trailer starts, then again with the real offsets.
        byte[] first = FbWriter.Build(ModelTable(new long[_buffers.Count]), FileIdentifier);
        int start = first.Length;
        var offsets = new long[_buffers.Count];
        var trailer = new List<byte>();
        for (int i = 0; i < _buffers.Count; i++)
        {
            if (_buffers[i] is not byte[] data) continue;
            while ((start + trailer.Count) % 16 != 0) trailer.Add(0);
            offsets[i] = start + trailer.Count;
            trailer.AddRange(data);
        }
        return FbWriter.Build(ModelTable(offsets), FileIdentifier, trailer.ToArray());
    }

    private FbWriter.Table ModelTable(long[]? externalOffsets)
    {
        var codes = _codes.Select(c =>
        {
            var t = new FbWriter.Table().Set(OpCodeVersion, 1);
            if (NewStyleOpCodes)
            {
                t.Set(OpCodeDeprecatedBuiltinCode, (sbyte)Math.Min(c, 127));
                t.Set(OpCodeBuiltinCode, c);
            }
            else
            {
                t.Set(OpCodeDeprecatedBuiltinCode, (sbyte)c);
            }
            return (FbWriter.Node)t;
        });

        var buffers = _buffers.Select((data, i) =>
        {
            var t = new FbWriter.Table();
            if (data != null)
            {
                if (externalOffsets != null)
                {
                    t.Set(BufferOffset, (ulong)Math.Max(2, externalOffsets[i]));
                    t.Set(BufferSize, (ulong)data.Length);
                }
                else
                {
                    t.Set(BufferData, FbWriter.Bytes(data));
                }
            }
            return (FbWriter.Node)t;
        });

        var tensors = _tensors.Select((s, index) =>
        {
            var t = new FbWriter.Table()
                .Set(TensorShape, FbWriter.Ints(s.Shape))
                .Set(TensorType, (byte)s.Type)
                .Set(TensorBuffer, (uint)s.Buffer)
                .Set(TensorName, new FbWriter.Str { Value = s.Name });
            if (s.Scales != null)
            {
                var q = new FbWriter.Table()
                    .Set(QuantScale, FbWriter.Floats(s.Scales))
                    .Set(QuantZeroPoint, FbWriter.Longs(s.ZeroPoints!));
                if (s.QuantDim != 0) q.Set(QuantQuantizedDimension, s.QuantDim);
                t.Set(TensorQuantization, q);
            }
            if (VariableTensors.Contains(index)) t.Set(TensorIsVariable, true);
            return (FbWriter.Node)t;
        });

        var ops = _ops.Select(o =>
        {
            var t = new FbWriter.Table()
                .Set(OperatorOpcodeIndex, (uint)_codes.IndexOf(o.Code))
                .Set(OperatorInputs, FbWriter.Ints(o.Inputs))
                .Set(OperatorOutputs, FbWriter.Ints(o.Outputs));
            if (o.OptionsType != 0)
            {
                t.Set(OperatorBuiltinOptionsType, o.OptionsType);
                t.Set(OperatorBuiltinOptionsType + 1, o.Options ?? new FbWriter.Table());
            }
            return (FbWriter.Node)t;
        });

        var subgraph = new FbWriter.Table()
            .Set(SubGraphTensors, FbWriter.Of(tensors))
            .Set(SubGraphInputs, FbWriter.Ints(Inputs))
            .Set(SubGraphOutputs, FbWriter.Ints(Outputs))
            .Set(SubGraphOperators, FbWriter.Of(ops))
            .Set(SubGraphName, new FbWriter.Str { Value = "main" });

        return new FbWriter.Table()
            .Set(ModelVersion, Version)
            .Set(ModelOperatorCodes, FbWriter.Of(codes))
            .Set(ModelSubgraphs, FbWriter.Of(new FbWriter.Node[] { subgraph }))
            .Set(ModelDescription, new FbWriter.Str { Value = "synthetic test model" })
            .Set(ModelBuffers, FbWriter.Of(buffers));
    }
}
