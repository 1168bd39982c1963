using Micro.Runtime.Format;
using Micro.Runtime.Kernels;
using Micro.Tooling.Graph;

namespace Micro.Tooling.Blob;

/// <summary>
/// Lowers a QGraph to blob bytes: plans the arena, folds input zero points into biases, lays out constants
/// and writes the op records in the param order of docs/blob-format.md. Deterministic: the same graph
/// gives the same bytes.
/// </summary>
public static class BlobEmitter
{
    public sealed record Result(byte[] Blob, ArenaPlanner.Plan Plan);

    public static byte[] Emit(QGraph g) => EmitWithPlan(g).Blob;

    public static Result EmitWithPlan(QGraph g)
    {
        var index = new Dictionary<QTensor, int>();
        for (int i = 0; i < g.Tensors.Count; i++)
            if (!index.TryAdd(g.Tensors[i], i)) throw new InvalidOperationException($"tensor '{g.Tensors[i].Name}' is listed twice");
        int Idx(QTensor t) => index.TryGetValue(t, out int i) ? i : throw new InvalidOperationException($"tensor '{t.Name}' is used but not in the graph's tensor list");

        var plan = ArenaPlanner.Run(g);
        var w = new BlobWriter { Name = g.Name, Version = g.Version, ArenaSize = plan.ArenaSize };
        foreach (var t in g.Tensors)
            w.Tensors.Add(new BlobWriter.TensorRecord(t.DType, t.Shape, t.ZeroPoint, t.Scale, plan.Offsets.TryGetValue(t, out int off) ? off : 0));
        w.Inputs.AddRange(g.Inputs.Select(Idx));
        w.Outputs.AddRange(g.Outputs.Select(Idx));

        foreach (var op in g.Ops)
        {
            int[] inputs = op.Inputs.Select(Idx).ToArray();
            int output = Idx(op.Output);
            switch (op)
            {
                case QSimpleOp s:
                    w.Ops.Add(new BlobWriter.OpRecord(s.OpCode, s.ExitGroup, inputs, output, s.Params, Array.Empty<int>()));
                    break;
                case QTableOp t:
                    {
                        int[] tp = (int[])t.Params.Clone();
                        foreach (var (slot, values) in t.Tables) tp[slot] = w.AddConst(values);
                        w.Ops.Add(new BlobWriter.OpRecord(t.OpCode, t.ExitGroup, inputs, output, tp, t.Tables.Select(x => x.Param).ToArray()));
                        break;
                    }
                case QWeightedOp wo:
                    var (prms, consts) = Weighted(w, wo);
                    w.Ops.Add(new BlobWriter.OpRecord(wo.OpCode, wo.ExitGroup, inputs, output, prms, consts));
                    break;
                default:
                    throw new InvalidOperationException($"op '{op.Name}': no lowering for {op.GetType().Name}");
            }
        }
        foreach (var x in g.Exits) w.Exits.Add(new BlobWriter.ExitRecord(x.Group, Idx(x.Output), x.Threshold));
        return new Result(w.ToArray(), plan);
    }

    private static (int[] Params, int[] ConstParams) Weighted(BlobWriter w, QWeightedOp op)
    {
        var x = op.Inputs[0];
        int outChannels = op.Output.Channels;
        bool int16 = x.DType == DType.Int16;
        bool fold = op.FoldInputZeroPoint && !int16;
        int wOff = w.AddConst(op.Weights);
        int bOff;
        if (int16)
            bOff = w.AddConst(op.Bias64 ?? new long[outChannels]);
        else
        {
            var bias = (int[])(op.Bias ?? new int[outChannels]).Clone();
            if (fold && x.ZeroPoint != 0)
            {
                long[] sums = WeightSums(op, outChannels);
                for (int o = 0; o < outChannels; o++) bias[o] = unchecked((int)(bias[o] - (long)x.ZeroPoint * sums[o]));
            }
            bOff = w.AddConst(bias);
        }
        int mOff = w.AddConst(op.Multipliers);
        int sOff = w.AddConst(op.Shifts);
        int q = op.Multipliers.Length, flags = fold ? BlobLayout.FlagBiasFolded : 0;
        // Each kernel's own encoder (firmware/Micro.Runtime/Kernels): the one definition of its param layout.
        int[] p = op switch
        {
            QConv { Groups: > 1 } c => GroupedConv.Encode(wOff, bOff, mOff, sOff, q, op.ActMin, op.ActMax, flags,
                c.KernelH, c.KernelW, c.StrideH, c.StrideW, c.DilationH, c.DilationW, c.PadTop, c.PadLeft, c.Groups),
            QConv { Is1D: true, Depthwise: false } c => Conv1D.Encode(wOff, bOff, mOff, sOff, q, op.ActMin, op.ActMax, flags,
                c.KernelW, c.StrideW, c.DilationW, c.PadLeft),
            QConv { Is1D: true, Depthwise: true } c => DepthwiseConv1D.Encode(wOff, bOff, mOff, sOff, q, op.ActMin, op.ActMax, flags,
                c.KernelW, c.StrideW, c.DilationW, c.PadLeft, c.DepthMultiplier),
            QConv { Depthwise: false } c => Conv2D.Encode(wOff, bOff, mOff, sOff, q, op.ActMin, op.ActMax, flags,
                c.KernelH, c.KernelW, c.StrideH, c.StrideW, c.DilationH, c.DilationW, c.PadTop, c.PadLeft),
            QConv c => DepthwiseConv2D.Encode(wOff, bOff, mOff, sOff, q, op.ActMin, op.ActMax, flags,
                c.KernelH, c.KernelW, c.StrideH, c.StrideW, c.DilationH, c.DilationW, c.PadTop, c.PadLeft, c.DepthMultiplier),
            _ => FullyConnected.Encode(wOff, bOff, mOff, sOff, q, op.ActMin, op.ActMax, flags),
        };
        return (p, new[] { FullyConnected.PWeights, FullyConnected.PBias, FullyConnected.PMult, FullyConnected.PShift });
    }

    /// <summary>Σ of all weights feeding each output channel, in the op's weight layout.</summary>
    private static long[] WeightSums(QWeightedOp op, int outChannels)
    {
        var sums = new long[outChannels];
        var wt = op.Weights;
        if (op is QConv { Depthwise: true })
        {
            // [Kh][Kw][C·dm]: channel is the innermost index.
            for (int i = 0; i < wt.Length; i++) sums[i % outChannels] += wt[i];
        }
        else
        {
            // FC [M][K] and conv [Cout][Kh][Kw][Cin]: one contiguous row per output channel.
            int per = wt.Length / outChannels;
            for (int i = 0; i < wt.Length; i++) sums[i / per] += wt[i];
        }
        return sums;
    }
}
