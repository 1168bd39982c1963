namespace Micro.Tooling.TFLite.FlatBuffers;

/// <summary>
/// One verified table. Field <c>id</c> is the field's index in the schema, counting a union as two fields
/// (its type byte, then its value), which is what flatbuffers itself does: the field's slot in the vtable is
/// at byte 4 + 2·id. An absent field (slot beyond the vtable, or slot 0) reads as its default.
/// </summary>
public readonly struct FbTable
{
    private readonly FlatBufferReader _r;
    private readonly int _vtable;
    private readonly int _vtableSize;
    private readonly int _tableSize;

    internal FbTable(FlatBufferReader reader, int position, int vtable, int vtableSize, int tableSize, string name)
    {
        _r = reader;
        Position = position;
        _vtable = vtable;
        _vtableSize = vtableSize;
        _tableSize = tableSize;
        Name = name;
    }

    /// <summary>Byte position of the table in the file.</summary>
    public int Position { get; }

    /// <summary>Where the table is in the model ("subgraphs[0].tensors[3]"), for error messages.</summary>
    public string Name { get; }

    public bool Has(int id) => FieldOffset(id) != 0;

    /// <summary>Absolute position of field <paramref name="id"/> holding <paramref name="size"/> bytes, or −1 when absent.</summary>
    private int FieldPos(int id, int size, string field)
    {
        int off = FieldOffset(id);
        if (off == 0) return -1;
        if (off < 4 || off + size > _tableSize)
            throw _r.Error($"{Name}.{field}: field at table offset {off} ({size} bytes) lies outside the table's {_tableSize} inline bytes");
        int pos = Position + off;
        if (size > 1 && size <= 8 && (pos & (size - 1)) != 0)
            throw _r.Error($"{Name}.{field}: {size}-byte field at byte {pos} is not {size}-byte aligned");
        return pos;
    }

    private int FieldOffset(int id)
    {
        if (id < 0) throw new ArgumentOutOfRangeException(nameof(id));
        int slot = 4 + 2 * id;
        if (slot + 2 > _vtableSize) return 0;
        return _r.U16(_vtable + slot);
    }

    public byte GetByte(int id, string field, byte defaultValue = 0)
    {
        int p = FieldPos(id, 1, field);
        return p < 0 ? defaultValue : _r.Data[p];
    }

    public sbyte GetSByte(int id, string field, sbyte defaultValue = 0)
    {
        int p = FieldPos(id, 1, field);
        return p < 0 ? defaultValue : unchecked((sbyte)_r.Data[p]);
    }

    public bool GetBool(int id, string field, bool defaultValue = false)
    {
        int p = FieldPos(id, 1, field);
        return p < 0 ? defaultValue : _r.Data[p] != 0;
    }

    public short GetInt16(int id, string field, short defaultValue = 0)
    {
        int p = FieldPos(id, 2, field);
        return p < 0 ? defaultValue : _r.I16(p);
    }

    public int GetInt32(int id, string field, int defaultValue = 0)
    {
        int p = FieldPos(id, 4, field);
        return p < 0 ? defaultValue : _r.I32(p);
    }

    public uint GetUInt32(int id, string field, uint defaultValue = 0)
    {
        int p = FieldPos(id, 4, field);
        return p < 0 ? defaultValue : _r.U32(p);
    }

    public long GetInt64(int id, string field, long defaultValue = 0)
    {
        int p = FieldPos(id, 8, field);
        return p < 0 ? defaultValue : _r.I64(p);
    }

    public ulong GetUInt64(int id, string field, ulong defaultValue = 0)
    {
        int p = FieldPos(id, 8, field);
        return p < 0 ? defaultValue : _r.U64(p);
    }

    public float GetFloat(int id, string field, float defaultValue = 0f)
    {
        int p = FieldPos(id, 4, field);
        return p < 0 ? defaultValue : _r.F32(p);
    }

    /// <summary>A sub-table, or null when the field is absent.</summary>
    public FbTable? GetTable(int id, string field)
    {
        int p = FieldPos(id, 4, field);
        if (p < 0) return null;
        string name = Name + "." + field;
        return _r.TableAt(_r.FollowOffset(p, name), name);
    }

    /// <summary>A vector of <paramref name="elementSize"/>-byte elements, or null when the field is absent.</summary>
    public FbVector? GetVector(int id, string field, int elementSize)
    {
        int p = FieldPos(id, 4, field);
        if (p < 0) return null;
        string name = Name + "." + field;
        return _r.VectorAt(_r.FollowOffset(p, name), elementSize, name);
    }

    public string? GetString(int id, string field)
    {
        int p = FieldPos(id, 4, field);
        if (p < 0) return null;
        string name = Name + "." + field;
        return _r.StringAt(_r.FollowOffset(p, name), name);
    }

    /// <summary>
    /// A union: its type byte is field <paramref name="typeId"/> and its value (a table) field typeId + 1.
    /// Returns null for type 0 (NONE) or an absent value.
    /// </summary>
    public FbTable? GetUnion(int typeId, string field, out byte type)
    {
        type = GetByte(typeId, field + "_type");
        if (type == 0) return null;
        return GetTable(typeId + 1, field);
    }

    /// <summary>
    /// An inline struct of <paramref name="size"/> bytes: its bytes, or an empty span when the field is
    /// absent. Struct fields are read from the span by the caller (little-endian).
    /// </summary>
    public ReadOnlySpan<byte> GetStruct(int id, string field, int size, int alignment)
    {
        int off = FieldOffset(id);
        if (off == 0) return ReadOnlySpan<byte>.Empty;
        if (off < 4 || off + size > _tableSize)
            throw _r.Error($"{Name}.{field}: struct at table offset {off} ({size} bytes) lies outside the table's {_tableSize} inline bytes");
        int pos = Position + off;
        if (alignment > 1 && pos % alignment != 0)
            throw _r.Error($"{Name}.{field}: struct at byte {pos} is not {alignment}-byte aligned");
        return _r.Data.AsSpan(pos, size);
    }
}
