using System.Buffers.Binary;
using System.Text;

namespace Micro.Tooling.TFLite.FlatBuffers;

/// <summary>
/// A small, bounds-checked reader of the FlatBuffers binary format (enough for the TFLite schema: tables
/// with vtables, scalar fields with defaults, offsets to tables, vectors and strings, unions, inline
/// structs). Every offset is verified before it is followed, much as flatbuffers' own Verifier does:
/// <list type="bullet">
/// <item>uoffsets are non-zero, below 2^31 and land inside the file;</item>
/// <item>a table starts 4-aligned; its vtable (table position − soffset) is 2-aligned, at least 4 bytes,
///   of even length, and lies inside the file, as does the table's inline part;</item>
/// <item>a field lies inside its table's inline part and is aligned to its size;</item>
/// <item>a vector's length word is 4-aligned and all its elements lie inside the file; a string also has its
///   terminating zero byte inside the file.</item>
/// </list>
/// Any violation throws <see cref="TfliteFormatException"/> naming the place. A work budget (tables opened
/// plus vector elements read) bounds the time a hostile file can cost, since many tables may legally point
/// at the same large vector.
/// </summary>
public sealed class FlatBufferReader
{
    private readonly byte[] _data;
    private long _budget;

    /// <param name="data">the whole file</param>
    /// <param name="workBudget">tables + vector elements that may be read before the file is rejected as too
    /// complex; by default 1,000,000 + 4 × the file length (a real model needs far less)</param>
    public FlatBufferReader(byte[] data, long? workBudget = null)
    {
        _data = data ?? throw new ArgumentNullException(nameof(data));
        _budget = workBudget ?? (1_000_000L + 4L * data.Length);
    }

    public byte[] Data => _data;

    public int Length => _data.Length;

    /// <summary>The root table. <paramref name="fileIdentifier"/> (4 ASCII characters) is checked when given.</summary>
    public FbTable ReadRoot(string? fileIdentifier, string name)
    {
        if (_data.Length < 8)
            throw Error($"file is {_data.Length} bytes; a flatbuffer needs at least 8 (root offset and file identifier)");
        if (fileIdentifier != null)
        {
            if (fileIdentifier.Length != 4) throw new ArgumentException("file identifiers have 4 characters", nameof(fileIdentifier));
            for (int i = 0; i < 4; i++)
            {
                if (_data[4 + i] != (byte)fileIdentifier[i])
                {
                    throw Error($"file identifier is {Printable(_data.AsSpan(4, 4))}, expected \"{fileIdentifier}\"");
                }
            }
        }
        return TableAt(FollowOffset(0, name), name);
    }

    internal TfliteFormatException Error(string message) => new(message);

    internal void Spend(long amount, string what)
    {
        _budget -= amount;
        if (_budget < 0)
            throw Error($"{what}: the file references more tables and vector elements than a file of {_data.Length} bytes can hold; refusing it as malformed");
    }

    internal ushort U16(int pos) => BinaryPrimitives.ReadUInt16LittleEndian(_data.AsSpan(pos, 2));
    internal uint U32(int pos) => BinaryPrimitives.ReadUInt32LittleEndian(_data.AsSpan(pos, 4));
    internal int I32(int pos) => BinaryPrimitives.ReadInt32LittleEndian(_data.AsSpan(pos, 4));
    internal long I64(int pos) => BinaryPrimitives.ReadInt64LittleEndian(_data.AsSpan(pos, 8));
    internal ulong U64(int pos) => BinaryPrimitives.ReadUInt64LittleEndian(_data.AsSpan(pos, 8));
    internal float F32(int pos) => BinaryPrimitives.ReadSingleLittleEndian(_data.AsSpan(pos, 4));
    internal short I16(int pos) => BinaryPrimitives.ReadInt16LittleEndian(_data.AsSpan(pos, 2));

    /// <summary>Follows the uoffset stored at <paramref name="at"/> (which the caller proved readable).</summary>
    internal int FollowOffset(int at, string what)
    {
        uint off = U32(at);
        if (off == 0)
            throw Error($"{what}: offset at byte {at} is 0 (points at itself)");
        long target = (long)at + off;
        if (off > int.MaxValue || target >= _data.Length)
            throw Error($"{what}: offset {off} at byte {at} points to byte {target}, outside the file ({_data.Length} bytes)");
        return (int)target;
    }

    internal FbTable TableAt(int pos, string what)
    {
        Spend(1, what);
        if ((pos & 3) != 0)
            throw Error($"{what}: table at byte {pos} is not 4-byte aligned");
        if ((long)pos + 4 > _data.Length)
            throw Error($"{what}: table at byte {pos} runs past the end of the file ({_data.Length} bytes)");
        long vtable = (long)pos - I32(pos);
        if (vtable < 0 || vtable + 4 > _data.Length)
            throw Error($"{what}: vtable of the table at byte {pos} would be at byte {vtable}, outside the file ({_data.Length} bytes)");
        if ((vtable & 1) != 0)
            throw Error($"{what}: vtable at byte {vtable} is not 2-byte aligned");
        int vt = (int)vtable;
        int vtSize = U16(vt);
        int tableSize = U16(vt + 2);
        if (vtSize < 4 || (vtSize & 1) != 0 || (long)vt + vtSize > _data.Length)
            throw Error($"{what}: vtable at byte {vt} has bad length {vtSize} (file is {_data.Length} bytes)");
        if (tableSize < 4 || (long)pos + tableSize > _data.Length)
            throw Error($"{what}: table at byte {pos} has bad inline size {tableSize} (file is {_data.Length} bytes)");
        return new FbTable(this, pos, vt, vtSize, tableSize, what);
    }

    internal FbVector VectorAt(int pos, int elementSize, string what)
    {
        if ((pos & 3) != 0)
            throw Error($"{what}: vector at byte {pos} is not 4-byte aligned");
        if ((long)pos + 4 > _data.Length)
            throw Error($"{what}: vector at byte {pos} runs past the end of the file ({_data.Length} bytes)");
        uint count = U32(pos);
        long end = (long)pos + 4 + (long)count * elementSize;
        if (end > _data.Length)
            throw Error($"{what}: vector at byte {pos} has {count} elements of {elementSize} bytes, running past the end of the file ({_data.Length} bytes)");
        return new FbVector(this, pos + 4, (int)count, elementSize, what);
    }

    internal string StringAt(int pos, string what)
    {
        FbVector v = VectorAt(pos, 1, what);
        int end = v.Start + v.Count;
        if (end >= _data.Length || _data[end] != 0)
            throw Error($"{what}: string at byte {pos} ({v.Count} bytes) has no terminating zero byte");
        Spend(v.Count, what);
        try
        {
            return new UTF8Encoding(false, true).GetString(_data, v.Start, v.Count);
        }
        catch (DecoderFallbackException)
        {
            throw Error($"{what}: string at byte {pos} is not valid UTF-8");
        }
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder();
        bool ascii = true;
        foreach (byte b in bytes) ascii &= b >= 0x20 && b < 0x7F;
        if (ascii)
        {
            sb.Append('"');
            foreach (byte b in bytes) sb.Append((char)b);
            sb.Append('"');
        }
        else
        {
            foreach (byte b in bytes) sb.Append(b.ToString("X2")).Append(' ');
            sb.Length--;
        }
        return sb.ToString();
    }
}
