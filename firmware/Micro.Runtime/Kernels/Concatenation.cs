using System;
using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// CONCATENATION of n ≥ 1 tensors along `axis` (param 0, 0..rank−1), int8 or int16. Every input has the
    /// output's dtype, rank, zero point and scale (TFLite's int8 kernel requires equal quantization; no
    /// rescaling) and its dims except along the axis, where they add up to the output's. The output is
    /// `outer` = Π dims before the axis blocks, each the inputs' slices back to back, so Eval is one
    /// Array.Copy per input per block (ConcatenationData).
    /// Macs = 0 (data movement).
    /// </summary>
    public static class Concatenation
    {
        public const int PAxis = 0, ParamCount = 1;


        /// <summary>The op record's params, for every writer (the blob writers call this; Prepare reads the same P* indices). </summary>
        public static int[] Encode(int axis)
        {
            int[] p = new int[ParamCount];
            p[PAxis] = axis;
            return p;
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, -1, ParamCount);
            Tensor y = m.Out(op);
            int axis = m.Param(op, PAxis, 0, y.Rank - 1, "axis");
            int n = op.Inputs.Length;
            int elementSize = DType.Size(y.DType);
            int inner = 1, outer = 1;
            for (int d = axis + 1; d < y.Rank; d++) inner *= y.Dims[d];
            for (int d = 0; d < axis; d++) outer *= y.Dims[d];
            ConcatenationData data = new ConcatenationData();
            data.Outer = outer;
            data.OutBlock = y.Dims[axis] * inner * elementSize;
            data.YOffset = y.ArenaOffset;
            data.InBlocks = new int[n];
            data.InOffsets = new int[n];
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
                data.InBlocks[k] = x.Dims[axis] * inner * elementSize;
                data.InOffsets[k] = x.ArenaOffset;
            }
            if (axisTotal != y.Dims[axis])
                throw m.OpError(op, ErrorCodes.ShapeMismatch, "inputs add up to " + axisTotal + " along axis " + axis + ", output has " + y.Dims[axis]);
            op.Data = data;
            op.Macs = 0;
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            ConcatenationData data = (ConcatenationData)op.Data;
            int outer = data.Outer, outBlock = data.OutBlock;
            int[] blocks = data.InBlocks, offsets = data.InOffsets;
            int dst = data.YOffset;
            for (int k = 0; k < blocks.Length; k++)
            {
                int block = blocks[k];
                int src = offsets[k];
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

    /// <summary>Prepared state of CONCATENATION: Outer blocks; per input its block bytes and arena offset; the output's block bytes.</summary>
    public sealed class ConcatenationData
    {
        public int Outer, OutBlock, YOffset;
        public int[] InBlocks, InOffsets;
    }
}
