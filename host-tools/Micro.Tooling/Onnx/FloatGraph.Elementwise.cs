namespace Micro.Tooling.Onnx;

/// <summary>Element-wise a ∘ b of two activations (<see cref="FloatOp.Mul"/>, <see cref="FloatOp.Sub"/>,
/// <see cref="FloatOp.BroadcastAdd"/>, <see cref="FloatOp.Div"/>) with NumPy broadcasting over the physical
/// shapes, which have the output's rank. Same-shape Add stays an <see cref="AddNode"/>. A Div has no int8 op:
/// it must end up inside a fused <see cref="PointwiseNode"/> (both operands functions of one tensor).</summary>
public sealed class BinaryNode : FloatNode
{
    public BinaryNode(FloatOp op, string name, string source, string a, string b, string output)
        : base(name, source, new[] { a, b }, output)
    {
        if (op is not (FloatOp.Mul or FloatOp.Sub or FloatOp.BroadcastAdd or FloatOp.Div))
            throw new ArgumentException($"{op} is not a binary element-wise op");
        _op = op;
    }
    private readonly FloatOp _op;
    public override FloatOp Op => _op;

    public double Apply(double a, double b) => _op switch
    {
        FloatOp.Mul => a * b,
        FloatOp.Sub => a - b,
        FloatOp.Div => a / b,
        _ => a + b,
    };
}

/// <summary>y = <see cref="Function"/>(x) element-wise: the ONNX activations without an int8 kernel of their own
/// (HardSigmoid, HardSwish, Erf, Gelu, Softplus…) and, after <see cref="PointwiseFusion"/>, whole subgraphs that
/// are functions of one tensor (x·σ(x), the erf and tanh GELUs). The quantizer tabulates it into a LUT.</summary>
public sealed class PointwiseNode : FloatNode
{
    public PointwiseNode(string name, string source, string input, string output, Func<double, double> function, string description)
        : base(name, source, new[] { input }, output)
    {
        Function = function;
        Description = description;
    }
    public override FloatOp Op => FloatOp.Pointwise;
    public Func<double, double> Function { get; set; }
    /// <summary>What F is, for messages and the float graph's description ("Sigmoid·Mul").</summary>
    public string Description { get; set; }
    /// <summary>F's whole output range when F itself bounds it (HardSigmoid [0, 1], Erf [−1, 1]); the quantizer then
    /// uses it whatever the calibration method, so a histogram method cannot clip a gate. Null = calibrated.</summary>
    public (double Min, double Max)? OutputRange { get; set; }

    public override string ToString() => base.ToString() + " F = " + Description;
}
