using Micro.Runtime.Format;
using Micro.Runtime.Kernels;

namespace Micro.Runtime
{
    /// <summary>
    /// A validated blob. Load checks every byte once (docs/blob-format.md, "Validation") and throws
    /// BlobFormatException on the first problem; after it returns, no kernel can index out of bounds.
    /// The blob bytes are kept and weights are read in place.
    /// </summary>
    public sealed class Model
    {
        public byte[] Blob;
        public int ArenaSize;
        public Tensor[] Tensors;
        public Op[] Ops;
        public int[] Inputs;
        public int[] Outputs;
        public ExitPoint[] Exits;
        public string Name;
        public string Version;
        /// <summary>MACs of the whole graph when no exit is taken (main ops only).</summary>
        public long MainMacs;

        private int constStart;
        private int constEnd;

        private Model()
        {
        }

        public static Model Load(byte[] blob)
        {
            if (blob == null) throw Fail(ErrorCodes.TooShort, "blob is null");
            Model m = new Model();
            m.Blob = blob;
            m.ReadHeader();
            return m;
        }

        internal static BlobFormatException Fail(int code, string message)
        {
            return new BlobFormatException(code, message);
        }

        private void ReadHeader()
        {
            byte[] b = Blob;
            if (b.Length < BlobLayout.HeaderSize)
                throw Fail(ErrorCodes.TooShort, "blob has " + b.Length + " bytes, the header alone needs " + BlobLayout.HeaderSize);
            if ((uint)LittleEndian.I32(b, BlobLayout.OffMagic) != BlobLayout.Magic)
                throw Fail(ErrorCodes.BadMagic, "not a Micro blob (magic is not \"MCRO\")");
            int version = LittleEndian.U16(b, BlobLayout.OffVersion);
            if (version == 1)
                throw Fail(ErrorCodes.UnsupportedVersion, "format version 1 is no longer read; this runtime reads version "
                    + BlobLayout.FormatVersion + ": re-pack the model with `micro pack`");
            if (version != BlobLayout.FormatVersion)
                throw Fail(ErrorCodes.UnsupportedVersion, "format version " + version + "; this runtime reads version " + BlobLayout.FormatVersion);
            long total = LittleEndian.U32(b, BlobLayout.OffTotalLength);
            if (total != b.Length)
                throw Fail(ErrorCodes.LengthMismatch, "header says " + total + " bytes, blob has " + b.Length);
            uint crc = (uint)LittleEndian.I32(b, BlobLayout.OffCrc);
            uint actual = Crc32.Compute(b, BlobLayout.CrcStart, b.Length - BlobLayout.CrcStart);
            if (crc != actual)
                throw Fail(ErrorCodes.CrcMismatch, "CRC-32 is " + Hex(actual) + ", header says " + Hex(crc) + " (corrupt or truncated blob)");
            for (int i = 0; i < BlobLayout.ReservedLength; i++)
                if (b[BlobLayout.OffReserved + i] != 0)
                    throw Fail(ErrorCodes.UnknownFlags, "reserved header byte " + (BlobLayout.OffReserved + i) + " is " + b[BlobLayout.OffReserved + i] + ", must be 0 in format version 2");

            long arena = LittleEndian.U32(b, BlobLayout.OffArenaSize);
            if (arena > 0x10000000) throw Fail(ErrorCodes.BadCount, "arena size " + arena + " is not plausible");
            ArenaSize = (int)arena;
            int tensorCount = Count(LittleEndian.U16(b, BlobLayout.OffTensorCount), 1, BlobLayout.MaxTensors, "tensor_count");
            int opCount = Count(LittleEndian.U16(b, BlobLayout.OffOpCount), 1, BlobLayout.MaxOps, "op_count");
            int inputCount = Count(b[BlobLayout.OffInputCount], 1, BlobLayout.MaxIo, "input_count");
            int outputCount = Count(b[BlobLayout.OffOutputCount], 1, BlobLayout.MaxIo, "output_count");
            int exitCount = Count(b[BlobLayout.OffExitCount], 0, BlobLayout.MaxExits, "exit_count");

            // Two sections: the constant data right after the header, then the descriptors up to the end.
            long constLen = LittleEndian.U32(b, BlobLayout.OffConstLength);
            if (BlobLayout.ConstStart + constLen > b.Length)
                throw Fail(ErrorCodes.BadSection, "constant data of " + constLen + " bytes at " + BlobLayout.ConstStart + " runs past the " + b.Length + "-byte blob");
            constStart = BlobLayout.ConstStart;
            constEnd = constStart + (int)constLen;

            pos = constEnd;
            ReadTensors(tensorCount);
            ReadIo(inputCount, outputCount);
            ReadOps(opCount);
            ReadExits(exitCount);
            CheckExits();
            CheckDataflow();
            CheckArena();
            ReadMetadata();
        }

        private static int Count(int v, int min, int max, string field)
        {
            if (v < min || v > max) throw Fail(ErrorCodes.BadCount, field + " is " + v + ", allowed " + min + ".." + max);
            return v;
        }

        // ---- The descriptor section: read front to back with one cursor ----

        // Cursor into the descriptor section; every read below advances it.
        private int pos;

        /// <summary>
        /// Next varint of the descriptor section as an unsigned value ≤ max; -1 if it runs past the end of
        /// the blob, is malformed, or exceeds max (VarintProblem then says which, the caller names the field).
        /// </summary>
        private long Varint(long max)
        {
            lastVarint = BlobLayout.ReadVarint(Blob, ref pos, Blob.Length);
            if (lastVarint < 0 || lastVarint > max) return -1;
            return lastVarint;
        }

        // The raw result of the last Varint call, for its error message.
        private long lastVarint;

        /// <summary>Next varint as a zigzag-coded signed 32-bit param; sets paramOk false when invalid.</summary>
        private int SignedVarint()
        {
            lastVarint = BlobLayout.ReadVarint(Blob, ref pos, Blob.Length);
            if (lastVarint < 0) { paramOk = false; return 0; }
            return BlobLayout.UnZigZag((uint)lastVarint);
        }

        private bool paramOk;

        /// <summary>Fixed bytes at the cursor: fails with `code` unless `n` more bytes exist.</summary>
        private void Need(int n, int code, string what, int index)
        {
            if (pos + n > Blob.Length)
                throw Fail(code, what + " " + index + " runs past the end of the " + Blob.Length + "-byte blob");
        }

        private string VarintProblem(long max)
        {
            if (lastVarint == -1) return "runs past the end of the " + Blob.Length + "-byte blob";
            if (lastVarint < 0) return "is not the shortest varint of a 32-bit value";
            return "is " + lastVarint + ", allowed 0.." + max;
        }

        private void ReadTensors(int count)
        {
            byte[] b = Blob;
            byte[] scale = new byte[BlobLayout.ScaleSize];
            Tensors = new Tensor[count];
            for (int i = 0; i < count; i++)
            {
                Need(BlobLayout.TOffDims, ErrorCodes.BadTensor, "tensor", i);
                int p = pos;
                Tensor t = new Tensor();
                t.Index = i;
                t.DType = b[p + BlobLayout.TOffDType];
                if (t.DType != DType.Int8 && t.DType != DType.Int16)
                    throw Fail(ErrorCodes.BadTensor, "tensor " + i + ": unknown dtype " + t.DType);
                t.Rank = b[p + BlobLayout.TOffRank];
                if (t.Rank < 1 || t.Rank > BlobLayout.MaxRank)
                    throw Fail(ErrorCodes.BadTensor, "tensor " + i + ": rank " + t.Rank + " is not 1..4");
                t.ZeroPoint = (sbyte)b[p + BlobLayout.TOffZeroPoint];
                if (t.DType == DType.Int16 && t.ZeroPoint != 0)
                    throw Fail(ErrorCodes.BadTensor, "tensor " + i + ": int16 zero point must be 0, is " + t.ZeroPoint);
                pos = p + BlobLayout.TOffDims;
                t.Dims = new int[t.Rank];
                long elements = 1;
                for (int d = 0; d < t.Rank; d++)
                {
                    long v = Varint(BlobLayout.MaxDim);
                    if (v < 0) throw Fail(ErrorCodes.BadTensor, "tensor " + i + ": dimension " + d + " " + VarintProblem(BlobLayout.MaxDim));
                    if (v == 0) throw Fail(ErrorCodes.BadTensor, "tensor " + i + ": dimension " + d + " is 0");
                    t.Dims[d] = (int)v;
                    elements *= v;
                    if (elements > 0x1000000) throw Fail(ErrorCodes.BadTensor, "tensor " + i + ": more than 16M elements");
                }
                t.ElementCount = (int)elements;
                t.ByteSize = t.ElementCount * DType.Size(t.DType);
                long off = Varint(0xFFFFFFFFL);
                if (off < 0) throw Fail(ErrorCodes.BadTensor, "tensor " + i + ": arena offset " + VarintProblem(0xFFFFFFFFL));
                if (off + t.ByteSize > ArenaSize)
                    throw Fail(ErrorCodes.BadTensor, "tensor " + i + ": bytes " + off + ".." + (off + t.ByteSize) + " lie outside the " + ArenaSize + "-byte arena");
                t.ArenaOffset = (int)off;
                if (t.DType == DType.Int16 && (t.ArenaOffset & 1) != 0)
                    throw Fail(ErrorCodes.BadTensor, "tensor " + i + ": int16 tensor at odd arena offset " + off);
                Need(BlobLayout.ScaleSize, ErrorCodes.BadTensor, "the scale of tensor", i);
                // Copied to an aligned array: BitConverter must not see an unaligned float on the device.
                for (int k = 0; k < BlobLayout.ScaleSize; k++) scale[k] = b[pos + k];
                t.ScaleBits = LittleEndian.I32(scale, 0);
                t.Scale = ScaleOf(scale);
                if (!(t.Scale > 0f) || t.Scale > 3.0e38f)
                    throw Fail(ErrorCodes.BadTensor, "tensor " + i + ": scale must be finite and > 0");
                pos += BlobLayout.ScaleSize;

                // 4-d view for the kernels.
                int[] dm = t.Dims;
                if (t.Rank == 4) { t.Batch = dm[0]; t.Height = dm[1]; t.Width = dm[2]; t.Channels = dm[3]; }
                else if (t.Rank == 3) { t.Batch = dm[0]; t.Height = 1; t.Width = dm[1]; t.Channels = dm[2]; }
                else if (t.Rank == 2) { t.Batch = dm[0]; t.Height = 1; t.Width = 1; t.Channels = dm[1]; }
                else { t.Batch = 1; t.Height = 1; t.Width = 1; t.Channels = dm[0]; }
                Tensors[i] = t;
            }
        }

        // The float scale is only for dequantizing outputs and for tools; kernels never see it.
        private static float ScaleOf(byte[] four)
        {
            int bits = LittleEndian.I32(four, 0);
            int exponent = (bits >> 23) & 0xFF;
            if (exponent == 0xFF) return -1f; // NaN or infinity
            return System.BitConverter.ToSingle(four, 0);
        }

        private void ReadIo(int inputCount, int outputCount)
        {
            Inputs = new int[inputCount];
            Outputs = new int[outputCount];
            for (int i = 0; i < inputCount + outputCount; i++)
            {
                long v = Varint(0xFFFF);
                if (v < 0) throw Fail(ErrorCodes.BadIo, "io entry " + i + " " + VarintProblem(0xFFFF));
                int idx = (int)v;
                if (idx >= Tensors.Length) throw Fail(ErrorCodes.BadIo, "io entry " + i + " names tensor " + idx + " of " + Tensors.Length);
                if (i < inputCount)
                {
                    if (Tensors[idx].IsModelInput) throw Fail(ErrorCodes.BadIo, "tensor " + idx + " is listed as an input twice");
                    Inputs[i] = idx;
                    Tensors[idx].IsModelInput = true;
                }
                else
                {
                    Outputs[i - inputCount] = idx;
                    Tensors[idx].IsModelOutput = true;
                }
            }
        }

        private void ReadOps(int count)
        {
            byte[] b = Blob;
            Ops = new Op[count];
            for (int i = 0; i < count; i++)
            {
                Need(BlobLayout.OpHeaderSize, ErrorCodes.BadOpRecord, "op", i);
                int p = pos;
                Op op = new Op();
                op.Index = i;
                op.Code = b[p + BlobLayout.OOffOpcode];
                if (op.Code < 1 || op.Code > OpCodes.Last)
                    throw Fail(ErrorCodes.UnknownOpcode, "op " + i + ": opcode " + op.Code + " is not known to this runtime (known 1.." + OpCodes.Last + ")");
                op.ExitGroup = b[p + BlobLayout.OOffExitGroup];
                int nIn = b[p + BlobLayout.OOffInputCount];
                int nParams = b[p + BlobLayout.OOffParamCount];
                if (nIn < 1) throw Fail(ErrorCodes.BadOpRecord, "op " + i + " (" + OpCodes.Name(op.Code) + "): no inputs");
                pos = p + BlobLayout.OpHeaderSize;
                op.Inputs = new int[nIn];
                op.Outputs = new int[1];
                for (int k = 0; k <= nIn; k++)
                {
                    long v = Varint(0xFFFF);
                    if (v < 0) throw Fail(ErrorCodes.BadOpRecord, "op " + i + ": tensor entry " + k + " " + VarintProblem(0xFFFF));
                    int idx = (int)v;
                    if (idx >= Tensors.Length) throw Fail(ErrorCodes.BadOpRecord, "op " + i + ": tensor index " + idx + " of " + Tensors.Length);
                    if (k < nIn) op.Inputs[k] = idx; else op.Outputs[0] = idx;
                }
                op.Params = new int[nParams];
                paramOk = true;
                for (int k = 0; k < nParams; k++)
                {
                    op.Params[k] = SignedVarint();
                    if (!paramOk)
                        throw Fail(ErrorCodes.BadOpRecord, "op " + i + " (" + OpCodes.Name(op.Code) + "): param " + k + " " + VarintProblem(0xFFFFFFFFL));
                }
                Ops[i] = op;
            }
            // Kernel-specific checks (param counts, shapes, constants) need the dataflow-independent facts
            // only, so they run here, op by op.
            for (int i = 0; i < count; i++) KernelTable.Prepare(this, Ops[i]);
        }

        private void ReadExits(int count)
        {
            Exits = new ExitPoint[count];
            for (int e = 0; e < count; e++)
            {
                ExitPoint x = new ExitPoint();
                x.Group = e + 1;
                long v = Varint(0xFFFF);
                if (v < 0) throw Fail(ErrorCodes.BadExit, "exit " + x.Group + ": output tensor " + VarintProblem(0xFFFF));
                x.OutputTensor = (int)v;
                paramOk = true;
                x.Threshold = SignedVarint();
                if (!paramOk) throw Fail(ErrorCodes.BadExit, "exit " + x.Group + ": threshold " + VarintProblem(0xFFFFFFFFL));
                if (x.OutputTensor >= Tensors.Length) throw Fail(ErrorCodes.BadExit, "exit " + x.Group + ": output tensor " + x.OutputTensor + " does not exist");
                x.LastOp = -1;
                Exits[e] = x;
            }
        }

        private void CheckExits()
        {
            int count = Exits.Length;
            int lastGroupSeen = 0;
            for (int i = 0; i < Ops.Length; i++)
            {
                Op op = Ops[i];
                if (op.ExitGroup == 0) { MainMacs += op.Macs; continue; }
                if (op.ExitGroup > count) throw Fail(ErrorCodes.BadExit, "op " + i + " belongs to exit group " + op.ExitGroup + " but there are " + count + " exits");
                if (op.ExitGroup < lastGroupSeen) throw Fail(ErrorCodes.BadExit, "op " + i + ": exit groups must appear in order");
                lastGroupSeen = op.ExitGroup;
                ExitPoint x = Exits[op.ExitGroup - 1];
                if (x.LastOp >= 0 && x.LastOp != i - 1) throw Fail(ErrorCodes.BadExit, "exit " + op.ExitGroup + ": its ops are not contiguous");
                x.LastOp = i;
                x.HeadMacs += op.Macs;
            }
            Tensor out0 = Tensors[Outputs[0]];
            for (int e = 0; e < count; e++)
            {
                ExitPoint x = Exits[e];
                if (x.LastOp < 0) throw Fail(ErrorCodes.BadExit, "exit " + x.Group + " has no ops");
                if (Ops[x.LastOp].Outputs[0] != x.OutputTensor) throw Fail(ErrorCodes.BadExit, "exit " + x.Group + ": output tensor is not written by the head's last op");
                Tensor t = Tensors[x.OutputTensor];
                if (t.DType != DType.Int8 || t.Channels != out0.Channels || t.ElementCount != t.Channels || t.Channels < 2)
                    throw Fail(ErrorCodes.BadExit, "exit " + x.Group + ": output must be int8 [1, " + out0.Channels + "] class scores");
            }
        }

        private void CheckDataflow()
        {
            for (int i = 0; i < Ops.Length; i++)
            {
                Op op = Ops[i];
                for (int k = 0; k < op.Inputs.Length; k++)
                {
                    Tensor t = Tensors[op.Inputs[k]];
                    if (!t.IsModelInput && (t.Producer < 0 || t.Producer >= i))
                        throw Fail(ErrorCodes.ReadBeforeWrite, "op " + i + " (" + OpCodes.Name(op.Code) + ") reads tensor " + t.Index + " before anything writes it");
                    if (t.IsModelInput || Ops[t.Producer].ExitGroup == 0)
                    {
                        // main tensors may be read by anyone
                    }
                    else if (Ops[t.Producer].ExitGroup != op.ExitGroup)
                        throw Fail(ErrorCodes.ReadBeforeWrite, "op " + i + " reads tensor " + t.Index + " of exit head " + Ops[t.Producer].ExitGroup);
                    t.LastReader = i;
                }
                Tensor o = Tensors[op.Outputs[0]];
                if (o.IsModelInput) throw Fail(ErrorCodes.BadIo, "op " + i + " writes model input tensor " + o.Index);
                if (o.Producer >= 0) throw Fail(ErrorCodes.BadOpRecord, "tensor " + o.Index + " is written by op " + o.Producer + " and op " + i);
                o.Producer = i;
            }
            for (int k = 0; k < Outputs.Length; k++)
            {
                Tensor t = Tensors[Outputs[k]];
                if (t.Producer < 0 && !t.IsModelInput) throw Fail(ErrorCodes.ReadBeforeWrite, "model output tensor " + t.Index + " is never written");
                if (t.Producer >= 0 && Ops[t.Producer].ExitGroup != 0) throw Fail(ErrorCodes.BadIo, "model output tensor " + t.Index + " is written by an exit head");
            }
        }

        /// <summary>
        /// Proves the host's memory plan safe: when op i writes its output, no tensor that is still needed
        /// (read by op i or later, or a model output) may share arena bytes with it, except an equal-offset
        /// alias of an element-wise op's own input.
        /// </summary>
        private void CheckArena()
        {
            int n = Ops.Length;
            for (int i = 0; i < n; i++)
            {
                Op op = Ops[i];
                Tensor o = Tensors[op.Outputs[0]];
                for (int k = 0; k < Tensors.Length; k++)
                {
                    Tensor t = Tensors[k];
                    if (t == o) continue;
                    bool written = t.IsModelInput || (t.Producer >= 0 && t.Producer < i);
                    if (!written) continue;
                    bool needed = t.LastReader >= i || (t.IsModelOutput && (t.Producer < 0 || Ops[t.Producer].ExitGroup == 0));
                    if (!needed) continue;
                    if (t.ArenaOffset >= o.ArenaOffset + o.ByteSize || o.ArenaOffset >= t.ArenaOffset + t.ByteSize) continue;
                    bool ownInput = false;
                    for (int q = 0; q < op.Inputs.Length; q++) if (op.Inputs[q] == k) ownInput = true;
                    if (ownInput && t.LastReader == i && !t.IsModelOutput && t.ArenaOffset == o.ArenaOffset
                        && t.ByteSize == o.ByteSize && AliasSafe(op)) continue;
                    throw Fail(ErrorCodes.ArenaOverlap, "op " + i + " (" + OpCodes.Name(op.Code) + ") writes tensor " + o.Index
                        + " over arena bytes of tensor " + k + " that is still needed");
                }
            }
        }

        private bool AliasSafe(Op op)
        {
            int c = op.Code;
            if (c == OpCodes.Reshape || c == OpCodes.Relu || c == OpCodes.Logistic || c == OpCodes.Tanh || c == OpCodes.LeakyRelu) return true;
            if (c == OpCodes.Quantize) return Tensors[op.Inputs[0]].DType == Tensors[op.Outputs[0]].DType;
            return false;
        }

        private void ReadMetadata()
        {
            Name = ReadString("name");
            Version = ReadString("version");
            if (pos != Blob.Length)
                throw Fail(ErrorCodes.BadMetadata, (Blob.Length - pos) + " bytes follow the metadata; it must end the blob");
        }

        private string ReadString(string what)
        {
            byte[] b = Blob;
            if (pos + 1 > b.Length) throw Fail(ErrorCodes.BadMetadata, "model " + what + " is missing");
            int len = b[pos];
            pos++;
            if (len > BlobLayout.MaxNameLength || pos + len > b.Length) throw Fail(ErrorCodes.BadMetadata, "model " + what + " length " + len + " is invalid");
            char[] chars = new char[len];
            for (int i = 0; i < len; i++)
            {
                int c = b[pos + i];
                if (c < 0x20 || c > 0x7E) throw Fail(ErrorCodes.BadMetadata, "model " + what + " is not printable ASCII");
                chars[i] = (char)c;
            }
            pos += len;
            return new string(chars);
        }

        // ---- Helpers for the kernels' Prepare (validation of op params and constants) ----

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
            return Tensors[op.Inputs[k]];
        }

        public Tensor Out(Op op)
        {
            return Tensors[op.Outputs[0]];
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
        public void ReadRequant(Op op, int p, int channels, int maxLeftShift)
        {
            int q = op.Params[p + 2];
            if (q != 1 && q != channels)
                throw Fail(ErrorCodes.BadOpParams, OpLabel(op) + ": q_count is " + q + ", must be 1 or " + channels);
            int[] m = ConstInt32(op, p, q, "multipliers");
            int[] s = ConstInt32(op, p + 1, q, "shifts");
            op.Multiplier = new int[channels];
            op.Shift = new int[channels];
            for (int c = 0; c < channels; c++)
            {
                int mc = m[q == 1 ? 0 : c];
                int sc = s[q == 1 ? 0 : c];
                if (mc < 0) throw Fail(ErrorCodes.BadOpParams, OpLabel(op) + ": multiplier " + mc + " is negative");
                if (sc < -31 || sc > maxLeftShift) throw Fail(ErrorCodes.BadOpParams, OpLabel(op) + ": shift " + sc + " outside -31.." + maxLeftShift);
                op.Multiplier[c] = mc;
                op.Shift[c] = sc;
            }
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

        private static string Hex(uint v)
        {
            const string digits = "0123456789abcdef";
            char[] c = new char[10];
            c[0] = '0';
            c[1] = 'x';
            for (int i = 0; i < 8; i++) c[2 + i] = digits[(int)((v >> (28 - 4 * i)) & 0xF)];
            return new string(c);
        }
    }
}
