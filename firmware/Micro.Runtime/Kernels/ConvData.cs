namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// Prepared state of the four convolutions (CONV_1D, CONV_2D, DEPTHWISE_CONV_1D, DEPTHWISE_CONV_2D), made
    /// once at load by their Prepare: geometry (1-D ops have InH = OutH = Kh = 1), the interior ranges
    /// (ConvGeometry), the weights' place in the blob, both int8 biases or the int64 one, per-channel
    /// requantization, zero points, clamp, arena offsets, and the packed path's chunk and window (ConvLanes).
    /// </summary>
    public sealed class ConvData
    {
        public int XOffset, YOffset;

        public int Batches, InH, InW, InC, OutH, OutW, OutC;
        public int Kh, Kw, StrideH, StrideW, DilH, DilW, PadTop, PadLeft, DepthMultiplier;
        /// <summary>Output rows [InteriorYLo, InteriorYHi) and columns [InteriorXLo, InteriorXHi) have every tap inside the input.</summary>
        public int InteriorYLo, InteriorYHi, InteriorXLo, InteriorXHi;

        /// <summary>Absolute offset of the int8 weights in the blob bytes (read in place, never copied).</summary>
        public int WeightsOffset;
        /// <summary>Int8: the folded bias (interior positions) and the true bias (border positions), ConvGeometry.SplitBias;
        /// BiasBorder is null when the op has no border position (ConvGeometry.HasBorder).</summary>
        public int[] BiasInterior, BiasBorder;
        /// <summary>Int16 (16×8): the int64 bias.</summary>
        public long[] Bias64;
        public int[] Multiplier, Shift;
        public int XZero, YZero, ActMin, ActMax;

        /// <summary>Chunk of the packed three-position path, 0 when it must not run (ConvLanes.Prepare).</summary>
        public int LaneChunk;
        /// <summary>The model's shared packed-input window; null unless LaneChunk ≠ 0.</summary>
        public LaneWindow Lanes;
        /// <summary>Positions per slice group (OpSlices.SetGrouped): 3 with ConvLanes, a row run for Row3x3, else 1.</summary>
        public int SliceGroup = 1;

        /// <summary>Geometry and interior ranges; everything else is left for the kernel's Prepare.</summary>
        public static ConvData Geometry(int batches, int inH, int inW, int inC, int outH, int outW, int outC,
            int kh, int kw, int strideH, int strideW, int dilH, int dilW, int padTop, int padLeft, int depthMult)
        {
            ConvData d = new ConvData();
            d.Batches = batches;
            d.InH = inH;
            d.InW = inW;
            d.InC = inC;
            d.OutH = outH;
            d.OutW = outW;
            d.OutC = outC;
            d.Kh = kh;
            d.Kw = kw;
            d.StrideH = strideH;
            d.StrideW = strideW;
            d.DilH = dilH;
            d.DilW = dilW;
            d.PadTop = padTop;
            d.PadLeft = padLeft;
            d.DepthMultiplier = depthMult;
            d.InteriorYLo = ConvGeometry.InteriorLo(padTop, strideH, outH);
            d.InteriorYHi = ConvGeometry.InteriorHi(inH, kh, strideH, dilH, padTop, outH);
            d.InteriorXLo = ConvGeometry.InteriorLo(padLeft, strideW, outW);
            d.InteriorXHi = ConvGeometry.InteriorHi(inW, kw, strideW, dilW, padLeft, outW);
            return d;
        }
    }
}
