using System.Text;

namespace Micro.Tooling.Serial;

/// <summary>
/// Turns a byte stream into lines: splits on <c>\n</c>, drops one trailing <c>\r</c>, accepts printable ASCII and tab.
/// Anything else becomes a <see cref="SerialGarbageReceived"/> and the next line starts fresh, so noise never costs
/// the good lines after it. A line longer than <see cref="MaxLineLength"/> is reported once as
/// <see cref="SerialGarbageKind.Overlong"/> when its <c>\n</c> arrives; bytes after the limit are not kept.
/// Holds at most <see cref="MaxLineLength"/> + 1 bytes; allocates only the strings it hands out.
/// </summary>
public sealed class SerialLineSplitter
{
    public const int DefaultMaxLineLength = 512;

    /// <summary>An overlong run with no <c>\n</c> at all is reported every this many bytes, so endless noise is seen.</summary>
    public const int OverlongReportInterval = 64 * 1024;

    private const int PreviewBytes = 32;

    private readonly byte[] _line;
    private int _count;      // bytes kept in _line
    private int _overlong;   // > 0: bytes in the current overlong line so far (the kept ones included)
    private string _overlongPreview = "";

    public SerialLineSplitter(int maxLineLength = DefaultMaxLineLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLineLength, 1 << 20);
        MaxLineLength = maxLineLength;
        _line = new byte[maxLineLength + 1]; // room for the '\r' of a line exactly at the limit
    }

    /// <summary>Longest accepted line, in bytes, without its line ending.</summary>
    public int MaxLineLength { get; }

    /// <summary>True while part of a line has arrived without its <c>\n</c>.</summary>
    public bool HasPartialLine => _count > 0 || _overlong > 0;

    /// <summary>Feeds bytes; calls <paramref name="emit"/> for each finished line or garbage, stamped <paramref name="at"/>.</summary>
    public void Push(ReadOnlySpan<byte> data, DateTimeOffset at, Action<SerialEvent> emit)
    {
        foreach (byte b in data)
        {
            if (b == (byte)'\n')
            {
                EndLine(at, emit);
            }
            else if (_overlong > 0)
            {
                if (++_overlong % OverlongReportInterval == 0)
                    emit(new SerialGarbageReceived(at, SerialGarbageKind.Overlong, _overlong, _overlongPreview));
            }
            else if (_count < _line.Length)
            {
                _line[_count++] = b;
            }
            else
            {
                _overlong = _count + 1;
                _overlongPreview = Preview(_line.AsSpan(0, _count));
                _count = 0;
            }
        }
    }

    /// <summary>Reports a pending partial line as <see cref="SerialGarbageKind.Incomplete"/> (or the overlong one) and forgets it.</summary>
    public void FlushPartialLine(DateTimeOffset at, Action<SerialEvent> emit)
    {
        if (_overlong > 0)
            emit(new SerialGarbageReceived(at, SerialGarbageKind.Overlong, _overlong, _overlongPreview));
        else if (_count > 0)
            emit(new SerialGarbageReceived(at, SerialGarbageKind.Incomplete, _count, Preview(_line.AsSpan(0, _count))));
        Reset();
    }

    /// <summary>Forgets any partial line without reporting it.</summary>
    public void Reset()
    {
        _count = 0;
        _overlong = 0;
        _overlongPreview = "";
    }

    private void EndLine(DateTimeOffset at, Action<SerialEvent> emit)
    {
        if (_overlong > 0)
        {
            int total = _overlong;
            string preview = _overlongPreview;
            Reset();
            emit(new SerialGarbageReceived(at, SerialGarbageKind.Overlong, total, preview));
            return;
        }
        int n = _count;
        _count = 0;
        int length = n > 0 && _line[n - 1] == (byte)'\r' ? n - 1 : n;
        var bytes = _line.AsSpan(0, length);
        if (length > MaxLineLength)
            emit(new SerialGarbageReceived(at, SerialGarbageKind.Overlong, n, Preview(bytes)));
        else if (!IsText(bytes))
            emit(new SerialGarbageReceived(at, SerialGarbageKind.NonText, n, Preview(bytes)));
        else
            emit(new SerialLineReceived(at, Encoding.ASCII.GetString(bytes)));
    }

    private static bool IsText(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
            if (b is < 0x20 or > 0x7E && b != (byte)'\t') return false;
        return true;
    }

    /// <summary>The first bytes for a user: printable ASCII as is, the rest as <c>\xHH</c>, "…" when cut.</summary>
    public static string Preview(ReadOnlySpan<byte> bytes)
    {
        var s = new StringBuilder();
        foreach (byte b in bytes[..Math.Min(bytes.Length, PreviewBytes)])
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'\\') s.Append((char)b);
            else s.Append("\\x").Append(b.ToString("X2"));
        }
        if (bytes.Length > PreviewBytes) s.Append('…');
        return s.ToString();
    }
}
