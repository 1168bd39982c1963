using Micro.Runtime.Format;
using Micro.Tooling.Graph;

namespace Micro.Tooling.Blob;

/// <summary>
/// Plans every activation tensor's arena offset, offline, so the device indexes one buffer.
/// 1. Lifetimes: a tensor lives from the op that writes it (−1 for model inputs) to the last op that reads
///    it (the end of the graph for model outputs).
/// 2. Aliases: the output of RESHAPE and of element-wise ops that read each element before writing it
///    (docs/blob-format.md) shares its input's bytes when that input dies at this op.
/// 3. Greedy by size (largest first): each buffer goes at the lowest 4-aligned offset that overlaps no
///    placed buffer whose lifetime intersects its own.
/// On chains and most CNNs this reaches the lower bound: the largest total of simultaneously live buffers.
/// </summary>
public static class ArenaPlanner
{
    public sealed record Plan(Dictionary<QTensor, int> Offsets, int ArenaSize, int LowerBound);

    public static Plan Run(QGraph g)
    {
        int n = g.Ops.Count;
        var first = new Dictionary<QTensor, int>();
        var last = new Dictionary<QTensor, int>();
        foreach (var t in g.Inputs) { first[t] = -1; last[t] = -1; }
        for (int i = 0; i < n; i++)
        {
            var op = g.Ops[i];
            foreach (var x in op.Inputs)
            {
                if (!first.ContainsKey(x)) throw new InvalidOperationException($"op {i} ({op.Name}) reads tensor '{x.Name}' before it is written");
                last[x] = i;
            }
            first[op.Output] = i;
            last[op.Output] = i;
        }
        foreach (var t in g.Outputs) last[t] = n;

        // Alias groups: a buffer is a set of tensors sharing bytes; its lifetime is their union.
        var root = new Dictionary<QTensor, QTensor>();
        foreach (var t in first.Keys) root[t] = t;
        for (int i = 0; i < n; i++)
        {
            var op = g.Ops[i];
            if (op.Inputs.Count != 1 || !AliasSafe(op)) continue;
            var x = op.Inputs[0];
            if (x.ByteSize != op.Output.ByteSize || last[x] != i || g.Inputs.Contains(x) || g.Outputs.Contains(x)) continue;
            if (x.FixedArenaOffset != null || op.Output.FixedArenaOffset != null) continue;
            root[op.Output] = Find(root, x);
        }

        var buffers = new Dictionary<QTensor, (int Start, int End, int Size)>();
        foreach (var t in first.Keys)
        {
            var r = Find(root, t);
            var (s, e, z) = buffers.TryGetValue(r, out var b) ? b : (int.MaxValue, int.MinValue, 0);
            buffers[r] = (Math.Min(s, first[t]), Math.Max(e, last[t]), Math.Max(z, Align(t.ByteSize)));
        }

        var placed = new List<(QTensor Root, int Offset, int Start, int End, int Size)>();
        foreach (var (r, b) in buffers.Where(kv => kv.Key.FixedArenaOffset != null))
            placed.Add((r, r.FixedArenaOffset!.Value, b.Start, b.End, b.Size));
        var order = buffers.Where(kv => kv.Key.FixedArenaOffset == null)
            .OrderByDescending(kv => kv.Value.Size).ThenBy(kv => kv.Value.Start).ThenBy(kv => kv.Key.Name, StringComparer.Ordinal);
        foreach (var (r, b) in order)
        {
            var conflicts = placed.Where(p => p.Start <= b.End && b.Start <= p.End).OrderBy(p => p.Offset).ToList();
            int offset = 0;
            foreach (var p in conflicts)
            {
                if (offset + b.Size <= p.Offset) break;
                offset = Math.Max(offset, p.Offset + p.Size);
            }
            placed.Add((r, offset, b.Start, b.End, b.Size));
        }

        var offsets = new Dictionary<QTensor, int>();
        var byRoot = placed.ToDictionary(p => p.Root, p => p.Offset);
        foreach (var t in first.Keys) offsets[t] = t.FixedArenaOffset ?? byRoot[Find(root, t)];
        int arena = placed.Count == 0 ? 0 : placed.Max(p => p.Offset + p.Size);

        // The lower bound: at each op, the bytes of all buffers alive then.
        int bound = 0;
        for (int i = -1; i <= n; i++)
            bound = Math.Max(bound, buffers.Values.Where(b => b.Start <= i && i <= b.End).Sum(b => b.Size));
        return new Plan(offsets, arena, bound);
    }

    public static bool AliasSafe(QOp op) => op.OpCode switch
    {
        OpCodes.Reshape or OpCodes.Relu or OpCodes.Logistic or OpCodes.Tanh or OpCodes.LeakyRelu => true,
        OpCodes.Lut or OpCodes.HardSwish => true,
        OpCodes.Quantize => op.Inputs[0].DType == op.Output.DType,
        _ => false,
    };

    private static int Align(int n) => (n + 3) & ~3;

    private static QTensor Find(Dictionary<QTensor, QTensor> root, QTensor t)
    {
        while (root[t] != t) t = root[t];
        return t;
    }
}
