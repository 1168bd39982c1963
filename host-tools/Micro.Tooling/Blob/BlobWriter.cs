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

    /// <summary>ConstParams: indices of Params that hold offsets relative to the constant section (made absolute here).</summary>
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
        int tensorTable = BlobLayout.HeaderSize;
        int ioTable = tensorTable + Tensors.Count * BlobLayout.TensorSize;
        int ioLen = BlobLayout.Align4(2 * (Inputs.Count + Outputs.Count));
        int opTable = ioTable + ioLen;
        int opLen = Ops.Sum(o => BlobLayout.OpRecordLength(o.Inputs.Length, 1, o.Params.Length));
        int exitTable = opTable + opLen;
        int exitLen = Exits.Count * BlobLayout.ExitSize;
        int constOff = exitTable + exitLen;
        int constLen = (int)constants.Length;
        int meta = BlobLayout.Align4(constOff + constLen);
        byte[] name = Encoding.ASCII.GetBytes(Name), version = Encoding.ASCII.GetBytes(Version);
        int total = BlobLayout.Align4(meta + 2 + name.Length + 2 + version.Length);

        var b = new byte[total];
        var s = b.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(s[BlobLayout.OffMagic..], BlobLayout.Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(s[BlobLayout.OffVersion..], BlobLayout.FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(s[BlobLayout.OffHeaderSize..], BlobLayout.HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(s[BlobLayout.OffTotalLength..], (uint)total);
        BinaryPrimitives.WriteUInt32LittleEndian(s[BlobLayout.OffArenaSize..], (uint)ArenaSize);
        BinaryPrimitives.WriteUInt16LittleEndian(s[BlobLayout.OffTensorCount..], (ushort)Tensors.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(s[BlobLayout.OffOpCount..], (ushort)Ops.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(s[BlobLayout.OffInputCount..], (ushort)Inputs.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(s[BlobLayout.OffOutputCount..], (ushort)Outputs.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(s[BlobLayout.OffExitCount..], (ushort)Exits.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(s[BlobLayout.OffTensorTable..], (uint)tensorTable);
        BinaryPrimitives.WriteUInt32LittleEndian(s[BlobLayout.OffIoTable..], (uint)ioTable);
        BinaryPrimitives.WriteUInt32LittleEndian(s[BlobLayout.OffOpTable..], (uint)opTable);
        BinaryPrimitives.WriteUInt32LittleEndian(s[BlobLayout.OffOpTableLength..], (uint)opLen);
        BinaryPrimitives.WriteUInt32LittleEndian(s[BlobLayout.OffExitTable..], Exits.Count == 0 ? 0u : (uint)exitTable);
        BinaryPrimitives.WriteUInt32LittleEndian(s[BlobLayout.OffConst..], (uint)constOff);
        BinaryPrimitives.WriteUInt32LittleEndian(s[BlobLayout.OffConstLength..], (uint)constLen);

        for (int i = 0; i < Tensors.Count; i++)
        {
            var t = Tensors[i];
            var p = s[(tensorTable + i * BlobLayout.TensorSize)..];
            if (t.Dims.Length is < 1 or > BlobLayout.MaxRank) throw new InvalidOperationException($"tensor {i}: rank {t.Dims.Length} is not 1..4");
            p[BlobLayout.TOffDType] = (byte)t.DType;
            p[BlobLayout.TOffRank] = (byte)t.Dims.Length;
            BinaryPrimitives.WriteInt16LittleEndian(p[BlobLayout.TOffZeroPoint..], checked((short)t.ZeroPoint));
            for (int d = 0; d < t.Dims.Length; d++)
                BinaryPrimitives.WriteUInt16LittleEndian(p[(BlobLayout.TOffDims + 2 * d)..], checked((ushort)t.Dims[d]));
            BinaryPrimitives.WriteUInt32LittleEndian(p[BlobLayout.TOffArenaOffset..], (uint)t.ArenaOffset);
            BinaryPrimitives.WriteSingleLittleEndian(p[BlobLayout.TOffScale..], t.Scale);
        }
        int q = ioTable;
        foreach (var i in Inputs.Concat(Outputs)) { BinaryPrimitives.WriteUInt16LittleEndian(s[q..], (ushort)i); q += 2; }

        q = opTable;
        foreach (var o in Ops)
        {
            int len = BlobLayout.OpRecordLength(o.Inputs.Length, 1, o.Params.Length);
            s[q + BlobLayout.OOffOpcode] = (byte)o.OpCode;
            s[q + BlobLayout.OOffExitGroup] = (byte)o.ExitGroup;
            s[q + BlobLayout.OOffInputCount] = checked((byte)o.Inputs.Length);
            s[q + BlobLayout.OOffOutputCount] = 1;
            BinaryPrimitives.WriteUInt16LittleEndian(s[(q + BlobLayout.OOffParamCount)..], checked((ushort)o.Params.Length));
            BinaryPrimitives.WriteUInt16LittleEndian(s[(q + BlobLayout.OOffRecordLength)..], checked((ushort)len));
            int r = q + BlobLayout.OpHeaderSize;
            foreach (var i in o.Inputs.Append(o.Output)) { BinaryPrimitives.WriteUInt16LittleEndian(s[r..], (ushort)i); r += 2; }
            r = q + BlobLayout.OpHeaderSize + BlobLayout.Align4(2 * (o.Inputs.Length + 1));
            for (int k = 0; k < o.Params.Length; k++)
            {
                int v = o.ConstParams.Contains(k) ? constOff + o.Params[k] : o.Params[k];
                BinaryPrimitives.WriteInt32LittleEndian(s[(r + 4 * k)..], v);
            }
            q += len;
        }
        for (int e = 0; e < Exits.Count; e++)
        {
            var x = Exits[e];
            var p = s[(exitTable + e * BlobLayout.ExitSize)..];
            BinaryPrimitives.WriteUInt16LittleEndian(p[BlobLayout.EOffGroup..], (ushort)x.Group);
            BinaryPrimitives.WriteUInt16LittleEndian(p[BlobLayout.EOffOutputTensor..], (ushort)x.OutputTensor);
            BinaryPrimitives.WriteInt32LittleEndian(p[BlobLayout.EOffThreshold..], x.Threshold);
        }
        constants.ToArray().CopyTo(s[constOff..]);
        q = meta;
        BinaryPrimitives.WriteUInt16LittleEndian(s[q..], (ushort)name.Length);
        name.CopyTo(s[(q + 2)..]);
        q += 2 + name.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(s[q..], (ushort)version.Length);
        version.CopyTo(s[(q + 2)..]);

        BinaryPrimitives.WriteUInt32LittleEndian(s[BlobLayout.OffCrc..], Crc32.Compute(b, BlobLayout.CrcStart, total - BlobLayout.CrcStart));
        return b;
    }

    private static void Check(string text)
    {
        if (text.Length > BlobLayout.MaxNameLength || text.Any(c => c < 0x20 || c > 0x7E))
            throw new ArgumentException($"model name/version '{text}' must be at most {BlobLayout.MaxNameLength} printable ASCII characters");
    }
}
