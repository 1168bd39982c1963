using System;
using Micro.Runtime;
using Micro.Runtime.Format;
using Micro.Runtime.Kernels;

namespace Micro.Benchmarks.Portable
{
    /// <summary>
    /// One way of running a benchmark case: the whole interpreter, the runtime's kernel alone, the naive
    /// baseline, or a candidate loop. Run() reads the input already in the interpreter's arena and writes the
    /// op's output there. Shared by the BenchmarkDotNet suite (.NET JIT) and the Mono interpreter harness.
    /// </summary>
    public abstract class KernelStyle
    {
        public string Name;
        public Interpreter It;
        public Model M;
        public Op Op;
        /// <summary>Extra bytes of RAM the style needs beyond the runtime's (packed weight copies, scratch).</summary>
        public int ExtraBytes;

        public abstract void Run();
    }

    public static class Styles
    {
        public static readonly string[] FcStyles =
            { "Interpreter", "Kernel", "Naive", "Hoisted", "Unroll8", "Rows2", "Rows4", "PackedInt", "Long2", "Long3" };

        public static readonly string[] Conv1DStyles = { "Interpreter", "Kernel", "Naive", "Window", "Window2Long", "Pos2Long", "Pos3Long" };

        public static readonly string[] DepthwiseStyles = { "Interpreter", "Kernel", "Taps9", "Taps9OneCall" };

        public static readonly string[] OtherStyles = { "Interpreter" };

        /// <summary>Styles measured for a case of this kind ("FC", "Conv1D", …, "Model").</summary>
        public static string[] For(string kind)
        {
            if (kind == "FC") return FcStyles;
            if (kind == "Conv1D") return Conv1DStyles;
            if (kind == "DepthwiseConv2D") return DepthwiseStyles;
            return OtherStyles;
        }

        /// <summary>Builds a style over op 0 of the interpreter's model (single-op cases), or null when it does not apply.</summary>
        public static KernelStyle Create(string name, Interpreter it)
        {
            Model m = it.Model;
            Op op = m.Ops[0];
            KernelStyle s = null;
            if (name == "Interpreter") s = new InterpreterStyle();
            else if (name == "Kernel") s = new KernelOnlyStyle();
            else if (op.Code == OpCodes.FullyConnected && m.Ops.Length == 1)
            {
                if (name == "Naive") s = new NaiveFcStyle(m, op);
                else s = FcStyle.Create(name, m, op);
            }
            else if (op.Code == OpCodes.Conv1D && m.Ops.Length == 1)
            {
                if (name == "Naive") s = new NaiveConv1DStyle(m, op);
                else s = Conv1DStyle.Create(name, m, op);
            }
            else if (op.Code == OpCodes.DepthwiseConv2D && m.Ops.Length == 1) s = DepthwiseStyle.Create(name, m, op);
            if (s == null) return null;
            s.Name = name;
            s.It = it;
            s.M = m;
            s.Op = op;
            return s;
        }

        /// <summary>
        /// Runs the interpreter once for the reference output, then the style on a scribbled output buffer;
        /// returns the number of output bytes that differ (0 = bit-exact).
        /// </summary>
        public static int Verify(KernelStyle s)
        {
            Interpreter it = s.It;
            Tensor y = s.M.Tensors[s.M.Outputs[0]];
            // Inputs are set before each run: the arena planner may reuse an input's bytes for later tensors.
            RandomInputs(it, 42);
            it.Invoke();
            sbyte[] expected = new sbyte[y.ByteSize];
            Array.Copy(it.Arena, y.ArenaOffset, expected, 0, y.ByteSize);
            for (int i = 0; i < y.ByteSize; i++) it.Arena[y.ArenaOffset + i] = (sbyte)(0x5A ^ i);
            RandomInputs(it, 42);
            s.Run();
            int diff = 0;
            for (int i = 0; i < y.ByteSize; i++) if (it.Arena[y.ArenaOffset + i] != expected[i]) diff++;
            return diff;
        }

        /// <summary>Fills every model input with deterministic pseudo-random int8 values.</summary>
        public static void RandomInputs(Interpreter it, int seed)
        {
            uint state = (uint)seed * 2654435761u + 1;
            for (int k = 0; k < it.Model.Inputs.Length; k++)
            {
                Tensor t = it.Model.Tensors[it.Model.Inputs[k]];
                sbyte[] v = new sbyte[t.ElementCount];
                for (int i = 0; i < v.Length; i++)
                {
                    state = state * 1664525u + 1013904223u;
                    v[i] = (sbyte)(state >> 24);
                }
                it.SetInput(k, v, 0);
            }
        }
    }

    public static class StyleUtil
    {
        /// <summary>Weights offset of a FULLY_CONNECTED or convolution op (its prepared data).</summary>
        public static int WeightsOffset(Op op)
        {
            FullyConnectedData f = op.Data as FullyConnectedData;
            return f != null ? f.WeightsOffset : ((ConvData)op.Data).WeightsOffset;
        }

        /// <summary>The int32 bias as the blob stores it (folded when the op's flag says so).</summary>
        public static int[] StoredBias(Op op)
        {
            FullyConnectedData f = op.Data as FullyConnectedData;
            if (f != null) return f.Bias;
            ConvData c = (ConvData)op.Data;
            return (op.Params[7] & BlobLayout.FlagBiasFolded) != 0 ? c.BiasInterior : c.BiasBorder;
        }

        public static int[] Multiplier(Op op)
        {
            FullyConnectedData f = op.Data as FullyConnectedData;
            return f != null ? f.Multiplier : ((ConvData)op.Data).Multiplier;
        }

        public static int[] Shift(Op op)
        {
            FullyConnectedData f = op.Data as FullyConnectedData;
            return f != null ? f.Shift : ((ConvData)op.Data).Shift;
        }

        /// <summary>The op's bias before the host folded the input zero point in: bias'[o] + x_zp·Σ w[o][·] (wrapping, as int32).</summary>
        public static int[] UnfoldedBias(Model m, Op op, int rowLength, int outputs)
        {
            int[] b = new int[outputs];
            bool folded = (op.Params[7] & BlobLayout.FlagBiasFolded) != 0;
            int xz = m.Tensors[op.Inputs[0]].ZeroPoint;
            for (int o = 0; o < outputs; o++)
            {
                int sum = 0;
                for (int k = 0; k < rowLength; k++) sum += (sbyte)m.Blob[StyleUtil.WeightsOffset(op) + o * rowLength + k];
                b[o] = folded ? unchecked(StyleUtil.StoredBias(op)[o] + xz * sum) : StyleUtil.StoredBias(op)[o];
            }
            return b;
        }

        /// <summary>The op's bias with the input zero point folded in: bias[o] − x_zp·Σ w[o][·].</summary>
        public static int[] FoldedBias(Model m, Op op, int rowLength, int outputs)
        {
            bool folded = (op.Params[7] & BlobLayout.FlagBiasFolded) != 0;
            if (folded) return StyleUtil.StoredBias(op);
            int[] b = new int[outputs];
            int xz = m.Tensors[op.Inputs[0]].ZeroPoint;
            for (int o = 0; o < outputs; o++)
            {
                int sum = 0;
                for (int k = 0; k < rowLength; k++) sum += (sbyte)m.Blob[StyleUtil.WeightsOffset(op) + o * rowLength + k];
                b[o] = unchecked(StyleUtil.StoredBias(op)[o] - xz * sum);
            }
            return b;
        }
    }

    internal sealed class InterpreterStyle : KernelStyle
    {
        public override void Run() { It.Invoke(); }
    }

    /// <summary>The runtime's kernel for op 0 through KernelTable.Eval, without the interpreter's loop.</summary>
    internal sealed class KernelOnlyStyle : KernelStyle
    {
        public override void Run() { KernelTable.Eval(M, Op, It.Arena); }
    }

    internal sealed class NaiveFcStyle : KernelStyle
    {
        private readonly NaiveFullyConnected k;
        public NaiveFcStyle(Model m, Op op) { k = new NaiveFullyConnected(m, op); ExtraBytes = 4 * k.M; }
        public override void Run() { k.Run(It.Arena); }
    }

    internal sealed class NaiveConv1DStyle : KernelStyle
    {
        private readonly NaiveConv1D k;
        public NaiveConv1DStyle(Model m, Op op) { k = new NaiveConv1D(m, op); ExtraBytes = 4 * k.Cout; }
        public override void Run() { k.Run(It.Arena); }
    }

    internal sealed class FcStyle : KernelStyle
    {
        private int variant;
        private byte[] w;
        private int wOff, xOff, yOff, depth, outputs, yZero, actMin, actMax;
        private int[] bias, mult, shift, wq, xq;
        private long[] wl;

        public static FcStyle Create(string name, Model m, Op op)
        {
            int v;
            if (name == "Hoisted") v = 1;
            else if (name == "Unroll8") v = 2;
            else if (name == "Rows2") v = 3;
            else if (name == "Rows4") v = 4;
            else if (name == "PackedInt") v = 5;
            else if (name == "Long2") v = 6;
            else if (name == "Long3") v = 7;
            else return null;
            Tensor x = m.Tensors[op.Inputs[0]], y = m.Tensors[op.Outputs[0]];
            if (x.DType != DType.Int8 || ((FullyConnectedData)op.Data).Batches != 1) return null;   // int8, batch 1 only
            FcStyle s = new FcStyle();
            s.variant = v;
            s.w = m.Blob;
            s.wOff = StyleUtil.WeightsOffset(op);
            s.xOff = x.ArenaOffset;
            s.yOff = y.ArenaOffset;
            s.depth = ((FullyConnectedData)op.Data).Depth;
            s.outputs = ((FullyConnectedData)op.Data).Outputs;
            s.yZero = y.ZeroPoint;
            s.actMin = op.Params[FullyConnected.PActMin];
            s.actMax = op.Params[FullyConnected.PActMax];
            s.bias = StyleUtil.FoldedBias(m, op, s.depth, s.outputs);
            s.mult = StyleUtil.Multiplier(op);
            s.shift = StyleUtil.Shift(op);
            if (v == 5)
            {
                s.wq = FcVariants.PackInt(s.w, s.wOff, s.depth, s.outputs);
                s.xq = new int[(s.depth + 3) >> 2];
                s.ExtraBytes = 4 * (s.wq.Length + s.xq.Length);
            }
            if (v == 6) { s.wl = FcVariants.PackLong2(s.w, s.wOff, s.depth, s.outputs); s.ExtraBytes = 8 * s.wl.Length; }
            if (v == 7) { s.wl = FcVariants.PackLong3(s.w, s.wOff, s.depth, s.outputs); s.ExtraBytes = 8 * s.wl.Length; }
            return s;
        }

        public override void Run()
        {
            sbyte[] a = It.Arena;
            switch (variant)
            {
                case 1: FcVariants.Hoisted(w, wOff, bias, mult, shift, a, xOff, yOff, depth, outputs, yZero, actMin, actMax); break;
                case 2: FcVariants.Unroll8(w, wOff, bias, mult, shift, a, xOff, yOff, depth, outputs, yZero, actMin, actMax); break;
                case 3: FcVariants.Rows2(w, wOff, bias, mult, shift, a, xOff, yOff, depth, outputs, yZero, actMin, actMax); break;
                case 4: FcVariants.Rows4(w, wOff, bias, mult, shift, a, xOff, yOff, depth, outputs, yZero, actMin, actMax); break;
                case 5: FcVariants.PackedInt(wq, xq, bias, mult, shift, a, xOff, yOff, depth, outputs, yZero, actMin, actMax); break;
                case 6: FcVariants.Long2(wl, w, wOff, bias, mult, shift, a, xOff, yOff, depth, outputs, yZero, actMin, actMax); break;
                case 7: FcVariants.Long3(wl, w, wOff, bias, mult, shift, a, xOff, yOff, depth, outputs, yZero, actMin, actMax); break;
            }
        }
    }

    internal sealed class Conv1DStyle : KernelStyle
    {
        private int variant;
        private byte[] w;
        private int wOff, xOff, yOff, inW, cin, outW, cout, k, pad, xZero, yZero, actMin, actMax;
        private int[] biasFolded, biasRaw, mult, shift;
        private long[] wl;

        public static Conv1DStyle Create(string name, Model m, Op op)
        {
            int v;
            if (name == "Window") v = 1;
            else if (name == "Window2Long") v = 2;
            else if (name == "Pos2Long") v = 3;
            else if (name == "Pos3Long") v = 4;
            else return null;
            Tensor x = m.Tensors[op.Inputs[0]], y = m.Tensors[op.Outputs[0]];
            if (x.DType != DType.Int8 || x.Dims[0] != 1 || op.Params[9] != 1 || op.Params[10] != 1) return null; // int8, batch 1, stride 1, dilation 1
            Conv1DStyle s = new Conv1DStyle();
            s.variant = v;
            s.w = m.Blob;
            s.wOff = StyleUtil.WeightsOffset(op);
            s.xOff = x.ArenaOffset;
            s.yOff = y.ArenaOffset;
            s.inW = x.Dims[1];
            s.cin = x.Dims[2];
            s.outW = y.Dims[1];
            s.cout = y.Dims[2];
            s.k = op.Params[8];
            s.pad = op.Params[11];
            s.xZero = x.ZeroPoint;
            s.yZero = y.ZeroPoint;
            s.actMin = op.Params[5];
            s.actMax = op.Params[6];
            s.biasFolded = StyleUtil.FoldedBias(m, op, s.k * s.cin, s.cout);
            s.biasRaw = StyleUtil.UnfoldedBias(m, op, s.k * s.cin, s.cout);
            s.ExtraBytes = 4 * s.cout;
            s.mult = StyleUtil.Multiplier(op);
            s.shift = StyleUtil.Shift(op);
            if (v == 2)
            {
                s.wl = FcVariants.PackLong2(s.w, s.wOff, s.k * s.cin, s.cout);
                s.ExtraBytes += 8 * s.wl.Length;
            }
            if (v == 3 || v == 4)
            {
                s.wl = new long[s.k * s.cin];   // the gathered window
                s.ExtraBytes += 8 * s.wl.Length;
            }
            return s;
        }

        public override void Run()
        {
            sbyte[] a = It.Arena;
            switch (variant)
            {
                case 1: Conv1DVariants.Window(w, wOff, biasFolded, biasRaw, mult, shift, a, xOff, yOff, inW, cin, outW, cout, k, pad, xZero, yZero, actMin, actMax); break;
                case 2: Conv1DVariants.Window2Long(wl, w, wOff, biasFolded, biasRaw, mult, shift, a, xOff, yOff, inW, cin, outW, cout, k, pad, xZero, yZero, actMin, actMax); break;
                case 3: Conv1DVariants.Pos2Long(wl, w, wOff, biasFolded, biasRaw, mult, shift, a, xOff, yOff, inW, cin, outW, cout, k, pad, xZero, yZero, actMin, actMax); break;
                case 4: Conv1DVariants.Pos3Long(wl, w, wOff, biasFolded, biasRaw, mult, shift, a, xOff, yOff, inW, cin, outW, cout, k, pad, xZero, yZero, actMin, actMax); break;
            }
        }
    }

    internal sealed class DepthwiseStyle : KernelStyle
    {
        private bool inline;
        private byte[] w;
        private int wOff, xOff, yOff, inH, inW, c, pt, pl, xZero, yZero, actMin, actMax;
        private int[] biasIn, biasRaw, mult, shift;

        public static DepthwiseStyle Create(string name, Model m, Op op)
        {
            if (name != "Taps9" && name != "Taps9OneCall") return null;
            Tensor x = m.Tensors[op.Inputs[0]], y = m.Tensors[op.Outputs[0]];
            int[] p = op.Params;
            // 3×3, stride 1, dilation 1, depth multiplier 1, 'same' padding, int8, batch 1.
            if (x.DType != DType.Int8 || x.Batch != 1 || p[8] != 3 || p[9] != 3 || p[10] != 1 || p[11] != 1 || p[12] != 1 || p[13] != 1
                || p[16] != 1 || y.Height != x.Height || y.Width != x.Width) return null;
            DepthwiseStyle s = new DepthwiseStyle();
            s.inline = name == "Taps9OneCall";
            s.w = m.Blob;
            s.wOff = StyleUtil.WeightsOffset(op);
            s.xOff = x.ArenaOffset;
            s.yOff = y.ArenaOffset;
            s.inH = x.Height;
            s.inW = x.Width;
            s.c = x.Channels;
            s.pt = p[14];
            s.pl = p[15];
            s.xZero = x.ZeroPoint;
            s.yZero = y.ZeroPoint;
            s.actMin = p[5];
            s.actMax = p[6];
            s.mult = StyleUtil.Multiplier(op);
            s.shift = StyleUtil.Shift(op);
            // Depthwise weights [3][3][C]: channel c's taps are w[t·C + c].
            bool folded = (p[7] & BlobLayout.FlagBiasFolded) != 0;
            s.biasIn = new int[s.c];
            s.biasRaw = new int[s.c];
            for (int ch = 0; ch < s.c; ch++)
            {
                int sum = 0;
                for (int t = 0; t < 9; t++) sum += (sbyte)m.Blob[s.wOff + t * s.c + ch];
                int raw = folded ? unchecked(StyleUtil.StoredBias(op)[ch] + s.xZero * sum) : StyleUtil.StoredBias(op)[ch];
                s.biasRaw[ch] = raw;
                s.biasIn[ch] = unchecked(raw - s.xZero * sum);
            }
            s.ExtraBytes = 8 * s.c;
            return s;
        }

        public override void Run()
        {
            DepthwiseVariants.Taps9(w, wOff, biasIn, biasRaw, mult, shift, It.Arena, xOff, yOff, inH, inW, c, pt, pl, xZero, yZero, actMin, actMax, inline);
        }
    }
}
