using System;
using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// RESHAPE (also Flatten/Squeeze): y = x with new dims. Free when the planner gave y x's arena offset;
    /// otherwise one copy.
    /// </summary>
    public static class Reshape
    {
        /// <summary>The op record's params, for every writer: none.</summary>
        public static int[] Encode()
        {
            return new int[0];
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 1, 0);
            Tensor x = m.In(op, 0), y = m.Out(op);
            if (x.DType != y.DType || x.ElementCount != y.ElementCount)
                throw m.OpError(op, ErrorCodes.ShapeMismatch, "reshape must keep type and element count (" + x.ElementCount + " → " + y.ElementCount + ")");
            if (x.ZeroPoint != y.ZeroPoint || x.ScaleBits != y.ScaleBits)
                throw m.OpError(op, ErrorCodes.BadOpParams, "reshape must keep the quantization");
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            Tensor x = m.Tensors[op.Inputs[0]], y = m.Tensors[op.Outputs[0]];
            if (x.ArenaOffset != y.ArenaOffset) Array.Copy(arena, x.ArenaOffset, arena, y.ArenaOffset, x.ByteSize);
        }
    }
}
