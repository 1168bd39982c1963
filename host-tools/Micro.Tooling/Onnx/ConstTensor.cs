namespace Micro.Tooling.Onnx;

/// <summary>ONNX element types (TensorProto.DataType) the importer knows by name.</summary>
public enum OnnxDataType
{
    Undefined = 0, Float = 1, UInt8 = 2, Int8 = 3, UInt16 = 4, Int16 = 5, Int32 = 6, Int64 = 7, String = 8,
    Bool = 9, Float16 = 10, Double = 11, UInt32 = 12, UInt64 = 13, Complex64 = 14, Complex128 = 15, BFloat16 = 16,
}

/// <summary>Quantization parameters a QuantizeLinear/DequantizeLinear pair gave a constant (per tensor when
/// <see cref="Axis"/> is -1, else one scale per index of that axis).</summary>
public sealed record ConstQuantInfo(float[] Scales, int[] ZeroPoints, int Axis);

/// <summary>A constant tensor (initializer, Constant node or folded value). Values are held as doubles,
/// which represent float32, every integer type up to 32 bits and the int64 values of shapes exactly; a
/// float tensor's values are always float32-representable.</summary>
public sealed class ConstTensor
{
    public ConstTensor(OnnxDataType type, int[] shape, double[] data)
    {
        if (data.Length != ShapeUtil.Count(shape))
            throw new ArgumentException($"{data.Length} values for shape {ShapeUtil.Format(shape)}");
        Type = type;
        Shape = shape;
        Data = data;
    }

    public OnnxDataType Type { get; }
    public int[] Shape { get; }
    public double[] Data { get; }
    public int Count => Data.Length;
    public ConstQuantInfo? Quant { get; init; }

    public bool IsFloat => Type is OnnxDataType.Float or OnnxDataType.Double or OnnxDataType.Float16;
    public bool IsInteger => Type is OnnxDataType.Int8 or OnnxDataType.UInt8 or OnnxDataType.Int16 or
        OnnxDataType.UInt16 or OnnxDataType.Int32 or OnnxDataType.UInt32 or OnnxDataType.Int64 or
        OnnxDataType.UInt64 or OnnxDataType.Bool;

    public float[] ToFloats()
    {
        var f = new float[Data.Length];
        for (int i = 0; i < f.Length; i++) f[i] = (float)Data[i];
        return f;
    }

    public long[] ToLongs()
    {
        var l = new long[Data.Length];
        for (int i = 0; i < l.Length; i++) l[i] = (long)Data[i];
        return l;
    }

    public static ConstTensor FromFloats(int[] shape, float[] values)
    {
        var d = new double[values.Length];
        for (int i = 0; i < d.Length; i++) d[i] = values[i];
        return new ConstTensor(OnnxDataType.Float, shape, d);
    }

    public static ConstTensor FromLongs(int[] shape, long[] values)
    {
        var d = new double[values.Length];
        for (int i = 0; i < d.Length; i++) d[i] = values[i];
        return new ConstTensor(OnnxDataType.Int64, shape, d);
    }

    public override string ToString() => $"{Type} {ShapeUtil.Format(Shape)}";
}
