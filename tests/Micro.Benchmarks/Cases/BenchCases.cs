using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Micro.Runtime;
using Micro.Runtime.Format;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;

namespace Micro.Benchmarks.Cases
{
    /// <summary>One benchmark: a real blob built through QGraph + BlobEmitter, run with Model.Load + Interpreter.Invoke.</summary>
    public sealed class BenchCase
    {
        public BenchCase(string name, string kind, Func<QGraph> build)
            : this(name, kind, () => BlobEmitter.Emit(build()))
        {
        }

        public BenchCase(string name, string kind, Func<byte[]> makeBlob)
        {
            Name = name;
            Kind = kind;
            makeBlobFn = makeBlob;
        }

        /// <summary>Short unique id, e.g. "fc_128x256" (used as the BenchmarkDotNet parameter and the .mblob file name).</summary>
        public string Name { get; }
        /// <summary>"FC", "Conv1D", …, or "Model".</summary>
        public string Kind { get; }

        private readonly Func<byte[]> makeBlobFn;
        private byte[] blob;
        private string blobError;

        /// <summary>The blob bytes; null when it cannot be made (e.g. no TFLite importer yet), see TryLoad.</summary>
        public byte[] Blob
        {
            get
            {
                if (blob == null && blobError == null)
                {
                    try
                    {
                        blob = makeBlobFn();
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        var inner = e is System.Reflection.TargetInvocationException { InnerException: not null } t ? t.InnerException : e;
                        blobError = inner.Message;
                    }
                }
                return blob;
            }
        }

        /// <summary>Loads the blob; null and a reason when it cannot be made or the runtime has no kernel for one of its ops yet.</summary>
        public Model TryLoad(out string skipReason)
        {
            if (Blob == null)
            {
                skipReason = blobError;
                return null;
            }
            try
            {
                skipReason = null;
                return Model.Load(Blob);
            }
            catch (BlobFormatException e) when (e.Code == ErrorCodes.UnknownOpcode)
            {
                skipReason = e.Message;
                return null;
            }
        }

        public override string ToString() => Name;
    }

    /// <summary>
    /// The benchmark cases: one op per kernel at sizes typical of MCU models, plus whole models. Each case is
    /// a few lines: shapes and params; weights, biases and requantization are random but realistic (seeded).
    /// </summary>
    public static class BenchCases
    {
        public static readonly IReadOnlyList<BenchCase> All = Builtin().Concat(RepoModels.Cases()).Concat(Conformance.Cases()).ToList();

        private static List<BenchCase> Builtin() => new List<BenchCase>
        {
            new("fc_16x16", "FC", () => Single(r => Fc(r, 16, 16))),
            new("fc_64x128", "FC", () => Single(r => Fc(r, 64, 128))),
            new("fc_128x256", "FC", () => Single(r => Fc(r, 128, 256))),
            new("conv1d_k5_16to16_w125", "Conv1D", () => Single(r => Conv1D(r, 125, 16, 16, 5))),
            new("conv2d_3x3_8to16_24x24", "Conv2D", () => Single(r => Conv2D(r, 24, 24, 8, 16, 3))),
            new("dwconv2d_3x3_32ch_24x24", "DepthwiseConv2D", () => Single(r => Depthwise2D(r, 24, 24, 32, 3))),
            new("maxpool_2x2_16ch_24x24", "MaxPool", () => Single(r => Pool(r, OpCodes.MaxPool, 24, 24, 16))),
            new("avgpool_2x2_16ch_24x24", "AveragePool", () => Single(r => Pool(r, OpCodes.AveragePool, 24, 24, 16))),
            new("add_16ch_24x24", "Add", () => Single(r => AddOp(r, 24, 24, 16))),
            new("softmax_12", "Softmax", () => Single(r => SoftmaxOp(r, 12))),
            // Structural ops (issue 13).
            new("gconv2d_3x3_16to16_g4_24x24", "GroupedConv", () => Single(r => GroupedConv2D(r, 24, 24, 16, 16, 3, 4))),
            new("resize_x2_16ch_12x12", "ResizeNearest", () => Single(r => Structural(r, OpCodes.ResizeNearest, new[] { 1, 12, 12, 16 }, new[] { 1, 24, 24, 16 }, null))),
            new("slice_s2_16ch_24x24", "StridedSlice", () => Single(r => Structural(r, OpCodes.StridedSlice, new[] { 1, 24, 24, 16 }, new[] { 1, 12, 12, 8 },
                Micro.Runtime.Kernels.StridedSlice.Encode(new[] { 0, 1, 0, 4 }, new[] { 1, 2, 2, 1 })))),
            new("transpose_nhwc_nchw_16ch_24x24", "Transpose", () => Single(r => Structural(r, OpCodes.Transpose, new[] { 1, 24, 24, 16 }, new[] { 1, 16, 24, 24 },
                Micro.Runtime.Kernels.Transpose.Encode(new[] { 0, 3, 1, 2 })))),
            new("layernorm_16x64", "LayerNorm", () => Single(r => Structural(r, OpCodes.LayerNorm, new[] { 1, 16, 64 }, new[] { 1, 16, 64 }, null))),
            new("lstm_28x28_h20", "Lstm", () => Single(r => LstmOp(r, 28, 28, 20))),
            new("mlp_16_24_24_4", "Model", () => Mlp(new Random(7), 16, 24, 4)),
            new("mlp_64_128_64_10", "Model", () => Mlp(new Random(8), 64, 128, 10)),
            new("cnn1d_125_ppg", "Model", () => Cnn1D(new Random(9))),
            new("hello_world_shape", "Model", () => HelloWorldShape(new Random(10))),
        };

        public static BenchCase Get(string name) =>
            All.FirstOrDefault(c => c.Name == name) ?? throw new ArgumentException($"no benchmark case '{name}'");

        /// <summary>Writes every case as &lt;name&gt;.mblob plus cases.tsv (name, kind) into dir (for the Mono harness).</summary>
        public static void WriteBlobs(string dir)
        {
            Directory.CreateDirectory(dir);
            var lines = new List<string>();
            foreach (var c in All)
            {
                if (c.Blob == null) continue;
                string path = Path.Combine(dir, c.Name + ".mblob");
                File.WriteAllBytes(path + ".tmp", c.Blob);
                File.Move(path + ".tmp", path, true);
                lines.Add(c.Name + "\t" + c.Kind);
            }
            File.WriteAllLines(Path.Combine(dir, "cases.tsv"), lines);
        }

        // ---- graph builders -------------------------------------------------------------------------------

        private sealed class Builder
        {
            public readonly QGraph G = new() { Name = "bench", Version = "1" };
            public readonly Random R;
            public Builder(Random r) => R = r;

            public QTensor T(string name, int[] shape, int zp = int.MinValue, float scale = 0) =>
                G.AddTensor(name, shape, scale > 0 ? scale : 0.02f + (float)R.NextDouble() * 0.05f, zp == int.MinValue ? R.Next(-20, 20) : zp);
        }

        /// <summary>A one-op graph: input(s) → op → output.</summary>
        private static QGraph Single(Func<Builder, QOp> make)
        {
            var b = new Builder(new Random(1234));
            var op = make(b);
            foreach (var x in op.Inputs) b.G.Inputs.Add(x);
            b.G.Outputs.Add(op.Output);
            b.G.Add(op);
            b.G.Name = op.Name;
            return b.G;
        }

        /// <summary>Random int8 weights, int32 biases and per-channel requantization that keeps outputs in range.</summary>
        private static T Weighted<T>(Random r, T op, QTensor x, QTensor y, int taps, int weightCount, bool perChannel = true) where T : QWeightedOp
        {
            int outCh = y.Channels;
            int q = perChannel ? outCh : 1;
            op.Weights = Enumerable.Range(0, weightCount).Select(_ => (sbyte)r.Next(-127, 128)).ToArray();
            op.Bias = Enumerable.Range(0, outCh).Select(_ => r.Next(-20000, 20000)).ToArray();
            // Accumulator spread ≈ 74·74·√taps; aim it at ±40 output steps.
            int shift = -(int)Math.Ceiling(Math.Log2(74.0 * 74.0 * Math.Sqrt(taps) / 40.0));
            op.Multipliers = Enumerable.Range(0, q).Select(_ => r.Next(1 << 30, int.MaxValue)).ToArray();
            op.Shifts = Enumerable.Range(0, q).Select(_ => shift).ToArray();
            op.ActMin = -128;
            op.ActMax = 127;
            op.Inputs.Add(x);
            op.Output = y;
            return op;
        }

        private static QOp Fc(Builder b, int inputs, int outputs)
        {
            var x = b.T("x", new[] { 1, inputs });
            var y = b.T("y", new[] { 1, outputs });
            return Weighted(b.R, new QFullyConnected { Name = $"fc_{inputs}x{outputs}" }, x, y, inputs, inputs * outputs);
        }

        private static QOp Conv1D(Builder b, int w, int cin, int cout, int k)
        {
            var x = b.T("x", new[] { 1, w, cin });
            var y = b.T("y", new[] { 1, w, cout });
            var op = new QConv { Name = "conv1d", Is1D = true, KernelW = k, PadLeft = (k - 1) / 2 };
            return Weighted(b.R, op, x, y, k * cin, cout * k * cin);
        }

        private static QOp Conv2D(Builder b, int h, int w, int cin, int cout, int k)
        {
            var x = b.T("x", new[] { 1, h, w, cin });
            var y = b.T("y", new[] { 1, h, w, cout });
            var op = new QConv { Name = "conv2d", KernelH = k, KernelW = k, PadTop = (k - 1) / 2, PadLeft = (k - 1) / 2 };
            return Weighted(b.R, op, x, y, k * k * cin, cout * k * k * cin);
        }

        private static QOp Depthwise2D(Builder b, int h, int w, int c, int k)
        {
            var x = b.T("x", new[] { 1, h, w, c });
            var y = b.T("y", new[] { 1, h, w, c });
            var op = new QConv { Name = "dwconv2d", Depthwise = true, KernelH = k, KernelW = k, PadTop = (k - 1) / 2, PadLeft = (k - 1) / 2 };
            return Weighted(b.R, op, x, y, k * k, k * k * c);
        }

        /// <summary>2×2 pool, stride 2, no padding; rank 4 NHWC.</summary>
        private static QOp Pool(Builder b, int code, int h, int w, int c)
        {
            var x = b.T("x", new[] { 1, h, w, c }, 3, 0.05f);
            var y = b.T("y", new[] { 1, h / 2, w / 2, c }, 3, 0.05f);
            var op = new QSimpleOp(code, new[] { 2, 2, 2, 2, 0, 0, -128, 127 }) { Name = OpCodes.Name(code).ToLowerInvariant() };
            op.Inputs.Add(x);
            op.Output = y;
            return op;
        }

        private static QOp GroupedConv2D(Builder b, int h, int w, int cin, int cout, int k, int groups)
        {
            var x = b.T("x", new[] { 1, h, w, cin });
            var y = b.T("y", new[] { 1, h, w, cout });
            var op = new QConv { Name = "gconv2d", KernelH = k, KernelW = k, PadTop = (k - 1) / 2, PadLeft = (k - 1) / 2, Groups = groups };
            return Weighted(b.R, op, x, y, k * k * cin / groups, cout * k * k * cin / groups);
        }

        /// <summary>A data-movement op (same quantization in and out); RESIZE_NEAREST gets the ×(out/in) floor tables.</summary>
        private static QOp Structural(Builder b, int code, int[] xs, int[] ys, int[]? prms)
        {
            var x = b.T("x", xs, 3, 0.05f);
            var y = b.T("y", ys, 3, 0.05f);
            QOp op;
            if (code == OpCodes.ResizeNearest)
            {
                var t = new QTableOp(code, Micro.Runtime.Kernels.ResizeNearest.Encode(0, 0)) { Name = "resize_nearest" };
                t.Tables.Add((Micro.Runtime.Kernels.ResizeNearest.PRows, Enumerable.Range(0, ys[1]).Select(i => i * xs[1] / ys[1]).ToArray()));
                t.Tables.Add((Micro.Runtime.Kernels.ResizeNearest.PCols, Enumerable.Range(0, ys[2]).Select(i => i * xs[2] / ys[2]).ToArray()));
                op = t;
            }
            else if (code == OpCodes.LayerNorm)
            {
                // γ ≈ 1, β small, ε = 1e-5 at these scales (what OnnxQuantizer writes for such a layer).
                var t = new QTableOp(code, Micro.Runtime.Kernels.LayerNorm.Encode(0, 0, 17, 1 << 30, -7, -128, 127)) { Name = "layer_norm" };
                t.Tables.Add((Micro.Runtime.Kernels.LayerNorm.PGamma, Enumerable.Range(0, ys[^1]).Select(_ => b.R.Next(20000, 32767)).ToArray()));
                t.Tables.Add((Micro.Runtime.Kernels.LayerNorm.PBeta, Enumerable.Range(0, ys[^1]).Select(_ => b.R.Next(-1 << 24, 1 << 24)).ToArray()));
                op = t;
            }
            else op = new QSimpleOp(code, prms!) { Name = OpCodes.Name(code).ToLowerInvariant() };
            op.Inputs.Add(x);
            op.Output = y;
            return op;
        }

        /// <summary>LSTM over [1, steps, inputs] with `units` hidden units (TFLM's MNIST example shape at 28, 28, 20):
        /// random int8 weights, TFLM's parameters for these scales, cell scale 2^−11, clip off.</summary>
        private static QOp LstmOp(Builder b, int steps, int inputs, int units)
        {
            var x = b.T("x", new[] { 1, steps, inputs }, -3, 0.02f);
            var y = b.T("y", new[] { 1, steps, units }, 2, 1f / 128);
            var w = Enumerable.Range(0, 4 * units * (inputs + units)).Select(_ => (sbyte)b.R.Next(-127, 128)).ToArray();
            var mult = new int[8];
            var shift = new int[8];
            for (int k = 0; k < 8; k++)
                (mult[k], shift[k]) = Micro.Tooling.TFLite.TflmParams.FullyConnectedMultiplier(k < 4 ? x.Scale : y.Scale, 0.006f, null, 1f / 4096, "lstm");
            var (fm, fs) = Micro.Tooling.TFLite.TflmParams.Mul(1f / 32768, 1f / 2048, 1f / 2048, "lstm");
            var (im, ish) = Micro.Tooling.TFLite.TflmParams.Mul(1f / 32768, 1f / 32768, 1f / 2048, "lstm");
            var (om, os) = Micro.Tooling.TFLite.TflmParams.Mul(1f / 32768, 1f / 32768, y.Scale, "lstm");
            var t = new QTableOp(OpCodes.Lstm, Micro.Runtime.Kernels.Lstm.Encode(0, 0, 0, 0, 0, false, y.ZeroPoint, 0, -11, fm, fs, im, ish, om, os)) { Name = "lstm" };
            t.Tables.Add((Micro.Runtime.Kernels.Lstm.PWeights, Micro.Tooling.TFLite.TfliteImporter.PackBytes(w)));
            t.Tables.Add((Micro.Runtime.Kernels.Lstm.PInBias, Enumerable.Range(0, 4 * units).Select(_ => b.R.Next(-30000, 30000)).ToArray()));
            t.Tables.Add((Micro.Runtime.Kernels.Lstm.PRecBias, Enumerable.Range(0, 4 * units).Select(_ => b.R.Next(-3000, 3000)).ToArray()));
            t.Tables.Add((Micro.Runtime.Kernels.Lstm.PMult, mult));
            t.Tables.Add((Micro.Runtime.Kernels.Lstm.PShift, shift));
            t.Inputs.Add(x);
            t.Output = y;
            return t;
        }

        private static QOp AddOp(Builder b, int h, int w, int c)
        {
            var a = b.T("a", new[] { 1, h, w, c }, -5, 0.04f);
            var bb = b.T("b", new[] { 1, h, w, c }, 7, 0.03f);
            var y = b.T("y", new[] { 1, h, w, c }, -2, 0.06f);
            var op = new QSimpleOp(OpCodes.Add, Quant.AddParams(0.04, 0.03, 0.06, -128, 127)) { Name = "add" };
            op.Inputs.Add(a);
            op.Inputs.Add(bb);
            op.Output = y;
            return op;
        }

        private static QOp SoftmaxOp(Builder b, int classes)
        {
            var x = b.T("x", new[] { 1, classes }, 10, 0.1f);
            var y = b.T("y", new[] { 1, classes }, -128, 1f / 256);
            var op = new QSimpleOp(OpCodes.Softmax, Quant.SoftmaxParams(1.0, 0.1)) { Name = "softmax" };
            op.Inputs.Add(x);
            op.Output = y;
            return op;
        }

        /// <summary>x → FC(hidden)+ReLU → FC(hidden) → FC(classes), as the runtime tests' MLP.</summary>
        private static QGraph Mlp(Random r, int inputs, int hidden, int classes)
        {
            var b = new Builder(r);
            b.G.Name = $"mlp_{inputs}_{hidden}_{classes}";
            var x = b.T("x", new[] { 1, inputs });
            var h1 = b.T("h1", new[] { 1, hidden }, -128);
            var h2 = b.T("h2", new[] { 1, hidden });
            var y = b.T("y", new[] { 1, classes });
            b.G.Inputs.Add(x);
            b.G.Outputs.Add(y);
            var fc1 = Weighted(r, new QFullyConnected { Name = "fc1" }, x, h1, inputs, inputs * hidden);
            fc1.ActMin = -128; // zero point −128: clamping at it is the fused ReLU
            b.G.Add(fc1);
            b.G.Add(Weighted(r, new QFullyConnected { Name = "fc2" }, h1, h2, hidden, hidden * hidden));
            b.G.Add(Weighted(r, new QFullyConnected { Name = "fc3" }, h2, y, hidden, hidden * classes));
            return b.G;
        }

        /// <summary>
        /// A small 1D CNN of the heart-rate kind: 125 samples × 1 channel → conv k5 (8) → maxpool 2 → conv k5 (16)
        /// → maxpool 2 → FC 2. Needs the CONV_1D and MAX_POOL kernels.
        /// </summary>
        private static QGraph Cnn1D(Random r)
        {
            var b = new Builder(r);
            b.G.Name = "cnn1d_125_ppg";
            var x = b.T("x", new[] { 1, 125, 1 });
            // A pool and a reshape keep their input's scale and zero point.
            var c1 = b.T("c1", new[] { 1, 125, 8 }, -128, 0.05f);
            var p1 = b.T("p1", new[] { 1, 62, 8 }, -128, 0.05f);
            var c2 = b.T("c2", new[] { 1, 62, 16 }, -128, 0.04f);
            var p2 = b.T("p2", new[] { 1, 31, 16 }, -128, 0.04f);
            var f = b.T("f", new[] { 1, 31 * 16 }, -128, 0.04f);
            var y = b.T("y", new[] { 1, 2 });
            b.G.Inputs.Add(x);
            b.G.Outputs.Add(y);
            b.G.Add(Weighted(r, new QConv { Name = "conv1", Is1D = true, KernelW = 5, PadLeft = 2 }, x, c1, 5, 8 * 5));
            b.G.Add(Simple(OpCodes.MaxPool, new[] { 1, 2, 1, 2, 0, 0, -128, 127 }, c1, p1));
            b.G.Add(Weighted(r, new QConv { Name = "conv2", Is1D = true, KernelW = 5, PadLeft = 2 }, p1, c2, 5 * 8, 16 * 5 * 8));
            b.G.Add(Simple(OpCodes.MaxPool, new[] { 1, 2, 1, 2, 0, 0, -128, 127 }, c2, p2));
            b.G.Add(Simple(OpCodes.Reshape, Array.Empty<int>(), p2, f));
            b.G.Add(Weighted(r, new QFullyConnected { Name = "fc" }, f, y, 31 * 16, 31 * 16 * 2));
            return b.G;
        }

        /// <summary>
        /// The shape of TFLM's hello_world_int8 (1 → 16 ReLU → 16 ReLU → 1, per-tensor requantization as that
        /// model has), with random parameters: its blob size is comparable with the 2,704-byte .tflite until
        /// the TFLite importer can convert the real file.
        /// </summary>
        private static QGraph HelloWorldShape(Random r)
        {
            var b = new Builder(r);
            b.G.Name = "hello_world_shape";
            var x = b.T("x", new[] { 1, 1 }, -128, 0.0245f);
            var h1 = b.T("h1", new[] { 1, 16 }, -128);
            var h2 = b.T("h2", new[] { 1, 16 }, -128);
            var y = b.T("y", new[] { 1, 1 }, 5, 0.0083f);
            b.G.Inputs.Add(x);
            b.G.Outputs.Add(y);
            b.G.Add(Weighted(r, new QFullyConnected { Name = "fc1" }, x, h1, 1, 16, perChannel: false));
            b.G.Add(Weighted(r, new QFullyConnected { Name = "fc2" }, h1, h2, 16, 256, perChannel: false));
            b.G.Add(Weighted(r, new QFullyConnected { Name = "fc3" }, h2, y, 16, 16, perChannel: false));
            return b.G;
        }

        private static QSimpleOp Simple(int code, int[] prms, QTensor x, QTensor y)
        {
            var op = new QSimpleOp(code, prms) { Name = OpCodes.Name(code).ToLowerInvariant() };
            op.Inputs.Add(x);
            op.Output = y;
            return op;
        }
    }
}
