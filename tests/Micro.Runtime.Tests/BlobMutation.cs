using System.Buffers.Binary;
using Micro.Runtime.Format;

namespace Micro.Runtime.Tests;

/// <summary>Edits a valid blob and re-seals its CRC, so a test reaches the checks behind the CRC.</summary>
public static class BlobMutation
{
    public static byte[] Reseal(byte[] b)
    {
        if (b.Length >= BlobLayout.HeaderSize)
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(BlobLayout.OffCrc), Crc32.Compute(b, BlobLayout.CrcStart, b.Length - BlobLayout.CrcStart));
        return b;
    }

    public static byte[] With(byte[] blob, Action<byte[]> edit, bool reseal = true)
    {
        var b = (byte[])blob.Clone();
        edit(b);
        return reseal ? Reseal(b) : b;
    }

    public static int U32(byte[] b, int off) => BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(off));
    public static void SetU32(byte[] b, int off, int v) => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(off), v);
    public static void SetU16(byte[] b, int off, int v) => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(off), (ushort)v);

    /// <summary>Offset of op record `index` in the op table.</summary>
    public static int OpRecord(byte[] b, int index)
    {
        int p = U32(b, BlobLayout.OffOpTable);
        for (int i = 0; i < index; i++) p += BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(p + BlobLayout.OOffRecordLength));
        return p;
    }

    /// <summary>Offset of param word `k` of op `index`.</summary>
    public static int OpParam(byte[] b, int index, int k)
    {
        int p = OpRecord(b, index);
        int tensors = b[p + BlobLayout.OOffInputCount] + b[p + BlobLayout.OOffOutputCount];
        return p + BlobLayout.OpHeaderSize + BlobLayout.Align4(2 * tensors) + 4 * k;
    }
}
