using System.Buffers.Binary;
using System.Text;

namespace Micro.Tooling.Data;

/// <summary>NumPy .npy files: float32, int8 and int64 arrays in C order. Writes format version 1.0 (header
/// padded to 64 bytes); reads versions 1.0–3.0, Fortran-order files (reordered to C order) and float64
/// files (converted to float32, as a user's np.save of a default-typed array gives).</summary>
public static class NpyFile
{
    private static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    /// <summary>Reads a file. Its header is checked against the file's length before anything is allocated (NpyHeader);
    /// the data is then read in blocks straight into the result, so memory is the array itself.</summary>
    public static NpyArray Read(string path)
    {
        FileStream fs;
        try { fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan); }
        catch (IOException e) { throw new DataFormatException($"cannot read '{path}': {e.Message}", e); }
        using (fs) return Read(fs, fs.Length, Path.GetFileName(path));
    }

    public static NpyArray Read(byte[] b, string what = "npy data")
    {
        using var s = new MemoryStream(b, writable: false);
        return Read(s, b.Length, what);
    }

    private static NpyArray Read(Stream s, long length, string what)
    {
        var h = NpyHeader.Read(s, length, what);
        var sh = h.Shape;
        int n = h.Count;
        float[]? f = h.Descr is "<f4" or "<f8" ? new float[n] : null;
        long[]? l = h.Descr == "<i8" ? new long[n] : null;
        sbyte[]? b = f == null && l == null ? new sbyte[n] : null;
        var order = new FileOrder(sh, h.FortranOrder);
        var block = new byte[64 * 1024]; // a whole number of elements of every size
        for (int done = 0; done < n;)
        {
            int take = (int)Math.Min(n - done, block.Length / h.ElementSize);
            var span = block.AsSpan(0, take * h.ElementSize);
            s.ReadExactly(span);
            for (int i = 0; i < take; i++)
            {
                int at = order.Next(); // where the file's next element goes in C order
                switch (h.Descr)
                {
                    case "<f4": f![at] = BinaryPrimitives.ReadSingleLittleEndian(span[(i * 4)..]); break;
                    case "<f8": f![at] = (float)BinaryPrimitives.ReadDoubleLittleEndian(span[(i * 8)..]); break;
                    case "<i8": l![at] = BinaryPrimitives.ReadInt64LittleEndian(span[(i * 8)..]); break;
                    default: b![at] = (sbyte)span[i]; break;
                }
            }
            done += take;
        }
        return f != null ? NpyArray.FromFloat32(sh, f) : l != null ? NpyArray.FromInt64(sh, l) : NpyArray.FromInt8(sh, b!);
    }

    /// <summary>The C-order position of each element in file order: k, k+1, … for C order; for Fortran order (first
    /// axis fastest) the position follows the file's index, one step at a time, without a table.</summary>
    private sealed class FileOrder(int[] shape, bool fortran)
    {
        private readonly int[] _index = new int[shape.Length];
        private readonly long[] _stride = CStrides(shape);
        private long _next;

        public int Next()
        {
            long at = _next;
            if (!fortran || shape.Length < 2) { _next++; return (int)at; }
            for (int d = 0; d < shape.Length; d++) // advance the index, first axis fastest
            {
                if (++_index[d] < shape[d]) { _next += _stride[d]; break; }
                _next -= _stride[d] * (shape[d] - 1);
                _index[d] = 0;
            }
            return (int)at;
        }

        private static long[] CStrides(int[] shape)
        {
            var s = new long[shape.Length];
            long acc = 1;
            for (int d = shape.Length - 1; d >= 0; d--) { s[d] = acc; acc *= Math.Max(1, shape[d]); }
            return s;
        }
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

}
