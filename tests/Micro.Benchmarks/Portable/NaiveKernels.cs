using Micro.Runtime;
using Micro.Runtime.Kernels;

namespace Micro.Benchmarks.Portable
{
    // The "naive" baselines of docs/performance.md: written the way a first C# port of the TFLite reference
    // kernels looks (the "naive" row of shared/nanoframework.md's table): instance fields read inside the
    // loops, w[o*N + i] indexing, (x[i] − x_zp) inside the MAC, the original (unfolded) bias, and a requant
    // helper call per output. Same results as the runtime, bit for bit (checked at setup).
    // Plain C# (no generics, no newer syntax): compiled by .NET and by Mono's mcs.

    /// <summary>Naive FULLY_CONNECTED, batch 1.</summary>
    public sealed class NaiveFullyConnected
    {
        public byte[] W;
        public int WOff;
        public int[] Bias;
        public int[] Mult;
        public int[] Shift;
        public int N;
        public int M;
        public int XZero;
        public int YZero;
        public int ActMin;
        public int ActMax;
        public int XOff;
        public int YOff;

        public NaiveFullyConnected(Model m, Op op)
        {
            Tensor x = m.Tensors[op.Inputs[0]], y = m.Tensors[op.Outputs[0]];
            W = m.Blob;
            WOff = StyleUtil.WeightsOffset(op);
            M = y.Dims[y.Rank - 1];
            N = x.ElementCount;
            XZero = x.ZeroPoint;
            YZero = y.ZeroPoint;
            Mult = StyleUtil.Multiplier(op);
            Shift = StyleUtil.Shift(op);
            ActMin = op.Params[FullyConnected.PActMin];
            ActMax = op.Params[FullyConnected.PActMax];
            XOff = x.ArenaOffset;
            YOff = y.ArenaOffset;
            Bias = StyleUtil.UnfoldedBias(m, op, N, M);
        }

        public void Run(sbyte[] a)
        {
            for (int o = 0; o < M; o++)
            {
                int acc = Bias[o];
                for (int i = 0; i < N; i++)
                    acc += (a[XOff + i] - XZero) * (sbyte)W[WOff + o * N + i];
                a[YOff + o] = Requant(acc, o);
            }
        }

        private sbyte Requant(int acc, int o)
        {
            int v = YZero + FixedPoint.MultiplyByQuantizedMultiplier(acc, Mult[o], Shift[o]);
            if (v < ActMin) v = ActMin;
            if (v > ActMax) v = ActMax;
            return (sbyte)v;
        }
    }

    /// <summary>Naive CONV_1D (channels-last x [W][Cin], w [Cout][K][Cin], y [Wo][Cout]), batch 1.</summary>
    public sealed class NaiveConv1D
    {
        public byte[] W;
        public int WOff;
        public int[] Bias;
        public int[] Mult;
        public int[] Shift;
        public int InW, Cin, OutW, Cout, K, Stride, Dilation, Pad;
        public int XZero, YZero, ActMin, ActMax, XOff, YOff;

        public NaiveConv1D(Model m, Op op)
        {
            Tensor x = m.Tensors[op.Inputs[0]], y = m.Tensors[op.Outputs[0]];
            W = m.Blob;
            WOff = StyleUtil.WeightsOffset(op);
            InW = x.Dims[1];
            Cin = x.Dims[2];
            OutW = y.Dims[1];
            Cout = y.Dims[2];
            K = op.Params[8];
            Stride = op.Params[9];
            Dilation = op.Params[10];
            Pad = op.Params[11];
            XZero = x.ZeroPoint;
            YZero = y.ZeroPoint;
            Mult = StyleUtil.Multiplier(op);
            Shift = StyleUtil.Shift(op);
            ActMin = op.Params[5];
            ActMax = op.Params[6];
            XOff = x.ArenaOffset;
            YOff = y.ArenaOffset;
            Bias = StyleUtil.UnfoldedBias(m, op, K * Cin, Cout);
        }

        public void Run(sbyte[] a)
        {
            for (int ox = 0; ox < OutW; ox++)
            {
                for (int oc = 0; oc < Cout; oc++)
                {
                    int acc = Bias[oc];
                    for (int k = 0; k < K; k++)
                    {
                        int ix = ox * Stride - Pad + k * Dilation;
                        if (ix < 0 || ix >= InW) continue;
                        for (int ic = 0; ic < Cin; ic++)
                            acc += (a[XOff + ix * Cin + ic] - XZero) * (sbyte)W[WOff + (oc * K + k) * Cin + ic];
                    }
                    a[YOff + ox * Cout + oc] = Requant(acc, oc);
                }
            }
        }

        private sbyte Requant(int acc, int o)
        {
            int v = YZero + FixedPoint.MultiplyByQuantizedMultiplier(acc, Mult[o], Shift[o]);
            if (v < ActMin) v = ActMin;
            if (v > ActMax) v = ActMax;
            return (sbyte)v;
        }
    }
}
