namespace Micro.Tooling.TFLite.FlatBuffers;

/// <summary>
/// One verified vector: <see cref="Count"/> elements of <see cref="ElementSize"/> bytes starting at
/// <see cref="Start"/>, all inside the file. Reading elements spends the reader's work budget.
/// </summary>
public readonly struct FbVector
{
    private readonly FlatBufferReader _r;

    internal FbVector(FlatBufferReader reader, int start, int count, int elementSize, string name)
    {
        _r = reader;
        Start = start;
        Count = count;
        ElementSize = elementSize;
        Name = name;
    }

    /// <summary>Byte position of element 0.</summary>
    public int Start { get; }

    public int Count { get; }

    public int ElementSize { get; }

    public string Name { get; }

    /// <summary>The raw element bytes (no copy).</summary>
    public ReadOnlyMemory<byte> Bytes => new(_r.Data, Start, Count * ElementSize);

    public int[] ToInt32Array()
    {
        Require(4);
        _r.Spend(Count, Name);
        var a = new int[Count];
        for (int i = 0; i < a.Length; i++) a[i] = _r.I32(Start + 4 * i);
        return a;
    }

    public long[] ToInt64Array()
    {
        Require(8);
        _r.Spend(Count, Name);
        var a = new long[Count];
        for (int i = 0; i < a.Length; i++) a[i] = _r.I64(Start + 8 * i);
        return a;
    }

    public float[] ToFloatArray()
    {
        Require(4);
        _r.Spend(Count, Name);
        var a = new float[Count];
        for (int i = 0; i < a.Length; i++) a[i] = _r.F32(Start + 4 * i);
        return a;
    }

    public bool[] ToBoolArray()
    {
        Require(1);
        _r.Spend(Count, Name);
        var a = new bool[Count];
        for (int i = 0; i < a.Length; i++) a[i] = _r.Data[Start + i] != 0;
        return a;
    }

    /// <summary>Element <paramref name="index"/> of a vector of tables.</summary>
    public FbTable TableAt(int index, string elementName)
    {
        Require(4);
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
        return _r.TableAt(_r.FollowOffset(Start + 4 * index, elementName), elementName);
    }

    /// <summary>Element <paramref name="index"/> of a vector of strings.</summary>
    public string StringAt(int index, string elementName)
    {
        Require(4);
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
        return _r.StringAt(_r.FollowOffset(Start + 4 * index, elementName), elementName);
    }

    private void Require(int size)
    {
        if (ElementSize != size)
            throw new InvalidOperationException($"{Name}: vector was opened with {ElementSize}-byte elements, read as {size}-byte");
    }
}
