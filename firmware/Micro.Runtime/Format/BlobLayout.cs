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
        public const int FormatVersion = 1;
        public const int HeaderSize = 64;

        // Header field offsets.
        public const int OffMagic = 0;
        public const int OffVersion = 4;
        public const int OffHeaderSize = 6;
        public const int OffTotalLength = 8;
        public const int OffCrc = 12;
        public const int CrcStart = 16;
        public const int OffFlags = 16;
        public const int OffArenaSize = 20;
        public const int OffTensorCount = 24;
        public const int OffOpCount = 26;
        public const int OffInputCount = 28;
        public const int OffOutputCount = 30;
        public const int OffExitCount = 32;
        public const int OffReserved = 34;
        public const int OffTensorTable = 36;
        public const int OffIoTable = 40;
        public const int OffOpTable = 44;
        public const int OffOpTableLength = 48;
        public const int OffExitTable = 52;
        public const int OffConst = 56;
        public const int OffConstLength = 60;

        // Limits.
        public const int MaxTensors = 4096;
        public const int MaxOps = 4096;
        public const int MaxIo = 16;
        public const int MaxExits = 16;
        public const int MaxRank = 4;
        public const int MaxNameLength = 64;

        // Tensor descriptor.
        public const int TensorSize = 24;
        public const int TOffDType = 0;
        public const int TOffRank = 1;
        public const int TOffZeroPoint = 2;
        public const int TOffDims = 4;
        public const int TOffArenaOffset = 12;
        public const int TOffScale = 16;
        public const int TOffReserved = 20;

        // Op record header.
        public const int OpHeaderSize = 8;
        public const int OOffOpcode = 0;
        public const int OOffExitGroup = 1;
        public const int OOffInputCount = 2;
        public const int OOffOutputCount = 3;
        public const int OOffParamCount = 4;
        public const int OOffRecordLength = 6;

        // Exit record.
        public const int ExitSize = 12;
        public const int EOffGroup = 0;
        public const int EOffOutputTensor = 2;
        public const int EOffThreshold = 4;
        public const int EOffReserved = 8;

        // FC / conv flags word.
        public const int FlagBiasFolded = 1;

        /// <summary>Record length of an op with the given tensor and param counts.</summary>
        public static int OpRecordLength(int inputs, int outputs, int paramCount)
        {
            return OpHeaderSize + Align4(2 * (inputs + outputs)) + 4 * paramCount;
        }

        public static int Align4(int n)
        {
            return (n + 3) & ~3;
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
