namespace Micro.Runtime.Format
{
    /// <summary>
    /// Every offset, size and limit of the blob format (docs/blob-format.md). The writer (host-tools) and
    /// the reader (Model.Load) both use these constants; nothing else spells a number of the format.
    /// </summary>
    public static class BlobLayout
    {
        // Magic "MCRO", read as a little-endian u32.
        public const uint Magic = 0x4F52434D;
        public const int FormatVersion = 3;
        public const int HeaderSize = 32;

        // Header field offsets. Magic, version, total length and CRC sit where version 1 had them, so an
        // old blob is recognised and refused by its version, never misread.
        public const int OffMagic = 0;
        public const int OffVersion = 4;
        public const int OffTensorCount = 6;
        public const int OffTotalLength = 8;
        public const int OffCrc = 12;
        public const int CrcStart = 16;
        public const int OffArenaSize = 16;
        public const int OffConstLength = 20;
        public const int OffOpCount = 24;
        public const int OffInputCount = 26;
        public const int OffOutputCount = 27;
        public const int OffExitCount = 28;
        public const int OffReserved = 29;
        public const int ReservedLength = 3;

        /// <summary>The constant data starts right after the header (4-byte aligned).</summary>
        public const int ConstStart = HeaderSize;

        // Limits.
        public const int MaxTensors = 4096;
        public const int MaxOps = 4096;
        public const int MaxIo = 16;
        public const int MaxExits = 16;
        public const int MaxRank = 4;
        public const int MaxDim = 65535;
        public const int MaxNameLength = 64;
        /// <summary>Metadata records after the name and version (version 3): at most this many.</summary>
        public const int MaxRecords = 16;

        // Metadata record tags (docs/blob-format.md, "Metadata"). Records 1..3 are for the host (provenance,
        // layout); the device reads only the ones it needs and skips the rest by their length.
        /// <summary>SHA-256 of the source model file the blob was packed from (32 bytes).</summary>
        public const int RecordSourceHash = 1;
        /// <summary>The pack settings as printable ASCII `key=value` pairs separated by `;`.</summary>
        public const int RecordPackSettings = 2;
        /// <summary>The source model's input layout, printable ASCII (e.g. "NCHW"); the blob's inputs are channels-last.</summary>
        public const int RecordInputLayout = 3;
        /// <summary>Self-test vectors: inputs and the expected output bytes the device checks at boot.</summary>
        public const int RecordSelfTest = 4;
        /// <summary>Params per op record (u8 param_count).</summary>
        public const int MaxParams = 255;

        // Tensor descriptor: fixed bytes, then rank varint dims, a varint arena offset and the f32 scale.
        public const int TOffDType = 0;
        public const int TOffRank = 1;
        public const int TOffZeroPoint = 2;
        public const int TOffDims = 3;
        public const int ScaleSize = 4;

        // Op record: fixed bytes, then (input_count + 1) varint tensor indices and param_count zigzag varint params.
        public const int OpHeaderSize = 4;
        public const int OOffOpcode = 0;
        public const int OOffExitGroup = 1;
        public const int OOffInputCount = 2;
        public const int OOffParamCount = 3;

        // FC / conv flags word.
        public const int FlagBiasFolded = 1;

        /// <summary>Longest varint of a 32-bit value.</summary>
        public const int MaxVarintBytes = 5;

        public static int Align4(int n)
        {
            return (n + 3) & ~3;
        }

        /// <summary>Zigzag mapping of a signed param to the unsigned varint value (0, −1, 1, −2 → 0, 1, 2, 3).</summary>
        public static uint ZigZag(int v)
        {
            return (uint)((v << 1) ^ (v >> 31));
        }

        public static int UnZigZag(uint u)
        {
            return (int)(u >> 1) ^ -(int)(u & 1);
        }

        /// <summary>
        /// Reads the unsigned LEB128 varint at b[p] (at most 5 bytes, value ≤ 0xFFFFFFFF, shortest form only)
        /// and advances p. Returns -1 when it runs past `end`, -2 when it is not a valid shortest 32-bit varint.
        /// </summary>
        public static long ReadVarint(byte[] b, ref int p, int end)
        {
            long v = 0;
            int shift = 0;
            int q = p;
            for (int i = 0; i < MaxVarintBytes; i++)
            {
                if (q >= end) return -1;
                int c = b[q++];
                if (i == MaxVarintBytes - 1 && c > 0x0F) return -2;
                v |= (long)(c & 0x7F) << shift;
                if ((c & 0x80) == 0)
                {
                    if (c == 0 && i > 0) return -2; // a longer form of a shorter varint
                    p = q;
                    return v;
                }
                shift += 7;
            }
            return -2;
        }
    }

    /// <summary>Element types of activation tensors.</summary>
    public static class DType
    {
        public const int Int8 = 1;
        public const int Int16 = 2;

        public static int Size(int dtype)
        {
            return dtype == Int16 ? 2 : 1;
        }

        public static string Name(int dtype)
        {
            if (dtype == Int8) return "int8";
            if (dtype == Int16) return "int16";
            return "dtype " + dtype;
        }
    }
}
