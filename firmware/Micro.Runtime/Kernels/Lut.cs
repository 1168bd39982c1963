using Micro.Runtime.Format;

namespace Micro.Runtime.Kernels
{
    /// <summary>
    /// LUT: a generic int8 → int8 function given as its table, for activations the host computes in float
    /// and quantizes once (SiLU/Swish x·σ(x), GELU in the erf and tanh forms, HardSigmoid, HardSwish from ONNX):
    ///   y[i] = table[x[i] + 128]
    /// The 256 table bytes travel as 64 param words, word k = bytes 4k..4k+3 little-endian (byte j is the
    /// output for input j − 128). Eval is LookupTable.Eval; in place allowed. Macs = elements.
    /// </summary>
    public static class Lut
    {
        public const int ParamCount = 64;

        /// <summary>The op record's params: the table (index q + 128 → output for input q) packed four bytes a word.</summary>
        public static int[] Encode(sbyte[] table)
        {
            int[] p = new int[ParamCount];
            for (int k = 0; k < ParamCount; k++)
                p[k] = (table[4 * k] & 0xFF) | ((table[4 * k + 1] & 0xFF) << 8) | ((table[4 * k + 2] & 0xFF) << 16) | (table[4 * k + 3] << 24);
            return p;
        }

        /// <summary>The table packed in <paramref name="p"/> (Encode's inverse).</summary>
        public static sbyte[] Decode(int[] p)
        {
            sbyte[] t = new sbyte[256];
            for (int k = 0; k < ParamCount; k++)
            {
                int w = p[k];
                t[4 * k] = (sbyte)w;
                t[4 * k + 1] = (sbyte)(w >> 8);
                t[4 * k + 2] = (sbyte)(w >> 16);
                t[4 * k + 3] = (sbyte)(w >> 24);
            }
            return t;
        }

        public static void Prepare(PrepareContext m, Op op)
        {
            m.Expect(op, 1, ParamCount);
            Tensor x = m.In(op, 0), y = m.Out(op);
            if (x.DType != DType.Int8 || y.DType != DType.Int8)
                throw m.OpError(op, ErrorCodes.BadDType, "needs int8 input and output, has " + DType.Name(x.DType) + " → " + DType.Name(y.DType));
            if (!x.SameDims(y)) throw m.OpError(op, ErrorCodes.ShapeMismatch, "input and output shapes differ");
            op.Data = new LookupTableData(Decode(op.Params));
            op.Macs = x.ElementCount;
        }
    }
}
