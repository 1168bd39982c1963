namespace Micro.Runtime
{
    /// <summary>
    /// One op record of the blob, decoded once at load. Kernels' Prepare fills the fields below Params from
    /// the constant section (validated); Eval then reads only these fields and the arena.
    /// </summary>
    public sealed class Op
    {
        public int Index;
        public int Code;
        public int ExitGroup;
        public int[] Inputs;
        public int[] Outputs;
        /// <summary>The i32 param words, as listed for the opcode in docs/blob-format.md.</summary>
        public int[] Params;

        /// <summary>Multiply-accumulates one Eval performs (0 for data-movement ops).</summary>
        public long Macs;

        // Prepared by the kernel at load.
        /// <summary>Absolute offset of the int8 weights in the blob bytes (read in place, never copied).</summary>
        public int WeightsOffset;
        public int[] Bias;
        public long[] Bias64;
        /// <summary>Per output channel (a per-tensor multiplier is expanded to every channel).</summary>
        public int[] Multiplier;
        public int[] Shift;
        /// <summary>Lookup table built at load (e.g. LOGISTIC/TANH: output for each int8 input + 128).</summary>
        public sbyte[] Table;
        /// <summary>Integer table or per-op scratch built at load (e.g. SOFTMAX exp table, conv border sums).</summary>
        public int[] IntTable;
        /// <summary>Small per-op integers a kernel derives at load (documented in the kernel).</summary>
        public int[] Aux;
        /// <summary>
        /// Working memory a kernel's Eval overwrites and never reads back across calls (e.g. the packed input
        /// window of CONV_1D/CONV_2D, ConvLanes). Ops run one after another, so Prepare shares one array among
        /// all ops of a model that need one (ConvLanes.PrepareScratch); null when unused.
        /// </summary>
        public long[] Scratch;
    }
}
