#nullable enable
using System.Buffers.Binary;
using System.Text;

namespace Micro.TestSupport;

/// <summary>
/// A test-only FlatBuffers writer for building small synthetic files. It writes front to back: the root
/// offset and file identifier, then each object before its children, so every uoffset points forward as
/// the format requires; each table's vtable sits just before the table. Scalars are aligned to their size.
/// </summary>
public sealed class FbWriter
{
    public abstract class Node;

    public sealed class Table : Node
    {
        public readonly SortedDictionary<int, object> Fields = new();

        public Table Set(int id, object value)
        {
            Fields[id] = value;
            return this;
        }
    }

    /// <summary>A vector of scalars (raw little-endian bytes, element size given) or of nodes (offsets).</summary>
    public sealed class Vector : Node
    {
        public byte[]? Scalars;
        public int ElementSize = 1;
        public List<Node>? Nodes;
    }

    public sealed class Str : Node
    {
        public required string Value;
    }

    public static Vector Ints(params int[] values)
    {
        var b = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4 * i), values[i]);
        return new Vector { Scalars = b, ElementSize = 4 };
    }

    public static Vector Longs(params long[] values)
    {
        var b = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(8 * i), values[i]);
        return new Vector { Scalars = b, ElementSize = 8 };
    }

    public static Vector Floats(params float[] values)
    {
        var b = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(4 * i), values[i]);
        return new Vector { Scalars = b, ElementSize = 4 };
    }

    public static Vector Bytes(byte[] values) => new() { Scalars = values, ElementSize = 1 };

    public static Vector Of(IEnumerable<Node> nodes) => new() { Nodes = nodes.ToList() };

    private readonly List<byte> _buf = new();
    private readonly Queue<(int at, Node node)> _pending = new();

    public static byte[] Build(Table root, string identifier, byte[]? trailer = null)
    {
        var w = new FbWriter();
        w.Pad(8);
        byte[] id = Encoding.ASCII.GetBytes(identifier);
        for (int i = 0; i < 4; i++) w._buf[4 + i] = id[i];
        w.Enqueue(0, root);
        w.Drain();
        w.Align(16);
        if (trailer != null) w._buf.AddRange(trailer);
        return w._buf.ToArray();
    }

    private void Enqueue(int offsetField, Node node) => _pending.Enqueue((offsetField, node));

    private void Drain()
    {
        while (_pending.Count > 0)
        {
            var (at, node) = _pending.Dequeue();
            int pos = Write(node);
            PatchU32(at, (uint)(pos - at));
        }
    }

    private int Write(Node node)
    {
        switch (node)
        {
            case Table t: return WriteTable(t);
            case Vector v: return WriteVector(v);
            case Str s:
                {
                    byte[] b = Encoding.UTF8.GetBytes(s.Value);
                    Align(4);
                    int pos = _buf.Count;
                    AddU32((uint)b.Length);
                    _buf.AddRange(b);
                    _buf.Add(0);
                    return pos;
                }
            default: throw new InvalidOperationException();
        }
    }

    private static int SizeOf(object v) => v switch
    {
        byte or sbyte or bool => 1,
        short or ushort => 2,
        int or uint or float or Node => 4,
        long or ulong or double => 8,
        _ => throw new InvalidOperationException("unsupported field value " + v.GetType()),
    };

    private int WriteTable(Table t)
    {
        // Inline layout: soffset (4), then fields largest first, each aligned to its size (8-byte fields
        // start at inline offset 8 so that an 8-aligned table keeps them aligned).
        var layout = new List<(int id, object value, int off)>();
        int cursor = 4;
        foreach (var kv in t.Fields.OrderByDescending(kv => SizeOf(kv.Value)).ThenBy(kv => kv.Key))
        {
            int size = SizeOf(kv.Value);
            cursor = (cursor + size - 1) / size * size;
            layout.Add((kv.Key, kv.Value, cursor));
            cursor += size;
        }
        int tableSize = (cursor + 3) & ~3;
        int maxId = t.Fields.Count == 0 ? -1 : t.Fields.Keys.Max();
        int vtSize = 4 + 2 * (maxId + 1);

        // vtable, then pad so the table starts 8-aligned.
        Align(2);
        int vt = _buf.Count;
        AddU16((ushort)vtSize);
        AddU16((ushort)tableSize);
        var slots = new ushort[maxId + 1];
        foreach (var (id, _, off) in layout) slots[id] = (ushort)off;
        foreach (ushort s in slots) AddU16(s);
        Align(8);
        int pos = _buf.Count;
        Pad(tableSize);
        PatchI32(pos, pos - vt);
        foreach (var (_, value, off) in layout)
        {
            int p = pos + off;
            switch (value)
            {
                case byte b: _buf[p] = b; break;
                case sbyte sb: _buf[p] = unchecked((byte)sb); break;
                case bool bo: _buf[p] = bo ? (byte)1 : (byte)0; break;
                case short sh: PatchU16(p, unchecked((ushort)sh)); break;
                case ushort us: PatchU16(p, us); break;
                case int i: PatchI32(p, i); break;
                case uint u: PatchU32(p, u); break;
                case float f: PatchU32(p, BitConverter.SingleToUInt32Bits(f)); break;
                case long l: PatchU64(p, unchecked((ulong)l)); break;
                case ulong ul: PatchU64(p, ul); break;
                case double d: PatchU64(p, BitConverter.DoubleToUInt64Bits(d)); break;
                case Node n: Enqueue(p, n); break;
            }
        }
        return pos;
    }

    private int WriteVector(Vector v)
    {
        int elem = v.Nodes != null ? 4 : v.ElementSize;
        Align(4);
        if (elem == 8 && _buf.Count % 8 == 0) Pad(4);
        int pos = _buf.Count;
        if (v.Nodes != null)
        {
            AddU32((uint)v.Nodes.Count);
            int first = _buf.Count;
            Pad(4 * v.Nodes.Count);
            for (int i = 0; i < v.Nodes.Count; i++) Enqueue(first + 4 * i, v.Nodes[i]);
        }
        else
        {
            byte[] s = v.Scalars ?? Array.Empty<byte>();
            AddU32((uint)(s.Length / elem));
            _buf.AddRange(s);
        }
        return pos;
    }

    private void Align(int n)
    {
        while (_buf.Count % n != 0) _buf.Add(0);
    }

    private void Pad(int n)
    {
        for (int i = 0; i < n; i++) _buf.Add(0);
    }

    private void AddU16(ushort v)
    {
        _buf.Add((byte)v);
        _buf.Add((byte)(v >> 8));
    }

    private void AddU32(uint v)
    {
        for (int i = 0; i < 4; i++) _buf.Add((byte)(v >> (8 * i)));
    }

    private void PatchU16(int p, ushort v)
    {
        _buf[p] = (byte)v;
        _buf[p + 1] = (byte)(v >> 8);
    }

    private void PatchU32(int p, uint v)
    {
        for (int i = 0; i < 4; i++) _buf[p + i] = (byte)(v >> (8 * i));
    }

    private void PatchI32(int p, int v) => PatchU32(p, unchecked((uint)v));

    private void PatchU64(int p, ulong v)
    {
        for (int i = 0; i < 8; i++) _buf[p + i] = (byte)(v >> (8 * i));
    }
}
