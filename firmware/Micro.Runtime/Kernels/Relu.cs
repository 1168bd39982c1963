using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// RELU / RELU6 / RELU_N1_TO_1 with requantization, TFLite semantics (ReluQuantized):
    ///   y = clamp(y_zp + MultiplyByQuantizedMultiplier(x − x_zp, mult, shift), act_min, act_max)
    /// with mult, shift = QuantizeMultiplier(x_scale / y_scale) and the clamp range the activation's
    /// (RELU: y_zp.., RELU6: y_zp..y_zp + round(6 / y_scale), within the type). TFLite's RELU6, a plain
    /// clamp when scales are equal, is the same formula with mult = 2^30, shift = 1 (exactly ×1).
    /// Int8: Prepare tabulates the 256 results and Eval looks them up; int16 (zero points 0): per element.
    /// In place allowed. Macs = elements.
    /// </summary>
    public static class Relu
    {
        public const int PMult = 0, PShift = 1, PActMin = 2, PActMax = 3, ParamCount = 4;


        /// <summary>The op record's params, for every writer (the blob writers call this; Prepare reads the same P* indices). </summary>
        public static int[] Encode(int mult, int shift, int actMin, int actMax)
        {
            int[] p = new int[ParamCount];
            p[PMult] = mult;
            p[PShift] = shift;
            p[PActMin] = actMin;
            p[PActMax] = actMax;
            return p;
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 1, ParamCount);
            Tensor x = m.In(op, 0), y = m.Out(op);
            if (x.DType != y.DType) throw m.OpError(op, ErrorCodes.BadDType, "input " + DType.Name(x.DType) + " and output " + DType.Name(y.DType) + " differ");
            if (!x.SameDims(y)) throw m.OpError(op, ErrorCodes.ShapeMismatch, "input and output shapes differ");
            int mult = m.Param(op, PMult, 0, int.MaxValue, "mult");
            int shift = m.Param(op, PShift, -31, 30, "shift");
            m.CheckActivationRange(op, PActMin);
            if (x.DType == DType.Int8) op.Data = new LookupTableData(BuildTable(x.ZeroPoint, mult, shift, y.ZeroPoint, op.Params[PActMin], op.Params[PActMax]));
            op.Macs = x.ElementCount;
        }

        /// <summary>Output for every int8 input q at index q + 128.</summary>
        public static sbyte[] BuildTable(int xZero, int mult, int shift, int yZero, int actMin, int actMax)
        {
            sbyte[] t = new sbyte[256];
            for (int q = -128; q < 128; q++) t[q + 128] = (sbyte)Compute(q - xZero, mult, shift, yZero, actMin, actMax);
            return t;
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            Tensor x = m.Tensors[op.Inputs[0]], y = m.Tensors[op.Outputs[0]];
            if (x.DType == DType.Int8) LookupTable.Apply(((LookupTableData)op.Data).Table, arena, x.ArenaOffset, y.ArenaOffset, x.ElementCount);
            else EvalInt16(arena, x.ArenaOffset, y.ArenaOffset, x.ElementCount, op.Params[PMult], op.Params[PShift], op.Params[PActMin], op.Params[PActMax]);
        }

        /// <summary>One output for the zero-point-relative input v.</summary>
        public static int Compute(int v, int mult, int shift, int yZero, int actMin, int actMax)
        {
            int r = yZero + FixedPoint.MultiplyByQuantizedMultiplier(v, mult, shift);
            return r < actMin ? actMin : r > actMax ? actMax : r;
        }


        /// <summary>Int16 tensors (zero points 0), little-endian in the arena.</summary>
        public static void EvalInt16(sbyte[] a, int xOff, int yOff, int count, int mult, int shift, int actMin, int actMax)
        {
            for (int i = 0; i < count; i++)
            {
                int xv = (a[xOff + 2 * i] & 0xFF) | (a[xOff + 2 * i + 1] << 8);
                int v = Compute(xv, mult, shift, 0, actMin, actMax);
                a[yOff + 2 * i] = (sbyte)v;
                a[yOff + 2 * i + 1] = (sbyte)(v >> 8);
            }
        }
    }
}
