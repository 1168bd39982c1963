namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// Prepared state of the four convolutions (CONV_1D, CONV_2D, DEPTHWISE_CONV_1D, DEPTHWISE_CONV_2D), made
    /// once at load by their Prepare: geometry (1-D ops have InH = OutH = Kh = 1), the interior ranges
    /// (ConvGeometry), the weights' place in the blob, both int8 biases or the int64 one, per-channel
    /// requantization, zero points, clamp, arena offsets, and the packed path's chunk and window (ConvLanes).
    /// The 29 integers live in one int[] behind properties: on nanoCLR every field of an object takes a
    /// 12-byte heap block whatever its type, an int[] element 4 bytes (≈ 210 B less per op). Kernels read
    /// them once per call into locals.
    /// </summary>
    public sealed class ConvData
    {
        private readonly int[] v = new int[29];

        public int XOffset { get { return v[0]; } set { v[0] = value; } }
        public int YOffset { get { return v[1]; } set { v[1] = value; } }
        public int Batches { get { return v[2]; } set { v[2] = value; } }
        public int InH { get { return v[3]; } set { v[3] = value; } }
        public int InW { get { return v[4]; } set { v[4] = value; } }
        public int InC { get { return v[5]; } set { v[5] = value; } }
        public int OutH { get { return v[6]; } set { v[6] = value; } }
        public int OutW { get { return v[7]; } set { v[7] = value; } }
        public int OutC { get { return v[8]; } set { v[8] = value; } }
        public int Kh { get { return v[9]; } set { v[9] = value; } }
        public int Kw { get { return v[10]; } set { v[10] = value; } }
        public int StrideH { get { return v[11]; } set { v[11] = value; } }
        public int StrideW { get { return v[12]; } set { v[12] = value; } }
        public int DilH { get { return v[13]; } set { v[13] = value; } }
        public int DilW { get { return v[14]; } set { v[14] = value; } }
        public int PadTop { get { return v[15]; } set { v[15] = value; } }
        public int PadLeft { get { return v[16]; } set { v[16] = value; } }
        public int DepthMultiplier { get { return v[17]; } set { v[17] = value; } }
        /// <summary>Output rows [InteriorYLo, InteriorYHi) and columns [InteriorXLo, InteriorXHi) have every tap inside the input.</summary>
        public int InteriorYLo { get { return v[18]; } set { v[18] = value; } }
        public int InteriorYHi { get { return v[19]; } set { v[19] = value; } }
        public int InteriorXLo { get { return v[20]; } set { v[20] = value; } }
        public int InteriorXHi { get { return v[21]; } set { v[21] = value; } }
        /// <summary>Absolute offset of the int8 weights in the blob bytes (read in place, never copied).</summary>
        public int WeightsOffset { get { return v[22]; } set { v[22] = value; } }
        public int XZero { get { return v[23]; } set { v[23] = value; } }
        public int YZero { get { return v[24]; } set { v[24] = value; } }
        public int ActMin { get { return v[25]; } set { v[25] = value; } }
        public int ActMax { get { return v[26]; } set { v[26] = value; } }
        /// <summary>Chunk of the packed three-position path, 0 when it must not run (ConvLanes.Prepare).</summary>
        public int LaneChunk { get { return v[27]; } set { v[27] = value; } }
        /// <summary>Positions per slice group (OpSlices.SetGrouped): 3 with ConvLanes, a row run for Row3x3, else 1.</summary>
        public int SliceGroup { get { return v[28]; } set { v[28] = value; } }

        /// <summary>Int8: the folded bias (interior positions) and the true bias (border positions), ConvGeometry.SplitBias;
        /// BiasBorder is null when the op has no border position (ConvGeometry.HasBorder).</summary>
        public int[] BiasInterior, BiasBorder;
        /// <summary>Int16 (16×8): the int64 bias.</summary>
        public long[] Bias64;
        public int[] Multiplier, Shift;
        /// <summary>The model's shared packed-input window; null unless LaneChunk ≠ 0.</summary>
        public LaneWindow Lanes;

        public ConvData()
        {
            SliceGroup = 1;
        }

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
