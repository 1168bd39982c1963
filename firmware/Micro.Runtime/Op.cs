namespace Micro.Runtime
{
    /// <summary>
    /// One op record of the blob, decoded once at load. The kernel's Prepare validates it and leaves its
    /// prepared state in Data (the kernel's own class: FullyConnectedData, ConvData, …); Eval casts Data
    /// once and then reads only that and the arena.
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

        /// <summary>
        /// Slices (Interpreter.Step): the op's work as Units equal pieces run in order, each costing about
        /// UnitCost work units (≈ 1 ns of the reference nanoCLR each, see OpSlices). A sliced kernel's unit
        /// is one output channel of one position or group of positions; an op whose kernel is not sliced
        /// has Units = 1 and UnitCost = its whole cost. Set at load (Prepare, else OpSlices.Whole).
        /// </summary>
        public int Units, UnitCost;

        /// <summary>The kernel's prepared state (its own type, documented in the kernel); null before Prepare.</summary>
        public object Data;
    }
}
