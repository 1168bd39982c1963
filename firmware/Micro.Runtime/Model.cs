namespace Micro.Runtime
{
    /// <summary>
    /// A validated blob: read-only data once Load returns. Load checks every byte once (docs/blob-format.md,
    /// "Validation": ModelReader parses, GraphCheck proves dataflow, exits and arena plan, each kernel's
    /// Prepare checks its op through a PrepareContext) and throws BlobFormatException on the first problem;
    /// after it returns, no kernel can index out of bounds. The blob bytes are kept and weights are read in place.
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
        /// <summary>Metadata records as (tag, blob offset, length) triples, in tag order (docs/blob-format.md, "Metadata").</summary>
        public int[] Records;
        /// <summary>MACs of the whole graph when no exit is taken (main ops only).</summary>
        public long MainMacs;
        /// <summary>The largest MACs of one op (main or exit head): the most one Interpreter.Step can run.</summary>
        public long MaxOpMacs;

        /// <summary>Blob offset of the metadata record with this tag, or -1 when the blob has none.</summary>
        public int RecordOffset(int tag)
        {
            for (int i = 0; i < Records.Length; i += 3)
                if (Records[i] == tag) return Records[i + 1];
            return -1;
        }

        /// <summary>Length in bytes of the metadata record with this tag, or -1 when the blob has none.</summary>
        public int RecordLength(int tag)
        {
            for (int i = 0; i < Records.Length; i += 3)
                if (Records[i] == tag) return Records[i + 2];
            return -1;
        }

        internal Model()
        {
        }

        public static Model Load(byte[] blob)
        {
            if (blob == null) throw Fail(Format.ErrorCodes.TooShort, "blob is null");
            return ModelReader.Read(blob);
        }

        internal static BlobFormatException Fail(int code, string message)
        {
            return new BlobFormatException(code, message);
        }
    }
}
