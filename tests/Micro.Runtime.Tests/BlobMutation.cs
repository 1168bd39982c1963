using System.Buffers.Binary;
using Micro.Runtime.Format;
using Micro.Tooling.Blob;

namespace Micro.Runtime.Tests;

/// <summary>
/// Edits a valid blob and re-seals its CRC, so a test reaches the checks behind the CRC. Fixed-width fields
/// are edited in place; varint fields (dims, arena offsets, tensor indices, params, exits) through
/// <see cref="BlobMap"/>, which finds them and splices in the new encoding (total length fixed up).
/// </summary>
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

    /// <summary>Replaces `length` bytes at `at` with `bytes`, fixes total_length; not re-sealed.</summary>
    public static byte[] Splice(byte[] b, int at, int length, byte[] bytes)
    {
        var r = b[..at].Concat(bytes).Concat(b[(at + length)..]).ToArray();
        if (r.Length >= BlobLayout.OffTotalLength + 4) SetU32(r, BlobLayout.OffTotalLength, r.Length);
        return r;
    }

    /// <summary>Param k of op `index` set to `value` (zigzag varint re-encoded), re-sealed.</summary>
    public static byte[] WithParam(byte[] blob, int index, int k, int value)
    {
        var f = BlobMap.Of(blob).Ops[index].Params[k];
        return Reseal(Splice(blob, f.At, f.Length, BlobWriter.Varint(BlobLayout.ZigZag(value))));
    }

    public static int Param(byte[] blob, int index, int k) => BlobLayout.UnZigZag((uint)BlobMap.Of(blob).Ops[index].Params[k].Value);

    /// <summary>Tensor index k of op `index` (inputs, then the output) set to `value`, re-sealed.</summary>
    public static byte[] WithOpTensor(byte[] blob, int index, int k, int value)
    {
        var f = BlobMap.Of(blob).Ops[index].Tensors[k];
        return Reseal(Splice(blob, f.At, f.Length, BlobWriter.Varint((uint)value)));
    }

    public static byte[] WithDim(byte[] blob, int tensor, int d, int value)
    {
        var f = BlobMap.Of(blob).Tensors[tensor].Dims[d];
        return Reseal(Splice(blob, f.At, f.Length, BlobWriter.Varint((uint)value)));
    }

    public static byte[] WithArenaOffset(byte[] blob, int tensor, int value)
    {
        var f = BlobMap.Of(blob).Tensors[tensor].ArenaOffset;
        return Reseal(Splice(blob, f.At, f.Length, BlobWriter.Varint((uint)value)));
    }
}

/// <summary>A varint field of a blob: where it starts, how many bytes, its unsigned value.</summary>
public readonly record struct VarintField(int At, int Length, long Value);

public sealed record TensorMap(int At, VarintField[] Dims, VarintField ArenaOffset, int ScaleAt);

public sealed record OpMap(int At, VarintField[] Tensors, VarintField[] Params);

public sealed record ExitMap(VarintField OutputTensor, VarintField Threshold);

/// <summary>
/// Where every field of a valid version-2 blob lies, read by the test's own walk of docs/blob-format.md
/// (not by Model.Load), so a test can edit one field of any width.
/// </summary>
public sealed record BlobMap(TensorMap[] Tensors, VarintField[] Io, OpMap[] Ops, ExitMap[] Exits, int MetadataAt)
{
    public static BlobMap Of(byte[] b)
    {
        int p = BlobLayout.ConstStart + U32At(b, BlobLayout.OffConstLength);
        VarintField Next()
        {
            int at = p;
            long v = BlobLayout.ReadVarint(b, ref p, b.Length);
            if (v < 0) throw new InvalidDataException($"no varint at {at}");
            return new VarintField(at, p - at, v);
        }
        int tensorCount = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(BlobLayout.OffTensorCount));
        int opCount = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(BlobLayout.OffOpCount));
        int io = b[BlobLayout.OffInputCount] + b[BlobLayout.OffOutputCount];
        var tensors = new TensorMap[tensorCount];
        for (int i = 0; i < tensorCount; i++)
        {
            int at = p;
            int rank = b[p + BlobLayout.TOffRank];
            p += BlobLayout.TOffDims;
            var dims = Enumerable.Range(0, rank).Select(_ => Next()).ToArray();
            var arena = Next();
            tensors[i] = new TensorMap(at, dims, arena, p);
            p += BlobLayout.ScaleSize;
        }
        var ioFields = Enumerable.Range(0, io).Select(_ => Next()).ToArray();
        var ops = new OpMap[opCount];
        for (int i = 0; i < opCount; i++)
        {
            int at = p;
            int nIn = b[p + BlobLayout.OOffInputCount], nParams = b[p + BlobLayout.OOffParamCount];
            p += BlobLayout.OpHeaderSize;
            var ts = Enumerable.Range(0, nIn + 1).Select(_ => Next()).ToArray();
            var ps = Enumerable.Range(0, nParams).Select(_ => Next()).ToArray();
            ops[i] = new OpMap(at, ts, ps);
        }
        var exits = Enumerable.Range(0, b[BlobLayout.OffExitCount]).Select(_ => new ExitMap(Next(), Next())).ToArray();
        return new BlobMap(tensors, ioFields, ops, exits, p);
    }

    private static int U32At(byte[] b, int off) => BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(off));
}
