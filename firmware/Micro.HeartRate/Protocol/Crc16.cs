namespace Micro.HeartRate.Protocol
{
    /// <summary>CRC-16/CCITT-FALSE: polynomial 0x1021, init 0xFFFF, no reflection, no final xor
    /// ("123456789" → 0x29B1). Bitwise; a line is under 80 bytes.</summary>
    public static class Crc16
    {
        public static int Compute(byte[] data, int offset, int count)
        {
            int crc = 0xFFFF;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc ^= data[i] << 8;
                for (int b = 0; b < 8; b++)
                {
                    crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) : (crc << 1);
                }
                crc &= 0xFFFF;
            }
            return crc;
        }
    }
}
