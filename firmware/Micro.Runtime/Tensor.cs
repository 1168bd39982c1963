namespace Micro.Runtime
{
    /// <summary>
    /// An activation tensor as the blob describes it, plus what Model.Load derived from it. The integers
    /// live in one int[] behind properties (on nanoCLR each object field takes a 12-byte heap block, an
    /// int[] element 4 bytes); the 4-d view (Batch, Height, Width, Channels) is what kernels use: rank 4
    /// NHWC; rank 3 NWC as H = 1; rank 2 (N, C) as H = W = 1; rank 1 as (1,1,1,C).
    /// </summary>
    public sealed class Tensor
    {
        private readonly int[] v = new int[16];

        /// <summary>The first Rank dims, outermost first (channels-last: NWC / NHWC).</summary>
        public int[] Dims;
        public float Scale;

        public int Index { get { return v[0]; } set { v[0] = value; } }
        public int DType { get { return v[1]; } set { v[1] = value; } }
        public int Rank { get { return v[2]; } set { v[2] = value; } }
        public int ZeroPoint { get { return v[3]; } set { v[3] = value; } }
        /// <summary>The scale's IEEE-754 bits: kernels compare quantization by these, never with float math.</summary>
        public int ScaleBits { get { return v[4]; } set { v[4] = value; } }
        public int ArenaOffset { get { return v[5]; } set { v[5] = value; } }
        public int ElementCount { get { return v[6]; } set { v[6] = value; } }
        public int ByteSize { get { return v[7]; } set { v[7] = value; } }
        public int Batch { get { return v[8]; } set { v[8] = value; } }
        public int Height { get { return v[9]; } set { v[9] = value; } }
        public int Width { get { return v[10]; } set { v[10] = value; } }
        public int Channels { get { return v[11]; } set { v[11] = value; } }
        /// <summary>Index of the op that writes this tensor; -1 for a model input.</summary>
        public int Producer { get { return v[12]; } set { v[12] = value; } }
        /// <summary>Index of the last op that reads it; -1 when nothing reads it.</summary>
        public int LastReader { get { return v[13]; } set { v[13] = value; } }
        public bool IsModelInput { get { return v[14] != 0; } set { v[14] = value ? 1 : 0; } }
        public bool IsModelOutput { get { return v[15] != 0; } set { v[15] = value ? 1 : 0; } }

        public Tensor()
        {
            Producer = -1;
            LastReader = -1;
        }

        /// <summary>True when both tensors have the same rank and dims.</summary>
        public bool SameDims(Tensor other)
        {
            if (Rank != other.Rank) return false;
            for (int d = 0; d < Rank; d++) if (Dims[d] != other.Dims[d]) return false;
            return true;
        }
    }
}
