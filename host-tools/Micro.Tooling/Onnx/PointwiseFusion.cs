namespace Micro.Tooling.Onnx;

/// <summary>
/// Finds subgraphs that compute one element-wise function of one tensor and replaces each with a single
/// <see cref="PointwiseNode"/>, which the quantizer runs as a 256-entry table. This is how x·σ(x) (SiLU/Swish,
/// as PyTorch exports nn.SiLU: Sigmoid + Mul), x·HardSigmoid(x) (HardSwish at opset ≤ 13), the erf GELU
/// (Div, Erf, Add, Mul, Mul) and the tanh GELU (Mul, Mul, Add, Tanh, …) become one op, whatever their exact
/// node order. A subgraph qualifies when a same-shape binary node (Add, Mul, Sub, Div) has every input path
/// leading back, through unary element-wise nodes (activations, scalar affine ops, pointwise nodes) and
/// same-shape binary nodes, to one root tensor, and no intermediate value is read outside the subgraph.
/// A pointwise node followed by a unary element-wise node that only it feeds then absorbs that node too.
/// </summary>
public static class PointwiseFusion
{
    private const int MaxNodes = 48;

    public static bool Fuse(FloatGraph g)
    {
        bool changed = false;
        foreach (var sink in g.Nodes.Where(IsSameShapeBinary).ToList())
        {
            if (!g.Nodes.Contains(sink)) continue;
            changed |= TryFuseCluster(g, sink);
        }
        foreach (var p in g.Nodes.OfType<PointwiseNode>().ToList())
        {
            if (!g.Nodes.Contains(p)) continue;
            while (AbsorbNext(g, p)) changed = true;
        }
        return changed;
    }

    private static bool IsSameShapeBinary(FloatNode n) => n is AddNode || n is BinaryNode;

    /// <summary>An element-wise function of its single input, as F (including a fused clamp), or null.</summary>
    private static Func<double, double>? Unary(FloatNode n)
    {
        Func<double, double>? f = n switch
        {
            PointwiseNode p => p.Function,
            ActivationNode { Op: FloatOp.Logistic } => v => 1 / (1 + Math.Exp(-v)),
            ActivationNode { Op: FloatOp.Tanh } => Math.Tanh,
            ActivationNode { Op: FloatOp.Clamp } => v => v,
            ActivationNode { Op: FloatOp.LeakyRelu } a => v => v >= 0 ? v : a.Alpha * v,
            ChannelAffineNode { Scale.Length: 1, Shift.Length: 1 } c => v => v * c.Scale[0] + c.Shift[0],
            _ => null,
        };
        return f == null ? null : WithClamp(n, f);
    }

    /// <summary>The output range n's own function fixes (a gate: Sigmoid [0, 1], Tanh [−1, 1], HardSigmoid…), or null.
    /// A chain ending in n stays inside it (clamps only narrow it).</summary>
    private static (double Min, double Max)? Bound(FloatNode n) => n switch
    {
        PointwiseNode p => p.OutputRange,
        ActivationNode { Op: FloatOp.Logistic } => (0, 1),
        ActivationNode { Op: FloatOp.Tanh } => (-1, 1),
        _ => null,
    };

    private static Func<double, double> WithClamp(FloatNode n, Func<double, double> f)
    {
        if (!n.HasActivation) return f;
        double lo = n.ActMin, hi = n.ActMax;
        return v => Math.Clamp(f(v), lo, hi);
    }

    private static string Name(FloatNode n) => n switch
    {
        PointwiseNode p => p.Description,
        ActivationNode a => a.Op.ToString(),
        ChannelAffineNode => "Affine",
        AddNode => "Add",
        _ => n.Op.ToString(),
    };

    private static bool TryFuseCluster(FloatGraph g, FloatNode sink)
    {
        var shape = g.Tensor(sink.Output).Shape;
        if (!ShapeUtil.Equal(g.Tensor(sink.Inputs[0]).Shape, shape) || !ShapeUtil.Equal(g.Tensor(sink.Inputs[1]).Shape, shape)) return false;
        // Candidate roots: the tensors reachable backward through element-wise nodes, nearest first. The
        // root is the nearest one on which every path from the sink ends.
        var candidates = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(sink.Inputs);
        while (queue.Count > 0 && candidates.Count < MaxNodes)
        {
            string t = queue.Dequeue();
            if (!seen.Add(t)) continue;
            candidates.Add(t);
            var p = g.Producer(t);
            if (p != null && Qualifies(g, p, shape)) foreach (var i in p.Inputs) queue.Enqueue(i);
        }
        candidates.Sort((a, b) => Index(g, b).CompareTo(Index(g, a)));
        foreach (var root in candidates)
        {
            var members = Walk(g, sink, root, shape);
            if (members != null && Replace(g, sink, root, members)) return true;
        }
        return false;
    }

    private static int Index(FloatGraph g, string t) => g.Producer(t) is { } p ? g.Nodes.IndexOf(p) : -1;

    private static bool Qualifies(FloatGraph g, FloatNode p, int[] shape) =>
        ShapeUtil.Equal(g.Tensor(p.Output).Shape, shape)
        && (Unary(p) != null || (IsSameShapeBinary(p) && p.Inputs.All(i => ShapeUtil.Equal(g.Tensor(i).Shape, shape))));

    /// <summary>The nodes between <paramref name="root"/> and the sink when every path from the sink reaches
    /// the root through element-wise nodes only; null otherwise.</summary>
    private static HashSet<FloatNode>? Walk(FloatGraph g, FloatNode sink, string root, int[] shape)
    {
        var members = new HashSet<FloatNode> { sink };
        var stack = new Stack<string>(sink.Inputs);
        while (stack.Count > 0)
        {
            string t = stack.Pop();
            if (t == root) continue;
            var p = g.Producer(t);
            if (p == null || !Qualifies(g, p, shape)) return null;
            if (!members.Add(p)) continue;
            if (members.Count > MaxNodes) return null;
            foreach (var i in p.Inputs) stack.Push(i);
        }
        return members;
    }

    private static bool Replace(FloatGraph g, FloatNode sink, string root, HashSet<FloatNode> members)
    {
        // Intermediate values must not be read outside the cluster (nor be graph outputs).
        foreach (var m in members)
        {
            if (m == sink) continue;
            if (g.IsGraphOutput(m.Output)) return false;
            if (g.Consumers(m.Output).Any(c => !members.Contains(c))) return false;
        }
        var memo = new Dictionary<string, Func<double, double>>(StringComparer.Ordinal);
        Func<double, double> F(string t)
        {
            if (t == root) return v => v;
            if (memo.TryGetValue(t, out var known)) return known;
            var p = g.Producer(t)!;
            Func<double, double> f;
            if (p is AddNode)
            {
                var a = F(p.Inputs[0]); var b = F(p.Inputs[1]);
                f = WithClamp(p, v => a(v) + b(v));
            }
            else if (p is BinaryNode bn)
            {
                var a = F(p.Inputs[0]); var b = F(p.Inputs[1]);
                f = WithClamp(p, v => bn.Apply(a(v), b(v)));
            }
            else
            {
                var u = Unary(p)!; var a = F(p.Inputs[0]);
                f = v => u(a(v));
            }
            memo[t] = f;
            return f;
        }
        var function = F(sink.Output);
        var ordered = g.Nodes.Where(members.Contains).ToList();
        string description = string.Join("·", ordered.Select(Name));
        string source = string.Join(" + ", ordered.Select(m => m.Source));
        var node = new PointwiseNode(sink.Name, source, root, sink.Output, function, description) { OutputRange = Bound(sink) };
        int at = g.Nodes.IndexOf(sink);
        g.Nodes[at] = node;
        foreach (var m in ordered)
        {
            if (m == sink) continue;
            g.Nodes.Remove(m);
            g.Tensors.Remove(m.Output);
        }
        return true;
    }

    /// <summary>p's only reader is a unary element-wise node: p computes it too.</summary>
    private static bool AbsorbNext(FloatGraph g, PointwiseNode p)
    {
        if (g.IsGraphOutput(p.Output)) return false;
        var cons = g.Consumers(p.Output);
        if (cons.Count != 1 || Unary(cons[0]) is not { } u) return false;
        var next = cons[0];
        var f = WithClamp(p, p.Function);
        p.Function = v => u(f(v));
        p.OutputRange = Bound(next);
        p.ActMin = float.NegativeInfinity;
        p.ActMax = float.PositiveInfinity;
        p.Description += "·" + Name(next);
        p.Source += " + " + next.Source;
        g.Tensors.Remove(p.Output);
        p.Output = next.Output;
        g.Nodes.Remove(next);
        return true;
    }
}
