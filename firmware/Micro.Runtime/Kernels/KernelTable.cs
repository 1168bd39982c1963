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
                case OpCodes.ResizeNearest: ResizeNearest.Prepare(m, op); break;
                case OpCodes.GroupedConv: GroupedConv.Prepare(m, op); break;
                case OpCodes.StridedSlice: StridedSlice.Prepare(m, op); break;
                case OpCodes.Transpose: Transpose.Prepare(m, op); break;
                case OpCodes.LayerNorm: LayerNorm.Prepare(m, op); break;
                default: throw m.OpError(op, ErrorCodes.UnknownOpcode, "no kernel for opcode " + op.Code);
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
                case OpCodes.ResizeNearest: ResizeNearest.Eval(m, op, arena); break;
                case OpCodes.GroupedConv: GroupedConv.Eval(m, op, arena); break;
                case OpCodes.StridedSlice: StridedSlice.Eval(m, op, arena); break;
                case OpCodes.Transpose: Transpose.Eval(m, op, arena); break;
                case OpCodes.LayerNorm: LayerNorm.Eval(m, op, arena); break;
            }
        }
    }
}
