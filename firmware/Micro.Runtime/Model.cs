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
        /// <summary>MACs of the whole graph when no exit is taken (main ops only).</summary>
        public long MainMacs;
        /// <summary>The largest MACs of one op (main or exit head): the most one Interpreter.Step can run.</summary>
        public long MaxOpMacs;

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
