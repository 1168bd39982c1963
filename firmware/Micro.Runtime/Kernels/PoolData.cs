namespace Micro.Runtime.Kernels
{
    /// <summary>Prepared state of MAX_POOL and AVERAGE_POOL (PoolGeometry.Prepare): NHWC geometry (1D: H = 1), arena offsets, clamp.</summary>
    public sealed class PoolData
    {
        public int XOffset, YOffset;
        public int Batches, InH, InW, Channels, OutH, OutW;
        public int Kh, Kw, StrideH, StrideW, PadTop, PadLeft;
        public int ActMin, ActMax;
    }
}
