using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// QUANTIZE (requantization) between int8 and int16 tensors of equal shape, TFLite semantics
    /// (reference_ops::Requantize): params mult, shift = QuantizeMultiplier(x_scale / y_scale);
    ///   y = clamp(y_zp + MultiplyByQuantizedMultiplier(x − x_zp, mult, shift), y type range).
    /// For an int8 input Prepare tabulates all 256 results (QuantizeData) and Eval looks them up; an int16
    /// input is computed per element. In place allowed between same-size types. Macs = elements.
    /// </summary>
    public static class Quantize
    {
        public const int PMult = 0, PShift = 1, ParamCount = 2;


        /// <summary>The op record's params, for every writer (the blob writers call this; Prepare reads the same P* indices). </summary>
        public static int[] Encode(int mult, int shift)
        {
            int[] p = new int[ParamCount];
            p[PMult] = mult;
            p[PShift] = shift;
            return p;
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 1, ParamCount);
            Tensor x = m.In(op, 0), y = m.Out(op);
            if (!x.SameDims(y)) throw m.OpError(op, ErrorCodes.ShapeMismatch, "input and output shapes differ");
            int mult = m.Param(op, PMult, 0, int.MaxValue, "mult");
            int shift = m.Param(op, PShift, -31, 30, "shift");
            if (x.DType == DType.Int8) op.Data = new QuantizeData(BuildTable(x.ZeroPoint, mult, shift, y.ZeroPoint, y.DType));
            op.Macs = x.ElementCount;
        }

        /// <summary>Output for every int8 input q at index q + 128.</summary>
        public static int[] BuildTable(int xZero, int mult, int shift, int yZero, int yDType)
        {
            int[] t = new int[256];
            for (int q = -128; q < 128; q++) t[q + 128] = Compute(q - xZero, mult, shift, yZero, yDType);
            return t;
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            Tensor x = m.Tensors[op.Inputs[0]], y = m.Tensors[op.Outputs[0]];
            int n = x.ElementCount, xo = x.ArenaOffset, yo = y.ArenaOffset;
            if (x.DType == DType.Int8)
            {
                int[] table = ((QuantizeData)op.Data).Table;
                if (y.DType == DType.Int8) EvalInt8ToInt8(table, arena, xo, yo, n);
                else EvalInt8ToInt16(table, arena, xo, yo, n);
            }
            else EvalInt16(arena, xo, yo, n, x.ZeroPoint, op.Params[PMult], op.Params[PShift], y.ZeroPoint, y.DType);
        }

        /// <summary>One requantized value v = x − x_zp, clamped to the output type's range.</summary>
        public static int Compute(int v, int mult, int shift, int yZero, int yDType)
        {
            int r = yZero + FixedPoint.MultiplyByQuantizedMultiplier(v, mult, shift);
            int lo = yDType == DType.Int16 ? -32768 : -128, hi = yDType == DType.Int16 ? 32767 : 127;
            return r < lo ? lo : r > hi ? hi : r;
        }

        public static void EvalInt8ToInt8(int[] table, sbyte[] a, int xOff, int yOff, int count)
        {
            for (int i = 0; i < count; i++) a[yOff + i] = (sbyte)table[a[xOff + i] + 128];
        }

        public static void EvalInt8ToInt16(int[] table, sbyte[] a, int xOff, int yOff, int count)
        {
            for (int i = 0; i < count; i++)
            {
                int v = table[a[xOff + i] + 128];
                a[yOff + 2 * i] = (sbyte)v;
                a[yOff + 2 * i + 1] = (sbyte)(v >> 8);
            }
        }

        /// <summary>Int16 input (little-endian in the arena) to int8 or int16 output.</summary>
        public static void EvalInt16(sbyte[] a, int xOff, int yOff, int count, int xZero, int mult, int shift, int yZero, int yDType)
        {
            bool wide = yDType == DType.Int16;
            for (int i = 0; i < count; i++)
            {
                int xv = (a[xOff + 2 * i] & 0xFF) | (a[xOff + 2 * i + 1] << 8);
                int v = Compute(xv - xZero, mult, shift, yZero, yDType);
                if (wide)
                {
                    a[yOff + 2 * i] = (sbyte)v;
                    a[yOff + 2 * i + 1] = (sbyte)(v >> 8);
                }
                else a[yOff + i] = (sbyte)v;
            }
        }
    }

    /// <summary>Prepared state of an int8-input QUANTIZE: the output for every int8 input q at index q + 128.</summary>
    public sealed class QuantizeData
    {
        public readonly int[] Table;

        public QuantizeData(int[] table)
        {
            Table = table;
        }
    }
}
