using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Micro.Tooling.Data;

/// <summary>
/// The header of a .npy file (magic, version, header dictionary), checked strictly before any data is read or
/// allocated: the shape must be a tuple of whole numbers, and the data it declares must be exactly the bytes the
/// file has after the header (no fewer, no more), so a hostile size is refused by arithmetic, never by allocation.
/// </summary>
public sealed partial class NpyHeader
{
    /// <summary>Longest header dictionary read (64 KiB; NumPy itself refuses more than 10,000 bytes by default).</summary>
    public const int MaxHeaderLength = 64 * 1024;

    private static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    private NpyHeader(string descr, int elementSize, bool fortran, int[] shape, int count, long dataStart)
    {
        Descr = descr; ElementSize = elementSize; FortranOrder = fortran; Shape = shape; Count = count; DataStart = dataStart;
    }

    /// <summary>'&lt;f4', '&lt;f8', '|i1' or '&lt;i8'.</summary>
    public string Descr { get; }
    public int ElementSize { get; }
    public bool FortranOrder { get; }
    public int[] Shape { get; }

    /// <summary>Number of elements (the product of the shape).</summary>
    public int Count { get; }

    /// <summary>Offset of the first data byte.</summary>
    public long DataStart { get; }

    /// <summary>Reads and checks the header from the start of <paramref name="s"/>, a file of <paramref name="fileLength"/> bytes.</summary>
    public static NpyHeader Read(Stream s, long fileLength, string what)
    {
        var prefix = new byte[12];
        int got = s.ReadAtLeast(prefix.AsSpan(0, 10), 10, throwOnEndOfStream: false);
        if (got < 10 || !prefix.AsSpan(0, 6).SequenceEqual(Magic))
            throw new DataFormatException($"{what}: not a .npy file (no \\x93NUMPY magic)");
        int major = prefix[6];
        long headerLen;
        int start;
        if (major == 1) { headerLen = BinaryPrimitives.ReadUInt16LittleEndian(prefix.AsSpan(8)); start = 10; }
        else if (major is 2 or 3)
        {
            if (s.ReadAtLeast(prefix.AsSpan(10, 2), 2, throwOnEndOfStream: false) < 2) throw new DataFormatException($"{what}: truncated header");
            headerLen = BinaryPrimitives.ReadUInt32LittleEndian(prefix.AsSpan(8));
            start = 12;
        }
        else throw new DataFormatException($"{what}: .npy format version {major}.{prefix[7]} is not supported");
        if (headerLen > MaxHeaderLength)
            throw new DataFormatException($"{what}: the header length field says {headerLen:N0} bytes; at most {MaxHeaderLength:N0} are read");
        if (start + headerLen > fileLength)
            throw new DataFormatException($"{what}: truncated header ({headerLen} bytes declared, {Math.Max(0, fileLength - start)} in the file)");
        var headerBytes = new byte[headerLen];
        s.ReadExactly(headerBytes);
        return Parse(Encoding.Latin1.GetString(headerBytes), start + headerLen, fileLength, what);
    }

    private static NpyHeader Parse(string header, long dataStart, long fileLength, string what)
    {
        var descr = DescrRe().Match(header);
        var order = OrderRe().Match(header);
        var shapeM = ShapeRe().Match(header);
        if (!descr.Success || !order.Success || !shapeM.Success)
            throw new DataFormatException($"{what}: header is not a .npy dictionary: {Short(header.Trim())}");
        string dt = descr.Groups[1].Value;
        int size = dt switch { "<f4" => 4, "<f8" => 8, "|i1" or "<i1" or "i1" => 1, "<i8" => 8, _ => 0 };
        if (size == 0)
            throw new DataFormatException(dt.StartsWith('>')
                ? $"{what}: big-endian data ('{Short(dt)}') is not supported"
                : $"{what}: element type '{Short(dt)}' is not supported (float32 '<f4', int8 '|i1', int64 '<i8', or float64 '<f8')");

        string tuple = shapeM.Groups[1].Value;
        if (!TupleRe().IsMatch(tuple))
            throw new DataFormatException($"{what}: 'shape' ({Short(tuple)}) is not a tuple of whole numbers like (4, 16) or (16,)");
        var parts = tuple.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i].TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
                throw new DataFormatException($"{what}: 'shape' dimension {i + 1} is {Short(parts[i])}; at most {int.MaxValue} is read");
        long have = fileLength - dataStart;
        long bytes = shape.Contains(0) ? 0 : size; // the data the shape declares
        bool capped = false;
        foreach (int d in shape)
        {
            if (bytes > have) { capped = true; break; } // already too much; ≤ file length × 2^31 so far: no overflow
            bytes *= d;
        }
        if (bytes > have)
            throw new DataFormatException($"{what}: 'shape' {NpyArray.Format(shape)} of '{dt}' needs {(capped ? "more than " + have.ToString("N0", CultureInfo.InvariantCulture) : bytes.ToString("N0", CultureInfo.InvariantCulture))} data bytes; the file has {have:N0} (truncated, or a wrong shape)");
        if (bytes < have)
            throw new DataFormatException($"{what}: 'shape' {NpyArray.Format(shape)} of '{dt}' needs {bytes:N0} data bytes; the file has {have:N0} ({have - bytes:N0} more: trailing data, or a shape that does not hold all of it)");
        long count = bytes / size;
        if (count > Array.MaxLength)
            throw new DataFormatException($"{what}: 'shape' {NpyArray.Format(shape)} has {count:N0} elements; at most {Array.MaxLength:N0} are read");
        return new NpyHeader(dt, size, order.Groups[1].Value == "True", shape, (int)count, dataStart);
    }

    private static string Short(string s) => s.Length > 60 ? s[..60] + "…" : s;

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")] private static partial Regex DescrRe();
    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")] private static partial Regex OrderRe();
    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")] private static partial Regex ShapeRe();

    // (), (16,), (4, 16) or (4, 16,): whole numbers (Python 2's long suffix L allowed), one comma between each.
    [GeneratedRegex(@"^\s*(?:[0-9]+L?\s*(?:,\s*[0-9]+L?\s*)*,?)?\s*$")] private static partial Regex TupleRe();
}
