using Micro.Runtime.Format;
using Micro.Runtime.Kernels;

namespace Micro.Runtime
{
    /// <summary>
    /// Parses a blob into a Model, front to back: header, tensors, inputs and outputs, op records (each
    /// kernel's Prepare checks its op and builds its prepared data), exits, metadata. GraphCheck then
    /// proves the graph. Every problem is a BlobFormatException with a named code.
    /// </summary>
    internal sealed class ModelReader
    {
        private readonly Model model;
        private readonly byte[] Blob;
        private int ArenaSize;
        private Tensor[] Tensors;
        private Op[] Ops;
        private ExitPoint[] Exits;
        private int constStart;
        private int constEnd;

        private ModelReader(byte[] blob)
        {
            Blob = blob;
            model = new Model();
            model.Blob = blob;
        }

        public static Model Read(byte[] blob)
        {
            ModelReader r = new ModelReader(blob);
            r.ReadHeader();
            return r.model;
        }

        private static BlobFormatException Fail(int code, string message)
        {
            return Model.Fail(code, message);
        }

        private void ReadHeader()
        {
            byte[] b = Blob;
            if (b.Length < BlobLayout.HeaderSize)
                throw Fail(ErrorCodes.TooShort, "blob has " + b.Length + " bytes, the header alone needs " + BlobLayout.HeaderSize);
            if ((uint)LittleEndian.I32(b, BlobLayout.OffMagic) != BlobLayout.Magic)
                throw Fail(ErrorCodes.BadMagic, "not a Micro blob (magic is not \"MCRO\")");
            int version = LittleEndian.U16(b, BlobLayout.OffVersion);
            if (version >= 1 && version < BlobLayout.FormatVersion)
                throw Fail(ErrorCodes.UnsupportedVersion, "format version " + version + " is no longer read; this runtime reads version "
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
            model.ArenaSize = ArenaSize;
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
            GraphCheck.Run(model);
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
            model.Tensors = Tensors;
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
            int[] Inputs = new int[inputCount];
            int[] Outputs = new int[outputCount];
            model.Inputs = Inputs;
            model.Outputs = Outputs;
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
            model.Ops = Ops;
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
            PrepareContext context = new PrepareContext(model, constStart, constEnd);
            for (int i = 0; i < count; i++)
            {
                KernelTable.Prepare(context, Ops[i]);
                if (Ops[i].Units <= 0) OpSlices.Whole(model, Ops[i]);
            }
        }

        private void ReadExits(int count)
        {
            Exits = new ExitPoint[count];
            model.Exits = Exits;
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

        private void ReadMetadata()
        {
            model.Name = ReadString("name");
            model.Version = ReadString("version");
            ReadRecords();
        }

        // Zero or more records `u8 tag (1..255), varint length, bytes`, each tag at most once, in increasing
        // tag order, the last one ending the blob. Kept as (tag, offset, length) triples; nothing is copied.
        private void ReadRecords()
        {
            byte[] b = Blob;
            int start = pos;
            // Two passes, the first to count: no scratch table left behind as garbage between the model's tables.
            int n = 0;
            int lastTag = 0;
            while (pos < b.Length)
            {
                int tag = b[pos];
                if (tag <= lastTag)
                    throw Fail(ErrorCodes.BadMetadata, "metadata record tag " + tag + " after tag " + lastTag + " (tags are 1..255, increasing, each once)");
                if (n == BlobLayout.MaxRecords)
                    throw Fail(ErrorCodes.BadMetadata, "more than " + BlobLayout.MaxRecords + " metadata records");
                pos++;
                long len = BlobLayout.ReadVarint(b, ref pos, b.Length);
                if (len < 0 || len > b.Length - pos)
                    throw Fail(ErrorCodes.BadMetadata, "metadata record " + tag + ": length " + (len < 0 ? "is not a valid varint" : len + " runs past the blob (" + (b.Length - pos) + " bytes left)"));
                n++;
                pos += (int)len;
                lastTag = tag;
            }
            int[] records = new int[3 * n];
            pos = start;
            for (int i = 0; i < n; i++)
            {
                records[3 * i] = b[pos++];
                long len = BlobLayout.ReadVarint(b, ref pos, b.Length);
                records[3 * i + 1] = pos;
                records[3 * i + 2] = (int)len;
                pos += (int)len;
            }
            model.Records = records;
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
