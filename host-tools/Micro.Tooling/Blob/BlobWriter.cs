using System.Buffers.Binary;
using System.Text;
using Micro.Runtime.Format;

namespace Micro.Tooling.Blob;

/// <summary>
/// Writes the bytes of docs/blob-format.md from already-lowered records. Every offset comes from
/// BlobLayout, the reader's own constants. Knows nothing of graphs; BlobEmitter lowers a QGraph into it.
/// </summary>
public sealed class BlobWriter
{
    public sealed record TensorRecord(int DType, int[] Dims, int ZeroPoint, float Scale, int ArenaOffset);

    /// <summary>ConstParams: indices of Params that hold offsets relative to the constant section (stored so in version 2).</summary>
    public sealed record OpRecord(int OpCode, int ExitGroup, int[] Inputs, int Output, int[] Params, int[] ConstParams);

    public sealed record ExitRecord(int Group, int OutputTensor, int Threshold);

    public List<TensorRecord> Tensors { get; } = new();
    public List<OpRecord> Ops { get; } = new();
    public List<int> Inputs { get; } = new();
    public List<int> Outputs { get; } = new();
    public List<ExitRecord> Exits { get; } = new();
    public int ArenaSize { get; set; }
    public string Name { get; set; } = "model";
    public string Version { get; set; } = "1";

    /// <summary>Metadata records (tag → bytes), written after the name and version in tag order.</summary>
    public SortedDictionary<int, byte[]> Records { get; } = new();

    private readonly MemoryStream constants = new();

    /// <summary>Appends constant bytes, 4-aligned; returns their offset relative to the constant section.</summary>
    public int AddConst(ReadOnlySpan<byte> data)
    {
        while (constants.Length % 4 != 0) constants.WriteByte(0);
        int off = (int)constants.Length;
        constants.Write(data);
        return off;
    }

    public int AddConst(sbyte[] data) => AddConst(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));

    public int AddConst(int[] data)
    {
        var bytes = new byte[data.Length * 4];
        for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * i), data[i]);
        return AddConst(bytes);
    }

    public int AddConst(long[] data)
    {
        var bytes = new byte[data.Length * 8];
        for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8 * i), data[i]);
        return AddConst(bytes);
    }

    public byte[] ToArray()
    {
        Check(Name);
        Check(Version);
        byte[] consts = constants.ToArray();
        var d = new MemoryStream();
        for (int i = 0; i < Tensors.Count; i++)
        {
            var t = Tensors[i];
            if (t.Dims.Length is < 1 or > BlobLayout.MaxRank) throw new InvalidOperationException($"tensor {i}: rank {t.Dims.Length} is not 1..4");
            if (t.Dims.Any(v => v is < 1 or > BlobLayout.MaxDim)) throw new InvalidOperationException($"tensor {i}: dims [{string.Join(",", t.Dims)}] must be 1..{BlobLayout.MaxDim}");
            d.WriteByte((byte)t.DType);
            d.WriteByte((byte)t.Dims.Length);
            d.WriteByte((byte)checked((sbyte)t.ZeroPoint));
            foreach (int v in t.Dims) Varint(d, (uint)v);
            Varint(d, checked((uint)t.ArenaOffset));
            var scale = new byte[BlobLayout.ScaleSize];
            BinaryPrimitives.WriteSingleLittleEndian(scale, t.Scale);
            d.Write(scale);
        }
        foreach (var i in Inputs.Concat(Outputs)) Varint(d, checked((uint)i));
        foreach (var o in Ops)
        {
            d.WriteByte(checked((byte)o.OpCode));
            d.WriteByte(checked((byte)o.ExitGroup));
            d.WriteByte(checked((byte)o.Inputs.Length));
            d.WriteByte(checked((byte)o.Params.Length));
            foreach (var i in o.Inputs.Append(o.Output)) Varint(d, checked((uint)i));
            // Constant references are offsets relative to the constant data and stay as they are.
            foreach (int v in o.Params) Varint(d, BlobLayout.ZigZag(v));
        }
        for (int e = 0; e < Exits.Count; e++)
        {
            var x = Exits[e];
            if (x.Group != e + 1) throw new InvalidOperationException($"exit {e} has group {x.Group}; exits are numbered 1, 2, … in order");
            Varint(d, checked((uint)x.OutputTensor));
            Varint(d, BlobLayout.ZigZag(x.Threshold));
        }
        foreach (var text in new[] { Name, Version })
        {
            d.WriteByte((byte)text.Length);
            d.Write(Encoding.ASCII.GetBytes(text));
        }
        foreach (var (tag, data) in Records)
        {
            if (tag is < 1 or > 255) throw new InvalidOperationException($"metadata record tag {tag} must be 1..255");
            d.WriteByte((byte)tag);
            Varint(d, (uint)data.Length);
            d.Write(data);
        }
        if (Records.Count > BlobLayout.MaxRecords) throw new InvalidOperationException($"{Records.Count} metadata records; at most {BlobLayout.MaxRecords}");

        int total = BlobLayout.HeaderSize + consts.Length + (int)d.Length;
        var b = new byte[total];
        var s = b.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(s[BlobLayout.OffMagic..], BlobLayout.Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(s[BlobLayout.OffVersion..], BlobLayout.FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(s[BlobLayout.OffTensorCount..], checked((ushort)Tensors.Count));
        BinaryPrimitives.WriteUInt32LittleEndian(s[BlobLayout.OffTotalLength..], (uint)total);
        BinaryPrimitives.WriteUInt32LittleEndian(s[BlobLayout.OffArenaSize..], (uint)ArenaSize);
        BinaryPrimitives.WriteUInt32LittleEndian(s[BlobLayout.OffConstLength..], (uint)consts.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(s[BlobLayout.OffOpCount..], checked((ushort)Ops.Count));
        s[BlobLayout.OffInputCount] = checked((byte)Inputs.Count);
        s[BlobLayout.OffOutputCount] = checked((byte)Outputs.Count);
        s[BlobLayout.OffExitCount] = checked((byte)Exits.Count);
        consts.CopyTo(s[BlobLayout.ConstStart..]);
        d.ToArray().CopyTo(s[(BlobLayout.ConstStart + consts.Length)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[BlobLayout.OffCrc..], Crc32.Compute(b, BlobLayout.CrcStart, total - BlobLayout.CrcStart));
        return b;
    }

    /// <summary>Unsigned LEB128, shortest form (BlobLayout.ReadVarint reads it back).</summary>
    public static void Varint(Stream s, uint v)
    {
        while (v >= 0x80)
        {
            s.WriteByte((byte)(v | 0x80));
            v >>= 7;
        }
        s.WriteByte((byte)v);
    }

    public static byte[] Varint(uint v)
    {
        var m = new MemoryStream();
        Varint(m, v);
        return m.ToArray();
    }

    private static void Check(string text)
    {
        if (text.Length > BlobLayout.MaxNameLength || text.Any(c => c < 0x20 || c > 0x7E))
            throw new ArgumentException($"model name/version '{text}' must be at most {BlobLayout.MaxNameLength} printable ASCII characters");
    }
}
