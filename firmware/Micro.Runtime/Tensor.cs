namespace Micro.Runtime
{
    /// <summary>An activation tensor as the blob describes it, plus what Model.Load derived from it.</summary>
    public sealed class Tensor
    {
        public int Index;
        public int DType;
        public int Rank;
        /// <summary>The first Rank dims, outermost first (channels-last: NWC / NHWC).</summary>
        public int[] Dims;
        public int ZeroPoint;
        public float Scale;
        /// <summary>The scale's IEEE-754 bits: kernels compare quantization by these, never with float math.</summary>
        public int ScaleBits;
        public int ArenaOffset;
        public int ElementCount;
        public int ByteSize;

        /// <summary>The 4-d view kernels use: rank 4 NHWC; rank 3 NWC as H = 1; rank 2 (N, C) as H = W = 1; rank 1 as (1,1,1,C).</summary>
        public int Batch, Height, Width, Channels;

        /// <summary>Index of the op that writes this tensor; -1 for a model input.</summary>
        public int Producer = -1;
        /// <summary>Index of the last op that reads it; -1 when nothing reads it.</summary>
        public int LastReader = -1;
        public bool IsModelInput;
        public bool IsModelOutput;

        /// <summary>True when both tensors have the same rank and dims.</summary>
        public bool SameDims(Tensor other)
        {
            if (Rank != other.Rank) return false;
            for (int d = 0; d < Rank; d++) if (Dims[d] != other.Dims[d]) return false;
            return true;
        }
    }
}
