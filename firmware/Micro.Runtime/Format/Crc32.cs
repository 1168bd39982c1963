namespace Micro.Runtime.Format
{
    /// <summary>
    /// CRC-32 (IEEE 802.3; reflected polynomial 0xEDB88320, init and final xor 0xFFFFFFFF), the zlib/PNG CRC.
    /// Table-driven: one array load per byte. The 1 KB table is built per call and not kept: the blob is
    /// checked once, at load, and a cached table would hold 1 KB of a 64 KB device heap for the whole run.
    /// </summary>
    public static class Crc32
    {
        public static uint Compute(byte[] data, int offset, int count)
        {
            uint[] t = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                t[n] = c;
            }
            uint crc = 0xFFFFFFFFu;
            int end = offset + count;
            for (int i = offset; i < end; i++) crc = t[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
            return crc ^ 0xFFFFFFFFu;
        }
    }
}
