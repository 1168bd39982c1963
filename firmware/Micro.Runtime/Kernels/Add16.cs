using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// ADD_16: ADD of two int16 tensors of the output's shape, TFLite's 16×8 semantics (add.cc with an int16
    /// output takes the general path of reference_ops::Add, the one the int8 kernel shares, with left_shift 15;
    /// zero points are 0 for int16):
    ///   a' = MBQM(a · 2^left_shift, a_mult, a_shift);  b' likewise      (shifts ≤ 0)
    ///   y  = clamp(MBQM(a' + b', out_mult, out_shift), act_min, act_max)
    /// |a| ≤ 2^15 and left_shift ≤ 15 keep a · 2^left_shift inside int32, as in TFLite. An int8 table of a' is
    /// not possible for 65,536 inputs, so each element costs three rescales. Macs = elements.
    /// Params: ADD's nine (Add.Encode).
    /// </summary>
    public static class Add16
    {
        public const int ParamCount = Add.ParamCount;

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 2, ParamCount);
            Tensor a = m.In(op, 0), b = m.In(op, 1), y = m.Out(op);
            if (a.DType != DType.Int16 || b.DType != DType.Int16 || y.DType != DType.Int16)
                throw m.OpError(op, ErrorCodes.BadDType, "needs int16 inputs and output");
            if (!a.SameDims(y) || !b.SameDims(y))
                throw m.OpError(op, ErrorCodes.ShapeMismatch, "inputs and output must have the same shape");
            m.Param(op, Add.PLeftShift, 0, 15, "left_shift");
            m.Param(op, Add.PAMult, 0, int.MaxValue, "a_mult");
            m.Param(op, Add.PAShift, -31, 0, "a_shift");
            m.Param(op, Add.PBMult, 0, int.MaxValue, "b_mult");
            m.Param(op, Add.PBShift, -31, 0, "b_shift");
            m.Param(op, Add.POutMult, 0, int.MaxValue, "out_mult");
            m.Param(op, Add.POutShift, -31, 0, "out_shift");
            m.CheckActivationRange(op, Add.PActMin);
            op.Macs = y.ElementCount;
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            int[] p = op.Params;
            Tensor a = m.Tensors[op.Inputs[0]], b = m.Tensors[op.Inputs[1]], y = m.Tensors[op.Outputs[0]];
            EvalInt16(arena, a.ArenaOffset, b.ArenaOffset, y.ArenaOffset, y.ElementCount, p[Add.PLeftShift],
                p[Add.PAMult], p[Add.PAShift], p[Add.PBMult], p[Add.PBShift], p[Add.POutMult], p[Add.POutShift],
                p[Add.PActMin], p[Add.PActMax]);
        }

        /// <summary>The kernel over `count` little-endian int16 elements (offsets in bytes).</summary>
        public static void EvalInt16(sbyte[] arena, int aOff, int bOff, int yOff, int count, int leftShift,
            int aMult, int aShift, int bMult, int bShift, int outMult, int outShift, int actMin, int actMax)
        {
            int n2 = 2 * count;
            for (int i = 0; i < n2; i += 2)
            {
                int av = (arena[aOff + i] & 0xFF) | (arena[aOff + i + 1] << 8);
                int bv = (arena[bOff + i] & 0xFF) | (arena[bOff + i + 1] << 8);
                int sum = FixedPoint.MultiplyByQuantizedMultiplier(av << leftShift, aMult, aShift)
                    + FixedPoint.MultiplyByQuantizedMultiplier(bv << leftShift, bMult, bShift);
                int v = FixedPoint.MultiplyByQuantizedMultiplier(sum, outMult, outShift);
                if (v < actMin) v = actMin;
                if (v > actMax) v = actMax;
                arena[yOff + i] = (sbyte)v;
                arena[yOff + i + 1] = (sbyte)(v >> 8);
            }
        }
    }
}
