using Micro.Runtime.Format;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;

namespace Micro.App.Tests.Support;

/// <summary>Small classifier blobs built through the host's QGraph → BlobEmitter path, 4 classes each.</summary>
public static class TestModels
{
    public const float InputScale = 1f / 128;

    /// <summary>
    /// A model whose answer does not depend on the window: FC with zero weights and biases giving the logits
    /// (3, 0, −1, 0) → SOFTMAX → regular ≈ 0.86. It runs the whole runtime path on every window and
    /// steers the alarm policy towards "regular", so tests of the loop are not at the mercy of random weights.
    /// </summary>
    public static byte[] ConstantRegular(int window = 100)
    {
        var g = new QGraph { Name = "constant-regular", Version = "test" };
        var x = g.AddTensor("window", new[] { 1, window }, InputScale, 0);
        var logits = g.AddTensor("logits", new[] { 1, 4 }, 0.1f, 0);
        var y = g.AddTensor("scores", new[] { 1, 4 }, 1f / 256, -128);
        g.Inputs.Add(x);
        g.Outputs.Add(y);
        var fc = new QFullyConnected
        {
            Name = "fc",
            Weights = new sbyte[4 * window],
            Bias = new[] { 60, 0, -20, 0 },       // × 0.5 (multiplier 2^30, shift 0) → q = 30, 0, −10, 0
            Multipliers = new[] { 1 << 30 },
            Shifts = new[] { 0 },
        };
        fc.Inputs.Add(x);
        fc.Output = logits;
        g.Add(fc);
        g.Add(SoftmaxOp(logits, y));
        return BlobEmitter.Emit(g);
    }

    /// <summary>
    /// A random MLP: window → FC(16)+ReLU → FC(4) logits [→ SOFTMAX]; with an exit head (FC 16→4 logits,
    /// margin threshold) when exitThreshold is given.
    /// </summary>
    public static QGraph Mlp(int seed, int window, bool softmax, int? exitThreshold = null, float logitScale = 0.08f, int channels = 1)
    {
        var r = new Random(seed);
        var g = new QGraph { Name = "mlp", Version = "seed" + seed };
        var x = g.AddTensor("window", channels == 1 ? new[] { 1, window } : new[] { 1, window, channels }, InputScale, 0);
        var h = g.AddTensor("h", new[] { 1, 16 }, 0.05f, -128);
        var logits = g.AddTensor("logits", new[] { 1, 4 }, logitScale, r.Next(-10, 10));
        g.Inputs.Add(x);
        g.Add(Fc(r, "fc1", x, h, -128, 127));
        if (exitThreshold is int th)
        {
            var e = g.AddTensor("exit1", new[] { 1, 4 }, logitScale, 0);
            var head = Fc(r, "exit1_fc", h, e, -128, 127);
            head.ExitGroup = 1;
            g.Add(head);
            g.Exits.Add(new QExit(1, e, th));
        }
        g.Add(Fc(r, "fc2", h, logits, -128, 127));
        if (softmax)
        {
            var y = g.AddTensor("scores", new[] { 1, 4 }, 1f / 256, -128);
            g.Add(SoftmaxOp(logits, y));
            g.Outputs.Add(y);
        }
        else
        {
            g.Outputs.Add(logits);
        }
        return g;
    }

    public static QFullyConnected Fc(Random r, string name, QTensor x, QTensor y, int actMin, int actMax)
    {
        int k = x.ElementCount, m = y.Channels;
        var op = new QFullyConnected
        {
            Name = name,
            Weights = Enumerable.Range(0, m * k).Select(_ => (sbyte)r.Next(-127, 128)).ToArray(),
            Bias = Enumerable.Range(0, m).Select(_ => r.Next(-5000, 5000)).ToArray(),
            Multipliers = Enumerable.Range(0, m).Select(_ => r.Next(1 << 30, int.MaxValue)).ToArray(),
            Shifts = Enumerable.Range(0, m).Select(_ => -9 - (int)Math.Round(Math.Log2(Math.Max(1, k) / 16.0))).ToArray(),
            ActMin = actMin,
            ActMax = actMax,
        };
        op.Inputs.Add(x);
        op.Output = y;
        return op;
    }

    /// <summary>SOFTMAX (β = 1) with TFLite's parameter preparation (input multiplier, left shift, diff_min).</summary>
    public static QSimpleOp SoftmaxOp(QTensor x, QTensor y)
    {
        const int integerBits = 5;
        double real = Math.Min(x.Scale * (double)(1L << (31 - integerBits)), (1L << 31) - 1.0);
        var (mult, shift) = QuantizeMultiplier(real);
        double radius = ((1 << integerBits) - 1) * (double)(1L << (31 - integerBits)) / (1L << shift);
        var op = new QSimpleOp(OpCodes.Softmax, new[] { mult, shift, -(int)Math.Floor(radius) }) { Name = "softmax" };
        op.Inputs.Add(x);
        op.Output = y;
        return op;
    }

    /// <summary>real = mult · 2^shift / 2^31 with mult in [2^30, 2^31).</summary>
    public static (int Mult, int Shift) QuantizeMultiplier(double real)
    {
        if (real == 0) return (0, 0);
        int shift = (int)Math.Floor(Math.Log2(real)) + 1;
        long q = (long)Math.Round(real / Math.Pow(2, shift) * (1L << 31));
        if (q == 1L << 31)
        {
            q /= 2;
            shift++;
        }
        return ((int)q, shift);
    }
}
