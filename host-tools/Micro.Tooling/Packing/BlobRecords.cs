using System.Buffers.Binary;
using Micro.Runtime;
using Micro.Runtime.Format;
using Micro.Tooling.Blob;

namespace Micro.Tooling.Packing;

/// <summary>
/// Adds metadata records (docs/blob-format.md, "Metadata") to a blob already written: the records are the
/// blob's tail, so the bytes before them stay as they are; the records already there and the new ones are
/// written again in tag order, then the total length and the CRC are sealed anew. A record given for a tag
/// that is already present replaces it.
/// </summary>
public static class BlobRecords
{
    /// <summary>The blob without any metadata record (what the emitter wrote before pack added them), sealed again.</summary>
    public static byte[] Without(byte[] blob)
    {
        var model = Model.Load(blob);
        int start = blob.Length;
        for (int i = 0; i < model.Records.Length; i += 3)
            start = Math.Min(start, model.Records[i + 1] - 1 - BlobWriter.Varint((uint)model.Records[i + 2]).Length);
        return Seal(blob.AsSpan(0, start).ToArray());
    }

    public static byte[] With(byte[] blob, IReadOnlyDictionary<int, byte[]> add)
    {
        var model = Model.Load(blob);
        var records = new SortedDictionary<int, byte[]>();
        int start = blob.Length;
        for (int i = 0; i < model.Records.Length; i += 3)
        {
            int tag = model.Records[i], offset = model.Records[i + 1], length = model.Records[i + 2];
            records[tag] = blob.AsSpan(offset, length).ToArray();
            start = Math.Min(start, offset - 1 - BlobWriter.Varint((uint)length).Length);
        }
        foreach (var (tag, data) in add)
        {
            if (tag is < 1 or > 255) throw new ArgumentOutOfRangeException(nameof(add), $"metadata record tag {tag} must be 1..255");
            records[tag] = data;
        }
        if (records.Count > BlobLayout.MaxRecords) throw new InvalidOperationException($"{records.Count} metadata records; at most {BlobLayout.MaxRecords}");

        var s = new MemoryStream();
        s.Write(blob, 0, start);
        foreach (var (tag, data) in records)
        {
            s.WriteByte((byte)tag);
            BlobWriter.Varint(s, (uint)data.Length);
            s.Write(data);
        }
        return Seal(s.ToArray());
    }

    /// <summary>Writes the total length and the CRC, and proves the device's reader takes the result.</summary>
    private static byte[] Seal(byte[] b)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(BlobLayout.OffTotalLength), (uint)b.Length);
        Reseal(b);
        Model.Load(b);
        return b;
    }

    /// <summary>Rewrites the CRC of a blob whose bytes were changed (as a tool or test that edits a blob must).</summary>
    public static void Reseal(byte[] b) =>
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(BlobLayout.OffCrc), Crc32.Compute(b, BlobLayout.CrcStart, b.Length - BlobLayout.CrcStart));
}
