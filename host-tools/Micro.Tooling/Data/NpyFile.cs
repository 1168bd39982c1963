using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Micro.Tooling.Data;

/// <summary>NumPy .npy files: float32, int8 and int64 arrays in C order. Writes format version 1.0 (header
/// padded to 64 bytes); reads versions 1.0–3.0, Fortran-order files (reordered to C order) and float64
/// files (converted to float32, as a user's np.save of a default-typed array gives).</summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    public static NpyArray Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException e) { throw new DataFormatException($"cannot read '{path}': {e.Message}", e); }
        return Read(bytes, Path.GetFileName(path));
    }

    public static NpyArray Read(byte[] b, string what = "npy data")
    {
        if (b.Length < 10 || !b.AsSpan(0, 6).SequenceEqual(Magic))
            throw new DataFormatException($"{what}: not a .npy file (no \\x93NUMPY magic)");
        int major = b[6];
        int headerLen, start;
        if (major == 1) { headerLen = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(8)); start = 10; }
        else if (major is 2 or 3)
        {
            if (b.Length < 12) throw new DataFormatException($"{what}: truncated header");
            headerLen = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(8)), int.MaxValue);
            start = 12;
        }
        else throw new DataFormatException($"{what}: .npy format version {major}.{b[7]} is not supported");
        if ((long)start + headerLen > b.Length) throw new DataFormatException($"{what}: truncated header");
        string header = Encoding.Latin1.GetString(b, start, headerLen);
        int dataStart = start + headerLen;

        var descr = DescrRe().Match(header);
        var order = OrderRe().Match(header);
        var shapeM = ShapeRe().Match(header);
        if (!descr.Success || !order.Success || !shapeM.Success)
            throw new DataFormatException($"{what}: header is not a .npy dictionary: {header.Trim()}");
        bool fortran = order.Groups[1].Value == "True";
        var shape = new List<int>();
        foreach (var part in shapeM.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out int d))
                throw new DataFormatException($"{what}: bad dimension '{part}' in the shape");
            shape.Add(d);
        }
        long count = 1;
        foreach (int d in shape) count *= d;
        string dt = descr.Groups[1].Value;
        int size = dt switch { "<f4" => 4, "<f8" => 8, "|i1" or "<i1" or "i1" => 1, "<i8" => 8, _ => 0 };
        if (size == 0)
            throw new DataFormatException(dt.StartsWith('>')
                ? $"{what}: big-endian data ('{dt}') is not supported"
                : $"{what}: element type '{dt}' is not supported (float32 '<f4', int8 '|i1', int64 '<i8', or float64 '<f8')");
        long need = count * size;
        if (b.Length - dataStart < need)
            throw new DataFormatException($"{what}: truncated: {b.Length - dataStart} data bytes, shape {NpyArray.Format(shape.ToArray())} of '{dt}' needs {need}");
        var span = b.AsSpan(dataStart);
        var sh = shape.ToArray();
        // Element k of the result (C order) is element src(k) of the file.
        int[]? src = fortran && sh.Length > 1 ? FortranToC(sh) : null;
        int At(int k) => src == null ? k : src[k];
        switch (dt)
        {
            case "<f4":
                {
                    var f = new float[count];
                    for (int i = 0; i < count; i++) f[i] = BinaryPrimitives.ReadSingleLittleEndian(span.Slice(At(i) * 4));
                    return NpyArray.FromFloat32(sh, f);
                }
            case "<f8":
                {
                    var f = new float[count];
                    for (int i = 0; i < count; i++) f[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(span.Slice(At(i) * 8));
                    return NpyArray.FromFloat32(sh, f);
                }
            case "<i8":
                {
                    var l = new long[count];
                    for (int i = 0; i < count; i++) l[i] = BinaryPrimitives.ReadInt64LittleEndian(span.Slice(At(i) * 8));
                    return NpyArray.FromInt64(sh, l);
                }
            default:
                {
                    var s = new sbyte[count];
                    for (int i = 0; i < count; i++) s[i] = (sbyte)span[At(i)];
                    return NpyArray.FromInt8(sh, s);
                }
        }
    }

    /// <summary>For each C-order position, the position of the same element in Fortran (column-major) order.</summary>
    private static int[] FortranToC(int[] shape)
    {
        int n = 1;
        foreach (int d in shape) n *= d;
        var map = new int[n];
        var idx = new int[shape.Length];
        for (int k = 0; k < n; k++)
        {
            int f = 0, stride = 1;
            for (int d = 0; d < shape.Length; d++) { f += idx[d] * stride; stride *= shape[d]; }
            map[k] = f;
            for (int d = shape.Length - 1; d >= 0; d--) { if (++idx[d] < shape[d]) break; idx[d] = 0; }
        }
        return map;
    }

    public static byte[] ToBytes(NpyArray a)
    {
        string descr = a.DType switch { NpyDType.Float32 => "<f4", NpyDType.Int8 => "|i1", _ => "<i8" };
        string shape = a.Shape.Length == 1 ? $"({a.Shape[0]},)" : "(" + string.Join(", ", a.Shape) + ")";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int total = 10 + dict.Length + 1;
        int pad = (64 - total % 64) % 64;
        string header = dict + new string(' ', pad) + "\n";
        int size = a.DType switch { NpyDType.Float32 => 4, NpyDType.Int8 => 1, _ => 8 };
        var b = new byte[10 + header.Length + a.Count * size];
        Magic.CopyTo(b, 0);
        b[6] = 1; b[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(8), (ushort)header.Length);
        Encoding.Latin1.GetBytes(header, 0, header.Length, b, 10);
        var span = b.AsSpan(10 + header.Length);
        for (int i = 0; i < a.Count; i++)
        {
            switch (a.DType)
            {
                case NpyDType.Float32: BinaryPrimitives.WriteSingleLittleEndian(span.Slice(i * 4), a.Float32![i]); break;
                case NpyDType.Int8: span[i] = (byte)a.Int8![i]; break;
                default: BinaryPrimitives.WriteInt64LittleEndian(span.Slice(i * 8), a.Int64![i]); break;
            }
        }
        return b;
    }

    /// <summary>Writes <paramref name="a"/> to <paramref name="path"/> through a temporary file, so a failed
    /// write leaves no half-written file.</summary>
    public static void Write(string path, NpyArray a) => Micro.Tooling.AtomicFile.WriteAllBytes(path, ToBytes(a));

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")] private static partial Regex DescrRe();
    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")] private static partial Regex OrderRe();
    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")] private static partial Regex ShapeRe();
}
