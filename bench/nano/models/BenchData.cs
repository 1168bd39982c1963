namespace Micro.Bench.Nano
{
    /// <summary>The models' blobs, inputs and host outputs, sliced out of the generated chunk assemblies (BenchLayout).</summary>
    public static class BenchData
    {
        public static string[] Names;
        public static byte[][] Blobs;
        public static sbyte[][] Inputs;
        public static byte[][] Expected;

        /// <summary>Called from Main: nanoCLR runs static constructors at load in no promised order, so no cctor here.</summary>
        public static void Load()
        {
            Names = BenchLayout.Names;
            Blobs = new byte[Names.Length][];
            Inputs = new sbyte[Names.Length][];
            Expected = new byte[Names.Length][];
            byte[][] chunks = BenchLayout.Chunks();
            int[] s = BenchLayout.Spans;
            for (int k = 0; k < Names.Length; k++)
            {
                Blobs[k] = Slice(chunks, s[6 * k], s[6 * k + 1]);
                byte[] input = Slice(chunks, s[6 * k + 2], s[6 * k + 3]);
                sbyte[] x = new sbyte[input.Length];
                for (int i = 0; i < x.Length; i++) x[i] = (sbyte)input[i];
                Inputs[k] = x;
                Expected[k] = Slice(chunks, s[6 * k + 4], s[6 * k + 5]);
            }
        }

        private static byte[] Slice(byte[][] chunks, int offset, int length)
        {
            byte[] r = new byte[length];
            int size = BenchLayout.ChunkSize;
            for (int i = 0; i < length; i++)
            {
                int p = offset + i;
                r[i] = chunks[p / size][p % size];
            }
            return r;
        }
    }
}
