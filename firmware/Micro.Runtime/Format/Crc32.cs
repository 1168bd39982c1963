namespace Micro.Runtime.Format
{
    /// <summary>
    /// CRC-32 (IEEE 802.3; reflected polynomial 0xEDB88320, init and final xor 0xFFFFFFFF), the zlib/PNG CRC.
    /// Table-driven: 1 KB of table, one array load per byte.
    /// </summary>
    public static class Crc32
    {
        private static uint[] table;

        public static uint Compute(byte[] data, int offset, int count)
        {
            uint[] t = table;
            if (t == null)
            {
                t = new uint[256];
                for (uint n = 0; n < 256; n++)
                {
                    uint c = n;
                    for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                    t[n] = c;
                }
                table = t;
            }
            uint crc = 0xFFFFFFFFu;
            int end = offset + count;
            for (int i = offset; i < end; i++) crc = t[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
            return crc ^ 0xFFFFFFFFu;
        }
    }
}
