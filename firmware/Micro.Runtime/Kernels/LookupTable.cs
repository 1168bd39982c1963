namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// The shared Eval of every int8 → int8 op whose output depends on the input value alone (LOGISTIC, TANH,
    /// RELU, LEAKY_RELU): Prepare runs the op's exact TFLite integer algorithm on all 256 inputs, and
    ///   y[i] = table[x[i] + 128]
    /// costs two array loads and a store per element. Safe in place (each element is read before written).
    /// </summary>
    public static class LookupTable
    {
        /// <summary>Eval of an int8-only table op (LOGISTIC, TANH): its LookupTableData applied from input to output.</summary>
        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            Tensor x = m.Tensors[op.Inputs[0]], y = m.Tensors[op.Outputs[0]];
            Apply(((LookupTableData)op.Data).Table, arena, x.ArenaOffset, y.ArenaOffset, x.ElementCount);
        }

        public static void Apply(sbyte[] table, sbyte[] a, int xOff, int yOff, int count)
        {
            for (int i = 0; i < count; i++) a[yOff + i] = table[a[xOff + i] + 128];
        }
    }

    /// <summary>Prepared state of an int8 table op: the output for every int8 input q at index q + 128.</summary>
    public sealed class LookupTableData
    {
        public readonly sbyte[] Table;

        public LookupTableData(sbyte[] table)
        {
            Table = table;
        }
    }
}
