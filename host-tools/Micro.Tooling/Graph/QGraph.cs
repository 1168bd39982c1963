using Micro.Runtime.Format;

namespace Micro.Tooling.Graph;

/// <summary>
/// The quantized graph every front end (ONNX quantizer, TFLite importer, tests) produces and BlobEmitter
/// lowers to a blob. Integers only where the device needs them (weights, biases, multipliers, shifts,
/// clamp ranges); float scales ride along for dequantization and inspection.
/// </summary>
public sealed class QGraph
{
    public string Name { get; set; } = "model";
    public string Version { get; set; } = "1";
    public List<QTensor> Tensors { get; } = new();
    public List<QOp> Ops { get; } = new();
    public List<QTensor> Inputs { get; } = new();
    public List<QTensor> Outputs { get; } = new();
    public List<QExit> Exits { get; } = new();

    public QTensor AddTensor(string name, int[] shape, float scale, int zeroPoint, int dtype = DType.Int8)
    {
        var t = new QTensor(name, shape, scale, zeroPoint, dtype);
        Tensors.Add(t);
        return t;
    }

    public T Add<T>(T op) where T : QOp
    {
        Ops.Add(op);
        return op;
    }
}

public sealed class QTensor
{
    public QTensor(string name, int[] shape, float scale, int zeroPoint, int dtype = Micro.Runtime.Format.DType.Int8)
    {
        Name = name;
        Shape = shape;
        Scale = scale;
        ZeroPoint = zeroPoint;
        DType = dtype;
    }

    public string Name { get; set; }
    /// <summary>Channels-last dims (NWC / NHWC / (N, C)).</summary>
    public int[] Shape { get; set; }
    public float Scale { get; set; }
    public int ZeroPoint { get; set; }
    public int DType { get; set; }
    /// <summary>Set by a test to force an arena offset; null lets the planner choose.</summary>
    public int? FixedArenaOffset { get; set; }

    public int ElementCount => Shape.Aggregate(1, (a, b) => a * b);
    public int ByteSize => ElementCount * Micro.Runtime.Format.DType.Size(DType);
    public int Channels => Shape[^1];
    public override string ToString() => $"{Name} [{string.Join(",", Shape)}] {Micro.Runtime.Format.DType.Name(DType)} s={Scale} zp={ZeroPoint}";
}

/// <summary>An early-exit head: its ops carry ExitGroup = Group; Output holds class scores.</summary>
public sealed record QExit(int Group, QTensor Output, int Threshold);

public abstract class QOp
{
    public string Name { get; set; } = "";
    public List<QTensor> Inputs { get; } = new();
    public QTensor Output { get; set; } = null!;
    /// <summary>0 = main graph; k = op of exit head k.</summary>
    public int ExitGroup { get; set; }
    public abstract int OpCode { get; }
}

/// <summary>
/// An op whose params are plain integers (pools, MEAN, ADD, CONCATENATION, RESHAPE, PAD, LOGISTIC, TANH,
/// SOFTMAX, QUANTIZE, RELU, LEAKY_RELU): Params are the words of docs/blob-format.md's table.
/// </summary>
public sealed class QSimpleOp : QOp
{
    public QSimpleOp(int opCode, int[] @params)
    {
        Code = opCode;
        Params = @params;
    }

    public int Code { get; }
    public int[] Params { get; set; }
    public override int OpCode => Code;
}

/// <summary>Weights + requantization shared by FULLY_CONNECTED and the convolutions.</summary>
public abstract class QWeightedOp : QOp
{
    /// <summary>Int8 weights in the blob layout of the opcode (FC [M][K], conv [Cout][Kh][Kw][Cin], depthwise [Kh][Kw][C·dm]).</summary>
    public sbyte[] Weights { get; set; } = Array.Empty<sbyte>();
    /// <summary>Int32 biases (int8 activations), one per output channel; null = zeros.</summary>
    public int[]? Bias { get; set; }
    /// <summary>Int64 biases (int16 activations); null = zeros.</summary>
    public long[]? Bias64 { get; set; }
    /// <summary>Q31 multipliers, one (per-tensor) or one per output channel.</summary>
    public int[] Multipliers { get; set; } = Array.Empty<int>();
    public int[] Shifts { get; set; } = Array.Empty<int>();
    public int ActMin { get; set; } = -128;
    public int ActMax { get; set; } = 127;
    /// <summary>Fold the input zero point into the bias (int8 only) so the device multiplies raw inputs.</summary>
    public bool FoldInputZeroPoint { get; set; } = true;
}

public sealed class QFullyConnected : QWeightedOp
{
    public override int OpCode => OpCodes.FullyConnected;
}

/// <summary>CONV_1D, CONV_2D, DEPTHWISE_CONV_1D, DEPTHWISE_CONV_2D (DEPTHWISE_CONV_16 with an int16 input). For 1D set KernelH = StrideH = DilationH = 1, PadTop = 0.</summary>
public sealed class QConv : QWeightedOp
{
    public bool Depthwise { get; set; }
    public bool Is1D { get; set; }
    public int KernelH { get; set; } = 1;
    public int KernelW { get; set; } = 1;
    public int StrideH { get; set; } = 1;
    public int StrideW { get; set; } = 1;
    public int DilationH { get; set; } = 1;
    public int DilationW { get; set; } = 1;
    public int PadTop { get; set; }
    public int PadLeft { get; set; }
    public int DepthMultiplier { get; set; } = 1;
    /// <summary>Groups of a grouped convolution (GROUPED_CONV, weights [Cout][Kh][Kw][Cin/Groups]); 1 = dense or depthwise.</summary>
    public int Groups { get; set; } = 1;

    public override int OpCode => Groups > 1 ? OpCodes.GroupedConv : (Depthwise, Is1D) switch
    {
        (false, true) => OpCodes.Conv1D,
        (false, false) => OpCodes.Conv2D,
        (true, true) => OpCodes.DepthwiseConv1D,
        (true, false) => Inputs.Count > 0 && Inputs[0].DType == Micro.Runtime.Format.DType.Int16 ? OpCodes.DepthwiseConv16 : OpCodes.DepthwiseConv2D,
    };
}
