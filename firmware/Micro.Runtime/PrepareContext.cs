using Micro.Runtime.Format;

namespace Micro.Runtime
{
    /// <summary>
    /// What a kernel's Prepare may use at load: the model read so far (tensors, op records), checks of op
    /// params and constants that throw BlobFormatException naming the op, and the convolutions' shared
    /// packed-input window. Lives only while the blob is read.
    /// </summary>
    public sealed class PrepareContext
    {
        public readonly Model Model;
        public readonly byte[] Blob;
        private readonly int constStart;
        private readonly int constEnd;
        private Kernels.LaneWindow lanes;

        internal PrepareContext(Model model, int constStart, int constEnd)
        {
            Model = model;
            Blob = model.Blob;
            this.constStart = constStart;
            this.constEnd = constEnd;
        }

        private static BlobFormatException Fail(int code, string message)
        {
            return Model.Fail(code, message);
        }

        /// <summary>
        /// The packed-input window of the convolutions (ConvLanes), one per model: ops run one after another,
        /// so all share it; grown to the largest length asked for.
        /// </summary>
        public Kernels.LaneWindow Lanes(int length)
        {
            if (lanes == null) lanes = new Kernels.LaneWindow();
            if (lanes.Values == null || lanes.Values.Length < length) lanes.Values = new long[length];
            return lanes;
        }

        /// <summary>Fails unless the op has exactly these counts of inputs and params (inputs -1 = any ≥ 1).</summary>
        public void Expect(Op op, int inputs, int paramCount)
        {
            if (inputs >= 0 && op.Inputs.Length != inputs)
                throw Fail(ErrorCodes.BadOpRecord, OpLabel(op) + " has " + op.Inputs.Length + " inputs, expected " + inputs);
            if (op.Params.Length != paramCount)
                throw Fail(ErrorCodes.BadOpParams, OpLabel(op) + " has " + op.Params.Length + " params, expected " + paramCount);
        }

        public string OpLabel(Op op)
        {
            return "op " + op.Index + " (" + OpCodes.Name(op.Code) + ")";
        }

        public BlobFormatException OpError(Op op, int code, string message)
        {
            return Fail(code, OpLabel(op) + ": " + message);
        }

        public Tensor In(Op op, int k)
        {
            return Model.Tensors[op.Inputs[k]];
        }

        public Tensor Out(Op op)
        {
            return Model.Tensors[op.Outputs[0]];
        }

        /// <summary>Fails unless param `index` is within [min, max]; returns it.</summary>
        public int Param(Op op, int index, int min, int max, string name)
        {
            int v = op.Params[index];
            if (v < min || v > max)
                throw Fail(ErrorCodes.BadOpParams, OpLabel(op) + ": " + name + " is " + v + ", allowed " + min + ".." + max);
            return v;
        }

        /// <summary>
        /// Checks that param `index` is an offset, relative to the start of the constant data, of
        /// `byteLength` bytes inside it, aligned to `align`; returns the absolute blob offset.
        /// </summary>
        public int ConstRef(Op op, int index, long byteLength, int align, string name)
        {
            long off = (uint)op.Params[index];
            long abs = constStart + off;
            if (off + byteLength > constEnd - constStart || (abs % align) != 0)
                throw Fail(ErrorCodes.BadConstant, OpLabel(op) + ": " + name + " (" + byteLength + " bytes at +" + off
                    + ") is not inside the " + (constEnd - constStart) + "-byte constant data with alignment " + align);
            return (int)abs;
        }

        public int[] ConstInt32(Op op, int index, int count, string name)
        {
            int off = ConstRef(op, index, 4L * count, 4, name);
            int[] r = new int[count];
            for (int i = 0; i < count; i++) r[i] = LittleEndian.I32(Blob, off + 4 * i);
            return r;
        }

        public long[] ConstInt64(Op op, int index, int count, string name)
        {
            int off = ConstRef(op, index, 8L * count, 4, name);
            long[] r = new long[count];
            for (int i = 0; i < count; i++) r[i] = LittleEndian.I64(Blob, off + 8 * i);
            return r;
        }

        /// <summary>
        /// Reads the requantization params (mult_off, shift_off, q_count at param indices p, p+1, p+2) and
        /// expands them to one multiplier and shift per output channel. Shifts must lie in -31..maxLeftShift.
        /// </summary>
        public Kernels.Requant ReadRequant(Op op, int p, int channels, int maxLeftShift)
        {
            int q = op.Params[p + 2];
            if (q != 1 && q != channels)
                throw Fail(ErrorCodes.BadOpParams, OpLabel(op) + ": q_count is " + q + ", must be 1 or " + channels);
            // Read in place (no temporary copies: garbage left between the model's tables fragments the heap).
            int mOff = ConstRef(op, p, 4L * q, 4, "multipliers");
            int sOff = ConstRef(op, p + 1, 4L * q, 4, "shifts");
            Kernels.Requant r = new Kernels.Requant();
            r.Multiplier = new int[channels];
            r.Shift = new int[channels];
            for (int c = 0; c < channels; c++)
            {
                int k = q == 1 ? 0 : 4 * c;
                int mc = LittleEndian.I32(Blob, mOff + k);
                int sc = LittleEndian.I32(Blob, sOff + k);
                if (mc < 0) throw Fail(ErrorCodes.BadOpParams, OpLabel(op) + ": multiplier " + mc + " is negative");
                if (sc < -31 || sc > maxLeftShift) throw Fail(ErrorCodes.BadOpParams, OpLabel(op) + ": shift " + sc + " outside -31.." + maxLeftShift);
                r.Multiplier[c] = mc;
                r.Shift[c] = sc;
            }
            return r;
        }

        /// <summary>Fails unless [act_min, act_max] at params (p, p+1) is a non-empty range inside the output type.</summary>
        public void CheckActivationRange(Op op, int p)
        {
            Tensor o = Out(op);
            int lo = o.DType == DType.Int16 ? -32768 : -128;
            int hi = o.DType == DType.Int16 ? 32767 : 127;
            int a = op.Params[p], b = op.Params[p + 1];
            if (a < lo || b > hi || a > b)
                throw Fail(ErrorCodes.BadOpParams, OpLabel(op) + ": activation range " + a + ".." + b + " is not inside " + lo + ".." + hi);
        }
    }
}
