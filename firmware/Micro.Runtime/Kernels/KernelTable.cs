using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// Opcode → kernel. Prepare runs once per op at load (validation, constants, MACs); Eval runs per
    /// inference. One switch, no delegates: a static call costs ~27 ns on nanoCLR, a delegate far more.
    /// </summary>
    public static class KernelTable
    {
        public static void Prepare(PrepareContext m, Op op)
        {
            switch (op.Code)
            {
                case OpCodes.FullyConnected: FullyConnected.Prepare(m, op); break;
                case OpCodes.Conv1D: Conv1D.Prepare(m, op); break;
                case OpCodes.Conv2D: Conv2D.Prepare(m, op); break;
                case OpCodes.DepthwiseConv1D: DepthwiseConv1D.Prepare(m, op); break;
                case OpCodes.DepthwiseConv2D: DepthwiseConv2D.Prepare(m, op); break;
                case OpCodes.MaxPool: MaxPool.Prepare(m, op); break;
                case OpCodes.AveragePool: AveragePool.Prepare(m, op); break;
                case OpCodes.Mean: Mean.Prepare(m, op); break;
                case OpCodes.Add: Add.Prepare(m, op); break;
                case OpCodes.Concatenation: Concatenation.Prepare(m, op); break;
                case OpCodes.Reshape: Reshape.Prepare(m, op); break;
                case OpCodes.Pad: Pad.Prepare(m, op); break;
                case OpCodes.Logistic: Logistic.Prepare(m, op); break;
                case OpCodes.Tanh: Tanh.Prepare(m, op); break;
                case OpCodes.Softmax: Softmax.Prepare(m, op); break;
                case OpCodes.Quantize: Quantize.Prepare(m, op); break;
                case OpCodes.Relu: Relu.Prepare(m, op); break;
                case OpCodes.LeakyRelu: LeakyRelu.Prepare(m, op); break;
                case OpCodes.Mul: Mul.Prepare(m, op); break;
                case OpCodes.Sub: Sub.Prepare(m, op); break;
                case OpCodes.BroadcastAdd: BroadcastAdd.Prepare(m, op); break;
                case OpCodes.Lut: Lut.Prepare(m, op); break;
                case OpCodes.HardSwish: HardSwish.Prepare(m, op); break;
                case OpCodes.ResizeNearest: ResizeNearest.Prepare(m, op); break;
                case OpCodes.GroupedConv: GroupedConv.Prepare(m, op); break;
                case OpCodes.StridedSlice: StridedSlice.Prepare(m, op); break;
                case OpCodes.Transpose: Transpose.Prepare(m, op); break;
                case OpCodes.LayerNorm: LayerNorm.Prepare(m, op); break;
                case OpCodes.Lstm: Lstm.Prepare(m, op); break;
                case OpCodes.DepthwiseConv16: DepthwiseConv16.Prepare(m, op); break;
                case OpCodes.Add16: Add16.Prepare(m, op); break;
                default: throw m.OpError(op, ErrorCodes.UnknownOpcode, "no kernel for opcode " + op.Code);
            }
        }

        /// <summary>
        /// Output elements [from, to) of a sliced op (OpSlices; 0 ≤ from &lt; to ≤ op.Units), as at most three
        /// blocks of whole channel ranges: the rest of a started position, whole positions, the start of the
        /// last one. An op whose kernel is not sliced (Units = 1) runs whole.
        /// </summary>
        public static void EvalSlice(Model m, Op op, sbyte[] arena, int from, int to)
        {
            if (from == 0 && to >= op.Units)
            {
                Eval(m, op, arena);
                return;
            }
            int c = m.Tensors[op.Outputs[0]].Channels;
            while (from < to)
            {
                int p = from / c, c0 = from - p * c, p1, c1;
                if (c0 != 0 || to - from < c)
                {
                    p1 = p + 1;
                    c1 = to - p * c < c ? to - p * c : c;
                }
                else
                {
                    p1 = to / c;
                    c1 = c;
                }
                EvalBlock(m, op, arena, p, p1, c0, c1);
                from = c1 == c ? p1 * c : p * c + c1;
            }
        }

        /// <summary>Output positions [p0, p1), channels [c0, c1) of a sliced op.</summary>
        private static void EvalBlock(Model m, Op op, sbyte[] arena, int p0, int p1, int c0, int c1)
        {
            switch (op.Code)
            {
                case OpCodes.FullyConnected: FullyConnected.EvalBlock(m, op, arena, p0, p1, c0, c1); break;
                case OpCodes.Conv1D: Conv1D.EvalBlock(m, op, arena, p0, p1, c0, c1); break;
                case OpCodes.Conv2D: Conv2D.EvalBlock(m, op, arena, p0, p1, c0, c1); break;
                case OpCodes.DepthwiseConv1D: DepthwiseConv1D.EvalBlock(m, op, arena, p0, p1, c0, c1); break;
                case OpCodes.DepthwiseConv2D: DepthwiseConv2D.EvalBlock(m, op, arena, p0, p1, c0, c1); break;
                case OpCodes.MaxPool: MaxPool.EvalBlock(m, op, arena, p0, p1, c0, c1); break;
                case OpCodes.AveragePool: AveragePool.EvalBlock(m, op, arena, p0, p1, c0, c1); break;
                case OpCodes.Mean: Mean.EvalBlock(m, op, arena, p0, p1, c0, c1); break;
                case OpCodes.Lstm: Lstm.EvalBlock(m, op, arena, p0, p1, c0, c1); break;
                case OpCodes.GroupedConv: GroupedConv.EvalBlock(m, op, arena, p0, p1, c0, c1); break;
                default: throw new System.InvalidOperationException("op " + op.Index + ": opcode " + op.Code + " is not sliced");
            }
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            switch (op.Code)
            {
                case OpCodes.FullyConnected: FullyConnected.Eval(m, op, arena); break;
                case OpCodes.Conv1D: Conv1D.Eval(m, op, arena); break;
                case OpCodes.Conv2D: Conv2D.Eval(m, op, arena); break;
                case OpCodes.DepthwiseConv1D: DepthwiseConv1D.Eval(m, op, arena); break;
                case OpCodes.DepthwiseConv2D: DepthwiseConv2D.Eval(m, op, arena); break;
                case OpCodes.MaxPool: MaxPool.Eval(m, op, arena); break;
                case OpCodes.AveragePool: AveragePool.Eval(m, op, arena); break;
                case OpCodes.Mean: Mean.Eval(m, op, arena); break;
                case OpCodes.Add: Add.Eval(m, op, arena); break;
                case OpCodes.Concatenation: Concatenation.Eval(m, op, arena); break;
                case OpCodes.Reshape: Reshape.Eval(m, op, arena); break;
                case OpCodes.Pad: Pad.Eval(m, op, arena); break;
                case OpCodes.Logistic: LookupTable.Eval(m, op, arena); break;
                case OpCodes.Tanh: LookupTable.Eval(m, op, arena); break;
                case OpCodes.Softmax: Softmax.Eval(m, op, arena); break;
                case OpCodes.Quantize: Quantize.Eval(m, op, arena); break;
                case OpCodes.Relu: Relu.Eval(m, op, arena); break;
                case OpCodes.LeakyRelu: LeakyRelu.Eval(m, op, arena); break;
                case OpCodes.Mul: Mul.Eval(m, op, arena); break;
                case OpCodes.Sub: Sub.Eval(m, op, arena); break;
                case OpCodes.BroadcastAdd: BroadcastAdd.Eval(m, op, arena); break;
                case OpCodes.Lut: LookupTable.Eval(m, op, arena); break;
                case OpCodes.HardSwish: LookupTable.Eval(m, op, arena); break;
                case OpCodes.ResizeNearest: ResizeNearest.Eval(m, op, arena); break;
                case OpCodes.GroupedConv: GroupedConv.Eval(m, op, arena); break;
                case OpCodes.StridedSlice: StridedSlice.Eval(m, op, arena); break;
                case OpCodes.Transpose: Transpose.Eval(m, op, arena); break;
                case OpCodes.LayerNorm: LayerNorm.Eval(m, op, arena); break;
                case OpCodes.Lstm: Lstm.Eval(m, op, arena); break;
                case OpCodes.DepthwiseConv16: DepthwiseConv16.Eval(m, op, arena); break;
                case OpCodes.Add16: Add16.Eval(m, op, arena); break;
            }
        }
    }
}
