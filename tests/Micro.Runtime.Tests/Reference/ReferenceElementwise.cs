using System.Globalization;
using System.Numerics;
using Micro.Runtime.Format;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;

namespace Micro.Runtime.Tests.Reference;

/// <summary>
/// Slow, independent references for the non-convolution kernels, written from the operators' definitions
/// (index arithmetic over explicit multi-indices, exact rational rounding from ReferenceRounding, float
/// math for the nonlinearities) rather than from the runtime's loops. Also: TFLite's host-side parameter
/// computations (QuantizeMultiplier and friends, in double as TFLite does), a parser for the TFLM golden
/// vectors embedded in the tests, and a one-op model runner that goes through a real blob.
/// </summary>
public static class ReferenceElementwise
{
    // ---- TFLite's prepare-time integers (host side, double precision as in quantization_util.cc) ----

    /// <summary>TFLite's QuantizeMultiplier: real = mult · 2^(shift − 31), mult in [2^30, 2^31).</summary>
    public static (int Mult, int Shift) QuantizeMultiplier(double real)
    {
        if (real == 0) return (0, 0);
        var (q, shift) = FrExp(real);
        long fixedQ = (long)Math.Round(q * (1L << 31), MidpointRounding.AwayFromZero);
        if (fixedQ == 1L << 31) { fixedQ /= 2; shift++; }
        if (shift < -31) return (0, 0);
        return ((int)fixedQ, shift);
    }

    /// <summary>x = q · 2^e with 0.5 ≤ |q| &lt; 1 (C's frexp).</summary>
    public static (double Q, int E) FrExp(double x)
    {
        if (x == 0) return (0, 0);
        int e = Math.ILogB(x) + 1;
        return (Math.ScaleB(x, -e), e);
    }

    /// <summary>LOGISTIC/TANH int8 params from the input scale (TFLM logistic_common.cc / tanh.cc).</summary>
    public static (int Mult, int LeftShift, int Radius) SigmoidTanhParams(float inputScale)
    {
        double real = inputScale * (double)(1 << 27);
        var (q, ls) = FrExp(real);
        int mult = (int)Math.Round(q * (1L << 31), MidpointRounding.AwayFromZero);
        return (mult, ls, InputRadius(4, ls));
    }

    /// <summary>TFLite's CalculateInputRadius(integerBits, leftShift, 31).</summary>
    public static int InputRadius(int integerBits, int leftShift)
    {
        double max = 1.0 * ((1 << integerBits) - 1) * (1L << (31 - integerBits)) / (1L << leftShift);
        return (int)Math.Floor(max);
    }

    /// <summary>SOFTMAX int8 params from input scale and beta (PreprocessSoftmaxScaling, 5 integer bits).</summary>
    public static (int Mult, int LeftShift, int DiffMin) SoftmaxParams(float inputScale, float beta)
    {
        double real = Math.Min((double)beta * inputScale * (1 << 26), (1L << 31) - 1.0);
        var (mult, shift) = QuantizeMultiplier(real);
        return (mult, shift, -InputRadius(5, shift));
    }

    // ---- Nonlinearities from their float definitions (outputs in TFLite's fixed output quantization) ----

    public static int LogisticFloat(int q, float scale, int zp) => ClampI8((int)Math.Round(256.0 / (1 + Math.Exp(-(double)scale * (q - zp)))) - 128);

    public static int TanhFloat(int q, float scale, int zp) => ClampI8((int)Math.Round(128.0 * Math.Tanh((double)scale * (q - zp))));

    /// <summary>Softmax of one row: y = round(256 · p) − 128 with p = exp(β·s·(x − max)) / Σ.</summary>
    public static int[] SoftmaxFloat(sbyte[] row, float scale, float beta)
    {
        int max = row.Max(v => (int)v);
        double[] e = row.Select(v => Math.Exp((double)beta * scale * (v - max))).ToArray();
        double sum = e.Sum();
        return e.Select(v => ClampI8((int)Math.Round(256 * v / sum) - 128)).ToArray();
    }

    public static int ClampI8(int v) => v < -128 ? -128 : v > 127 ? 127 : v;

    // ---- Pools and MEAN ----

    /// <summary>Max or average pool of x [N,H,W,C] (index x[((n·H + h)·W + w)·C + c]) with leading padding.</summary>
    public static sbyte[] PoolRef(bool average, sbyte[] x, int n, int h, int w, int c, int oh, int ow, int kh, int kw,
        int sh, int sw, int pt, int pl, int actMin, int actMax)
    {
        var y = new sbyte[n * oh * ow * c];
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        var taps = new List<int>();
                        for (int fy = 0; fy < kh; fy++)
                            for (int fx = 0; fx < kw; fx++)
                            {
                                int iy = oy * sh - pt + fy, ix = ox * sw - pl + fx;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) taps.Add(x[((b * h + iy) * w + ix) * c + ch]);
                            }
                        if (taps.Count == 0) throw new InvalidOperationException("window without valid taps");
                        int v = average ? RoundHalfAwayFromZero(taps.Sum(), taps.Count) : taps.Max();
                        y[((b * oh + oy) * ow + ox) * c + ch] = (sbyte)ReferenceRounding.Clamp(v, actMin, actMax);
                    }
        return y;
    }

    public static int RoundHalfAwayFromZero(long num, long den) =>
        (int)Math.Round((decimal)num / den, MidpointRounding.AwayFromZero);

    /// <summary>TFLite's output size: VALID = ceil((n − k + 1)/s), SAME = ceil(n/s) with leading pad ⌊total/2⌋.</summary>
    public static (int Out, int PadBefore) PoolOutput(int n, int k, int s, bool same)
    {
        if (!same) return ((n - k + s) / s, 0);
        int o = (n + s - 1) / s;
        int total = Math.Max((o - 1) * s + k - n, 0);
        return (o, total / 2);
    }

    /// <summary>
    /// MEAN over the spatial axes of x [N,S,C] (S = H·W): TFLite folds 1/S into (mult, shift) as
    /// mult' = ⌊mult · 2^s / S⌋ with s = min(⌊log2 S⌋, 32, 31 + shift), shift' = shift − s, then
    /// y = clamp(y_zp + MBQM(Σx − x_zp·S, mult', shift')).
    /// </summary>
    public static sbyte[] MeanRef(sbyte[] x, int n, int spatial, int c, int xZero, int yZero, int mult, int shift, int actMin, int actMax)
    {
        int s = Math.Min(Math.Min(BitOperations.Log2((uint)spatial), 32), 31 + shift);
        int m2 = (int)(((BigInteger)mult << s) / spatial);
        var y = new sbyte[n * c];
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
            {
                int sum = 0;
                for (int i = 0; i < spatial; i++) sum += x[(b * spatial + i) * c + ch];
                int v = yZero + ReferenceRounding.Mbqm(sum - xZero * spatial, m2, shift - s);
                y[b * c + ch] = (sbyte)ReferenceRounding.Clamp(v, actMin, actMax);
            }
        return y;
    }

    // ---- ADD, requantization, ReLU, LeakyReLU ----

    public static sbyte[] AddRef(sbyte[] a, sbyte[] b, int aZp, int bZp, int yZp, int leftShift, int am, int ash, int bm, int bsh,
        int om, int osh, int actMin, int actMax)
    {
        var y = new sbyte[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            int sa = ReferenceRounding.Mbqm((a[i] - aZp) << leftShift, am, ash);
            int sb = ReferenceRounding.Mbqm((b[i] - bZp) << leftShift, bm, bsh);
            y[i] = (sbyte)ReferenceRounding.Clamp(yZp + ReferenceRounding.Mbqm(sa + sb, om, osh), actMin, actMax);
        }
        return y;
    }

    public static int RequantizeRef(int x, int xZp, int mult, int shift, int yZp, int lo, int hi) =>
        ReferenceRounding.Clamp(yZp + ReferenceRounding.Mbqm(x - xZp, mult, shift), lo, hi);

    public static int LeakyReluRef(int x, int xZp, int yZp, int mi, int si, int ma, int sa, int lo, int hi)
    {
        int v = x - xZp;
        int r = v >= 0 ? ReferenceRounding.Mbqm(v, mi, si)
            : Math.Sign(ma) * ReferenceRounding.Mbqm(v, Math.Abs(ma), sa);
        return ReferenceRounding.Clamp(yZp + r, lo, hi);
    }

    // ---- CONCATENATION and PAD over explicit multi-indices ----

    public static int[] Strides(int[] dims)
    {
        var s = new int[dims.Length];
        int acc = 1;
        for (int d = dims.Length - 1; d >= 0; d--) { s[d] = acc; acc *= dims[d]; }
        return s;
    }

    public static IEnumerable<int[]> Indices(int[] dims)
    {
        int total = dims.Aggregate(1, (p, v) => p * v);
        var idx = new int[dims.Length];
        for (int k = 0; k < total; k++)
        {
            int rem = k;
            for (int d = dims.Length - 1; d >= 0; d--) { idx[d] = rem % dims[d]; rem /= dims[d]; }
            yield return (int[])idx.Clone();
        }
    }

    /// <summary>Element values (one int per element) of the inputs concatenated along axis.</summary>
    public static int[] ConcatRef(int[][] inputs, int[][] dims, int axis)
    {
        int[] yDims = (int[])dims[0].Clone();
        yDims[axis] = dims.Sum(d => d[axis]);
        var y = new int[yDims.Aggregate(1, (p, v) => p * v)];
        var ys = Strides(yDims);
        foreach (var idx in Indices(yDims))
        {
            int k = 0, a = idx[axis];
            while (a >= dims[k][axis]) { a -= dims[k][axis]; k++; }
            var src = (int[])idx.Clone();
            src[axis] = a;
            var xs = Strides(dims[k]);
            y[idx.Zip(ys, (i, s) => i * s).Sum()] = inputs[k][src.Zip(xs, (i, s) => i * s).Sum()];
        }
        return y;
    }

    public static int[] PadRef(int[] x, int[] xDims, int[] before, int[] after, int padValue)
    {
        int[] yDims = xDims.Select((d, i) => d + before[i] + after[i]).ToArray();
        var y = new int[yDims.Aggregate(1, (p, v) => p * v)];
        var ys = Strides(yDims);
        var xs = Strides(xDims);
        foreach (var idx in Indices(yDims))
        {
            bool inside = true;
            int src = 0;
            for (int d = 0; d < idx.Length; d++)
            {
                int i = idx[d] - before[d];
                if (i < 0 || i >= xDims[d]) inside = false;
                else src += i * xs[d];
            }
            y[idx.Zip(ys, (i, s) => i * s).Sum()] = inside ? x[src] : padValue;
        }
        return y;
    }

    // ---- TFLM golden vectors ----

    /// <summary>
    /// One line of golden data: "TAG h1 h2 ... | values | values ...". The vectors were produced by running
    /// TensorFlow Lite Micro's reference kernels and its prepare-time functions (tflite-micro commit
    /// 90b983c2b, gemmlowp fixedpoint.h, x86-64, double rounding) on the inputs listed.
    /// </summary>
    public sealed record GoldenLine(string Tag, string[] Header, int[][] Arrays)
    {
        public int H(int i) => int.Parse(Header[i], CultureInfo.InvariantCulture);
        public float F(int i) => float.Parse(Header[i], CultureInfo.InvariantCulture);
        public sbyte[] Bytes(int k) => Arrays[k].Select(v => (sbyte)v).ToArray();
    }

    public static List<GoldenLine> ParseGolden(string text)
    {
        var lines = new List<GoldenLine>();
        foreach (var raw in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = raw.Split('|');
            var head = parts[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var arrays = parts.Skip(1).Select(p => p.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
            lines.Add(new GoldenLine(head[0], head.Skip(1).ToArray(), arrays));
        }
        return lines;
    }

    // ---- A one-op model through a real blob ----

    /// <summary>
    /// Builds a graph of one op (or a chain, via <paramref name="build"/>), writes it with the host's
    /// BlobEmitter, loads it with Model.Load and runs it with the Interpreter. Inputs are given as element
    /// values and written in the tensor's dtype (int16 little-endian); outputs are read back the same way.
    /// </summary>
    public static int[][] RunBlob(QGraph g, params int[][] inputs)
    {
        var model = Model.Load(BlobEmitter.Emit(g));
        var it = new Interpreter(model);
        for (int k = 0; k < inputs.Length; k++) WriteTensor(it, model.Tensors[model.Inputs[k]], inputs[k]);
        it.Invoke();
        return model.Outputs.Select(o => ReadTensor(it, model.Tensors[o])).ToArray();
    }

    public static void WriteTensor(Interpreter it, Tensor t, int[] values)
    {
        if (values.Length != t.ElementCount) throw new ArgumentException($"tensor {t.Index} has {t.ElementCount} elements, got {values.Length}");
        for (int i = 0; i < values.Length; i++)
        {
            if (t.DType == DType.Int16)
            {
                it.Arena[t.ArenaOffset + 2 * i] = (sbyte)values[i];
                it.Arena[t.ArenaOffset + 2 * i + 1] = (sbyte)(values[i] >> 8);
            }
            else it.Arena[t.ArenaOffset + i] = checked((sbyte)values[i]);
        }
    }

    public static int[] ReadTensor(Interpreter it, Tensor t)
    {
        var r = new int[t.ElementCount];
        for (int i = 0; i < r.Length; i++)
            r[i] = t.DType == DType.Int16
                ? (short)((it.Arena[t.ArenaOffset + 2 * i] & 0xFF) | (it.Arena[t.ArenaOffset + 2 * i + 1] << 8))
                : it.Arena[t.ArenaOffset + i];
        return r;
    }

    /// <summary>x → op → y as a graph (x and y are added as model input and output).</summary>
    public static QGraph OneOp(int opCode, int[] prms, QTensor[] inputs, QTensor output)
    {
        var g = new QGraph { Name = "one-op", Version = "test" };
        foreach (var t in inputs.Distinct()) { g.Tensors.Add(t); g.Inputs.Add(t); }
        g.Tensors.Add(output);
        g.Outputs.Add(output);
        var op = new QSimpleOp(opCode, prms) { Name = OpCodes.Name(opCode) };
        op.Inputs.AddRange(inputs);
        op.Output = output;
        g.Add(op);
        return g;
    }

    public static int[] RandomValues(Random r, int n, int dtype = DType.Int8) =>
        Enumerable.Range(0, n).Select(_ => dtype == DType.Int16 ? r.Next(-32768, 32768) : r.Next(-128, 128)).ToArray();

    // ---- Targeted fuzzing of one graph's op params, dims and zero points ----

    /// <summary>
    /// Mutates op param words, tensor dims and zero points of a valid blob (re-sealing the CRC) `cases`
    /// times. Each mutant must either be refused by Model.Load with BlobFormatException, or load and then
    /// run without any exception (Prepare proved every index in bounds). Returns (loaded, refused).
    /// </summary>
    public static (int Loaded, int Refused) FuzzParamsAndShapes(QGraph g, int seed, int cases)
    {
        byte[] blob = BlobEmitter.Emit(g);
        var valid = Model.Load(blob);
        var rng = new Random(seed);
        var paramRefs = new List<(int Op, int K)>();
        for (int i = 0; i < valid.Ops.Length; i++)
            for (int k = 0; k < valid.Ops[i].Params.Length; k++) paramRefs.Add((i, k));
        int loaded = 0, refused = 0;
        for (int c = 0; c < cases; c++)
        {
            var b = blob;
            int mutations = rng.Next(1, 3);
            for (int k = 0; k < mutations; k++)
            {
                int kind = paramRefs.Count == 0 ? 1 + rng.Next(2) : rng.Next(4);
                if (kind <= 1 && paramRefs.Count > 0)
                {
                    var (op, pk) = paramRefs[rng.Next(paramRefs.Count)];
                    int old = BlobMutation.Param(b, op, pk);
                    b = BlobMutation.WithParam(b, op, pk, rng.Next(6) switch
                    {
                        0 => int.MinValue,
                        1 => int.MaxValue,
                        2 => rng.Next(-40, 40),
                        3 => rng.Next(),
                        4 => -rng.Next(),
                        _ => old + rng.Next(-3, 4),
                    });
                }
                else if (kind == 2)
                {
                    int t = rng.Next(valid.Tensors.Length);
                    int rank = valid.Tensors[t].Rank;
                    b = BlobMutation.WithDim(b, t, rng.Next(rank), rng.Next(4) == 0 ? rng.Next(65536) : rng.Next(1, 12));
                }
                else
                {
                    // the zero point is one i8 byte: any value is representable, int16 tensors need 0
                    int t = rng.Next(valid.Tensors.Length);
                    b = BlobMutation.With(b, x => x[BlobMap.Of(x).Tensors[t].At + BlobLayout.TOffZeroPoint] = (byte)(rng.Next(3) == 0 ? rng.Next(256) : rng.Next(-130, 130)), reseal: false);
                }
            }
            BlobMutation.Reseal(b);
            Model m;
            try
            {
                m = Model.Load(b);
            }
            catch (BlobFormatException)
            {
                refused++;
                continue;
            }
            loaded++;
            var it = new Interpreter(m);
            rng.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(it.Arena.AsSpan()));
            it.Invoke(); // any exception fails the calling test
        }
        return (loaded, refused);
    }

    // ---- A graph that uses every non-convolution op ----

    /// <summary>
    /// x [1,8,6,4] → PAD → MAX_POOL → AVERAGE_POOL → {RELU, LEAKY_RELU} → ADD, RELU → QUANTIZE →
    /// CONCATENATION → QUANTIZE int16 → QUANTIZE int8 → TANH → LOGISTIC → MEAN → SOFTMAX → y [1,8], with
    /// TFLite's prepare-time integers for the scales below (ops in this order, Params as the blob's).
    /// </summary>
    public static QGraph ClassifierTailOfEveryOp()
    {
        var g = new QGraph { Name = "tail" };
        QTensor T(string n, int[] s, float sc, int zp, int dt = DType.Int8) { var t = new QTensor(n, s, sc, zp, dt); g.Tensors.Add(t); return t; }
        void Op(int code, int[] p, QTensor y, params QTensor[] xs) { var o = new QSimpleOp(code, p) { Name = OpCodes.Name(code) }; o.Inputs.AddRange(xs); o.Output = y; g.Add(o); }
        var x = T("x", new[] { 1, 8, 6, 4 }, 0.05f, 3);
        var pd = T("pad", new[] { 1, 10, 7, 4 }, 0.05f, 3);
        var mp = T("maxpool", new[] { 1, 9, 6, 4 }, 0.05f, 3);
        var ap = T("avgpool", new[] { 1, 5, 3, 4 }, 0.05f, 3);
        var rl = T("relu", new[] { 1, 5, 3, 4 }, 0.04f, -128);
        var lk = T("leaky", new[] { 1, 5, 3, 4 }, 0.06f, 10);
        var ad = T("add", new[] { 1, 5, 3, 4 }, 0.1f, -5);
        var rq = T("requant", new[] { 1, 5, 3, 4 }, 0.1f, -5);
        var cc = T("concat", new[] { 1, 5, 3, 8 }, 0.1f, -5);
        var w16 = T("wide", new[] { 1, 5, 3, 8 }, 0.001f, 0, DType.Int16);
        var n8 = T("narrow", new[] { 1, 5, 3, 8 }, 0.08f, 0);
        var th = T("tanh", new[] { 1, 5, 3, 8 }, 1f / 128, 0);
        var lg = T("logistic", new[] { 1, 5, 3, 8 }, 1f / 256, -128);
        var mn = T("mean", new[] { 1, 8 }, 0.01f, 0);
        var y = T("y", new[] { 1, 8 }, 1f / 256, -128);
        g.Inputs.Add(x);
        g.Outputs.Add(y);
        var (reluM, reluS) = QuantizeMultiplier(0.05f / 0.04f);
        var (liM, liS) = QuantizeMultiplier(0.05f / 0.06f);
        var (laM, laS) = QuantizeMultiplier(0.05f * 0.1f / 0.06f);
        int[] leakyP = { liM, liS, laM, laS };
        double twiceMax = 2 * (double)0.06f;
        var (aM, aS) = QuantizeMultiplier(0.04f / twiceMax);
        var (bM, bS) = QuantizeMultiplier(0.06f / twiceMax);
        var (oM, oS) = QuantizeMultiplier(twiceMax / ((1 << 20) * (double)0.1f));
        int[] addP = { 20, aM, aS, bM, bS, oM, oS, -128, 127 };
        var (rqM, rqS) = QuantizeMultiplier(0.04 / 0.1);
        var (wM, wS) = QuantizeMultiplier(0.1 / 0.001);
        var (nM, nS) = QuantizeMultiplier(0.001 / 0.08);
        var (tM, tS, tR) = SigmoidTanhParams(0.08f);
        var (lM, lS, lR) = SigmoidTanhParams(1f / 128);
        var (mM, mS) = QuantizeMultiplier((1.0 / 256) / 0.01);
        var (sM, sS, sD) = SoftmaxParams(0.01f, 1f);
        Op(OpCodes.Pad, new[] { 0, 0, 1, 1, 1, 0, 0, 0 }, pd, x);
        Op(OpCodes.MaxPool, new[] { 2, 2, 1, 1, 0, 0, -128, 127 }, mp, pd);
        Op(OpCodes.AveragePool, new[] { 3, 3, 2, 2, 1, 0, -128, 127 }, ap, mp);
        Op(OpCodes.Relu, new[] { reluM, reluS, -128, 127 }, rl, ap);
        Op(OpCodes.LeakyRelu, leakyP, lk, ap);
        Op(OpCodes.Add, addP, ad, rl, lk);
        Op(OpCodes.Quantize, new[] { rqM, rqS }, rq, rl);
        Op(OpCodes.Concatenation, new[] { 3 }, cc, ad, rq);
        Op(OpCodes.Quantize, new[] { wM, wS }, w16, cc);
        Op(OpCodes.Quantize, new[] { nM, nS }, n8, w16);
        Op(OpCodes.Tanh, new[] { tM, tS, tR }, th, n8);
        Op(OpCodes.Logistic, new[] { lM, lS, lR }, lg, th);
        Op(OpCodes.Mean, new[] { mM, mS, -128, 127 }, mn, lg);
        Op(OpCodes.Softmax, new[] { sM, sS, sD }, y, mn);
        return g;
    }
}
