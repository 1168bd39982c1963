using Micro.Runtime.Format;
using Micro.Tooling.Graph;

namespace Micro.Runtime.Tests;

/// <summary>Small graphs built through the host's QGraph API, with random but valid int8 parameters.</summary>
public static class TestModels
{
    /// <summary>
    /// x[1,in] → FC(hidden)+ReLU → FC(hidden) → FC(classes) = output; optional exit head after the first FC:
    /// FC(classes) with the given margin threshold.
    /// </summary>
    public static QGraph Mlp(int seed, int inputs = 16, int hidden = 24, int classes = 4, int? exitThreshold = null)
    {
        var r = new Random(seed);
        var g = new QGraph { Name = "mlp-test", Version = "seed" + seed };
        var x = g.AddTensor("x", new[] { 1, inputs }, 0.05f, r.Next(-20, 20));
        var h1 = g.AddTensor("h1", new[] { 1, hidden }, 0.04f, -128);
        var h2 = g.AddTensor("h2", new[] { 1, hidden }, 0.06f, r.Next(-10, 10));
        var y = g.AddTensor("y", new[] { 1, classes }, 0.1f, r.Next(-5, 5));
        g.Inputs.Add(x);
        g.Outputs.Add(y);
        g.Add(Fc(r, "fc1", x, h1, -128, 127));
        if (exitThreshold is int th)
        {
            var e = g.AddTensor("exit1", new[] { 1, classes }, 0.1f, 0);
            var head = Fc(r, "exit1_fc", h1, e, -128, 127);
            head.ExitGroup = 1;
            g.Add(head);
            g.Exits.Add(new QExit(1, e, th));
        }
        g.Add(Fc(r, "fc2", h1, h2, -128, 127));
        g.Add(Fc(r, "fc3", h2, y, -128, 127));
        return g;
    }

    public static QFullyConnected Fc(Random r, string name, QTensor x, QTensor y, int actMin, int actMax, bool perChannel = true)
    {
        int k = x.ElementCount / x.Shape[0], m = y.Channels;
        var op = new QFullyConnected
        {
            Name = name,
            Weights = Enumerable.Range(0, m * k).Select(_ => (sbyte)r.Next(-127, 128)).ToArray(),
            Bias = Enumerable.Range(0, m).Select(_ => r.Next(-5000, 5000)).ToArray(),
            Multipliers = Enumerable.Range(0, perChannel ? m : 1).Select(_ => r.Next(1 << 30, int.MaxValue)).ToArray(),
            Shifts = Enumerable.Range(0, perChannel ? m : 1).Select(_ => r.Next(-10, -6)).ToArray(),
            ActMin = actMin,
            ActMax = actMax,
        };
        op.Inputs.Add(x);
        op.Output = y;
        return op;
    }

    public static sbyte[] RandomInput(Random r, int n) => Enumerable.Range(0, n).Select(_ => (sbyte)r.Next(-128, 128)).ToArray();
}
