using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// LEAKY_RELU, TFLite semantics (reference_ops::QuantizeLeakyRelu). With v = x − x_zp:
    ///   v ≥ 0: y = y_zp + MBQM(v, mult_identity, shift_identity)
    ///   v &lt; 0: y = y_zp ± MBQM(v, |mult_alpha|, shift_alpha)   (− when mult_alpha &lt; 0, i.e. alpha &lt; 0)
    /// clamped to the output type, where mult_identity/shift_identity = QuantizeMultiplier(x_scale / y_scale)
    /// and mult_alpha/shift_alpha = QuantizeMultiplier(alpha · x_scale / y_scale). Int8: a 256-entry table
    /// built at load; int16 (zero points 0): per element. In place allowed. Macs = elements.
    /// </summary>
    public static class LeakyRelu
    {
        public const int PMultIdentity = 0, PShiftIdentity = 1, PMultAlpha = 2, PShiftAlpha = 3, ParamCount = 4;


        /// <summary>The op record's params, for every writer (the blob writers call this; Prepare reads the same P* indices). A negative alpha travels as a negative multAlpha.</summary>
        public static int[] Encode(int multIdentity, int shiftIdentity, int multAlpha, int shiftAlpha)
        {
            int[] p = new int[ParamCount];
            p[PMultIdentity] = multIdentity;
            p[PShiftIdentity] = shiftIdentity;
            p[PMultAlpha] = multAlpha;
            p[PShiftAlpha] = shiftAlpha;
            return p;
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 1, ParamCount);
            Tensor x = m.In(op, 0), y = m.Out(op);
            if (x.DType != y.DType) throw m.OpError(op, ErrorCodes.BadDType, "input " + DType.Name(x.DType) + " and output " + DType.Name(y.DType) + " differ");
            if (!x.SameDims(y)) throw m.OpError(op, ErrorCodes.ShapeMismatch, "input and output shapes differ");
            int mi = m.Param(op, PMultIdentity, 0, int.MaxValue, "mult_identity");
            int si = m.Param(op, PShiftIdentity, -31, 30, "shift_identity");
            int ma = m.Param(op, PMultAlpha, -int.MaxValue, int.MaxValue, "mult_alpha");
            int sa = m.Param(op, PShiftAlpha, -31, 30, "shift_alpha");
            if (x.DType == DType.Int8) op.Data = new LookupTableData(BuildTable(x.ZeroPoint, mi, si, ma, sa, y.ZeroPoint));
            op.Macs = x.ElementCount;
        }

        /// <summary>Output for every int8 input q at index q + 128.</summary>
        public static sbyte[] BuildTable(int xZero, int multIdentity, int shiftIdentity, int multAlpha, int shiftAlpha, int yZero)
        {
            sbyte[] t = new sbyte[256];
            for (int q = -128; q < 128; q++)
                t[q + 128] = (sbyte)Compute(q - xZero, multIdentity, shiftIdentity, multAlpha, shiftAlpha, yZero, -128, 127);
            return t;
        }

        public static void Eval(Model m, Op op, sbyte[] arena)
        {
            Tensor x = m.Tensors[op.Inputs[0]], y = m.Tensors[op.Outputs[0]];
            if (x.DType == DType.Int8) LookupTable.Apply(((LookupTableData)op.Data).Table, arena, x.ArenaOffset, y.ArenaOffset, x.ElementCount);
            else
            {
                int[] p = op.Params;
                EvalInt16(arena, x.ArenaOffset, y.ArenaOffset, x.ElementCount, p[PMultIdentity], p[PShiftIdentity], p[PMultAlpha], p[PShiftAlpha]);
            }
        }

        /// <summary>One output for the zero-point-relative input v, clamped to [lo, hi].</summary>
        public static int Compute(int v, int multIdentity, int shiftIdentity, int multAlpha, int shiftAlpha, int yZero, int lo, int hi)
        {
            int r = yZero;
            if (v >= 0) r += FixedPoint.MultiplyByQuantizedMultiplier(v, multIdentity, shiftIdentity);
            else if (multAlpha >= 0) r += FixedPoint.MultiplyByQuantizedMultiplier(v, multAlpha, shiftAlpha);
            else r -= FixedPoint.MultiplyByQuantizedMultiplier(v, -multAlpha, shiftAlpha);
            return r < lo ? lo : r > hi ? hi : r;
        }


        /// <summary>Int16 tensors (zero points 0), little-endian in the arena.</summary>
        public static void EvalInt16(sbyte[] a, int xOff, int yOff, int count, int multIdentity, int shiftIdentity, int multAlpha, int shiftAlpha)
        {
            for (int i = 0; i < count; i++)
            {
                int xv = (a[xOff + 2 * i] & 0xFF) | (a[xOff + 2 * i + 1] << 8);
                int v = Compute(xv, multIdentity, shiftIdentity, multAlpha, shiftAlpha, 0, -32768, 32767);
                a[yOff + 2 * i] = (sbyte)v;
                a[yOff + 2 * i + 1] = (sbyte)(v >> 8);
            }
        }
    }
}
