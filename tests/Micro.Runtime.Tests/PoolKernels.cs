using Micro.Runtime.Kernels;

namespace Micro.Runtime.Tests;

/// <summary>Builds the pools' prepared state from the positional form the TFLM golden lines use.</summary>
public static class PoolKernels
{
    public static PoolData Data(int xOff, int yOff, int batches, int inH, int inW, int channels, int outH, int outW,
        int kh, int kw, int strideH, int strideW, int padTop, int padLeft, int actMin, int actMax) => new PoolData
        {
            XOffset = xOff,
            YOffset = yOff,
            Batches = batches,
            InH = inH,
            InW = inW,
            Channels = channels,
            OutH = outH,
            OutW = outW,
            Kh = kh,
            Kw = kw,
            StrideH = strideH,
            StrideW = strideW,
            PadTop = padTop,
            PadLeft = padLeft,
            ActMin = actMin,
            ActMax = actMax,
        };
}
