namespace Micro.Runtime.Format
{
    /// <summary>
    /// Little-endian reads from a byte array. Written by hand because nanoFramework 1.x has no
    /// BinaryPrimitives over arrays; callers bounds-check first (Model.Load does, once).
    /// </summary>
    public static class LittleEndian
    {
        public static int U8(byte[] b, int p)
        {
            return b[p];
        }

        public static int U16(byte[] b, int p)
        {
            return b[p] | (b[p + 1] << 8);
        }

        public static int I16(byte[] b, int p)
        {
            return (short)(b[p] | (b[p + 1] << 8));
        }

        public static int I32(byte[] b, int p)
        {
            return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
        }

        /// <summary>A u32 field as a long, so values above int.MaxValue stay positive for range checks.</summary>
        public static long U32(byte[] b, int p)
        {
            return (uint)I32(b, p);
        }

        public static long I64(byte[] b, int p)
        {
            return (uint)I32(b, p) | ((long)I32(b, p + 4) << 32);
        }
    }
}
