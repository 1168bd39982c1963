using System;
using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// CONCATENATION of n ≥ 1 tensors along `axis` (param 0, 0..rank−1), int8 or int16. Every input has the
    /// output's dtype, rank, zero point and scale (TFLite's int8 kernel requires equal quantization; no
    /// rescaling) and its dims except along the axis, where they add up to the output's. The output is
    /// `outer` = Π dims before the axis blocks, each the inputs' slices back to back, so Eval is one
    /// Array.Copy per input per block. Aux: [outer, output block bytes, input 0 block bytes, ...].
    /// Macs = 0 (data movement).
    /// </summary>
    public static class Concatenation
    {
        public const int PAxis = 0, ParamCount = 1;

        public static void Prepare(Model m, Op op)
        {
            m.Expect(op, -1, ParamCount);
            Tensor y = m.Out(op);
            int axis = m.Param(op, PAxis, 0, y.Rank - 1, "axis");
            int n = op.Inputs.Length;
            int elementSize = DType.Size(y.DType);
            int inner = 1, outer = 1;
            for (int d = axis + 1; d < y.Rank; d++) inner *= y.Dims[d];
            for (int d = 0; d < axis; d++) outer *= y.Dims[d];
            int[] aux = new int[2 + n];
            aux[0] = outer;
            aux[1] = y.Dims[axis] * inner * elementSize;
            int axisTotal = 0;
            for (int k = 0; k < n; k++)
            {
                Tensor x = m.In(op, k);
                if (x.DType != y.DType) throw m.OpError(op, ErrorCodes.BadDType, "input " + k + " is " + DType.Name(x.DType) + ", output " + DType.Name(y.DType));
                if (x.ZeroPoint != y.ZeroPoint || x.ScaleBits != y.ScaleBits)
                    throw m.OpError(op, ErrorCodes.BadOpParams, "input " + k + " must have the output's scale and zero point");
                if (x.Rank != y.Rank) throw m.OpError(op, ErrorCodes.ShapeMismatch, "input " + k + " has rank " + x.Rank + ", output " + y.Rank);
                for (int d = 0; d < y.Rank; d++)
                    if (d != axis && x.Dims[d] != y.Dims[d])
                        throw m.OpError(op, ErrorCodes.ShapeMismatch, "input " + k + " dimension " + d + " is " + x.Dims[d] + ", output's " + y.Dims[d]);
                axisTotal += x.Dims[axis];
                aux[2 + k] = x.Dims[axis] * inner * elementSize;
            }
            if (axisTotal != y.Dims[axis])
                throw m.OpError(op, ErrorCodes.ShapeMismatch, "inputs add up to " + axisTotal + " along axis " + axis + ", output has " + y.Dims[axis]);
            op.Aux = aux;
            op.Macs = 0;
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            int[] aux = op.Aux;
            int outer = aux[0], outBlock = aux[1];
            int yBase = m.Tensors[op.Outputs[0]].ArenaOffset;
            int[] inputs = op.Inputs;
            int dst = yBase;
            for (int k = 0; k < inputs.Length; k++)
            {
                int block = aux[2 + k];
                int src = m.Tensors[inputs[k]].ArenaOffset;
                int d = dst;
                for (int o = 0; o < outer; o++)
                {
                    Array.Copy(arena, src, arena, d, block);
                    src += block;
                    d += outBlock;
                }
                dst += block;
            }
        }
    }
}
