using Micro.Runtime;
using Micro.Runtime.Format;
using Micro.Runtime.Kernels;

namespace Micro.Tooling.Inspection;

/// <summary>
/// What `micro inspect` shows: every op with shapes, MACs, weight bytes and arena placement, plus totals.
/// Two versions, not to be confused: <see cref="FormatVersion"/> is the blob format (header u16, docs/blob-format.md),
/// <see cref="ModelVersion"/> the model's own metadata string, written by the packer ("1" unless set).
/// </summary>
public sealed record BlobReport(
    string Name,
    int FormatVersion,
    string ModelVersion,
    int BlobBytes,
    int ArenaBytes,
    int PayloadBytes,
    long MainMacs,
    IReadOnlyList<OpReport> Ops,
    IReadOnlyList<ExitHeadReport> Exits)
{
    /// <summary>Provenance and input layout from the blob's metadata records (each null when absent).</summary>
    public BlobMetadata Metadata { get; init; } = new(null, null, null);

    public static BlobReport FromBlob(byte[] blob)
    {
        var m = Model.Load(blob);
        var ops = m.Ops.Select(op => new OpReport(
            op.Index,
            OpCodes.Name(op.Code),
            op.ExitGroup,
            op.Inputs.Select(i => Shape(m.Tensors[i]) + (m.Tensors[i].DType == DType.Int8 ? "" : " " + DType.Name(m.Tensors[i].DType))).ToArray(),
            Shape(m.Tensors[op.Outputs[0]]),
            DType.Name(m.Tensors[op.Outputs[0]].DType),
            op.Macs,
            WeightBytes(m, op),
            m.Tensors[op.Outputs[0]].ArenaOffset,
            m.Tensors[op.Outputs[0]].ByteSize)).ToList();
        var exits = m.Exits.Select(x => new ExitHeadReport(x.Group, x.LastOp, x.Threshold, x.HeadMacs, MacsUpTo(m, x.LastOp))).ToList();
        int constLength = BitConverter.ToInt32(blob, BlobLayout.OffConstLength);
        return new BlobReport(m.Name, BitConverter.ToUInt16(blob, BlobLayout.OffVersion), m.Version, blob.Length, m.ArenaSize, constLength, m.MainMacs, ops, exits)
        {
            Metadata = BlobMetadata.Read(m),
        };
    }

    /// <summary>Int8 weight bytes of a weighted op, from its shapes and params (0 for other ops).</summary>
    public static int WeightBytes(Model m, Op op)
    {
        var x = m.Tensors[op.Inputs[0]];
        var y = m.Tensors[op.Outputs[0]];
        var p = op.Params;
        return op.Code switch
        {
            OpCodes.FullyConnected => ((FullyConnectedData)op.Data).Depth * ((FullyConnectedData)op.Data).Outputs,
            OpCodes.Conv1D => y.Channels * p[Conv1D.PKernel] * x.Channels,
            OpCodes.Conv2D => y.Channels * p[Conv2D.PKh] * p[Conv2D.PKw] * x.Channels,
            OpCodes.DepthwiseConv1D => p[DepthwiseConv1D.PKernel] * y.Channels,
            OpCodes.DepthwiseConv2D => p[DepthwiseConv2D.PKh] * p[DepthwiseConv2D.PKw] * y.Channels,
            OpCodes.Lstm => 4 * y.Channels * (x.Channels + y.Channels),
            _ => 0,
        };
    }

    /// <summary>MACs executed when the run stops right after op `last` (main ops and that exit's head).</summary>
    private static long MacsUpTo(Model m, int last)
    {
        int group = m.Ops[last].ExitGroup;
        return m.Ops.Take(last + 1).Where(o => o.ExitGroup == 0 || o.ExitGroup == group).Sum(o => o.Macs);
    }

    private static string Shape(Tensor t) => "[" + string.Join(",", t.Dims) + "]";
}

public sealed record OpReport(int Index, string Op, int ExitGroup, string[] InputShapes, string OutputShape, string OutputType,
    long Macs, int WeightBytes, int ArenaOffset, int OutputBytes);

public sealed record ExitHeadReport(int Group, int AfterOp, int Threshold, long HeadMacs, long MacsWhenTaken);
