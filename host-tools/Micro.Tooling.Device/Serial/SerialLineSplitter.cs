using System.Text;

namespace Micro.Tooling.Serial;

/// <summary>
/// Turns a byte stream into lines: splits on <c>\n</c>, drops one trailing <c>\r</c>, accepts printable ASCII and tab.
/// Anything else becomes a <see cref="SerialGarbageReceived"/> and the next line starts fresh, so noise never costs
/// the good lines after it. A line longer than <see cref="MaxLineLength"/> is reported once as
/// <see cref="SerialGarbageKind.Overlong"/> when it ends, however long it was; bytes after the limit are not kept.
/// <para>
/// With a <see cref="LineStart"/> tag (the alert protocol's <c>MHR,</c>) it also resynchronises on the tag anywhere in
/// the stream: what came before the tag since the last <c>\n</c> is reported on its own (a cut line as
/// <see cref="SerialGarbageKind.Incomplete"/>, noise as garbage, text as a line) and the tag starts a new line, so
/// noise without a newline, or a board that resets mid-line, costs one report and never the next good line.
/// </para>
/// Holds at most <see cref="MaxLineLength"/> + 1 bytes; allocates only the strings it hands out.
/// </summary>
public sealed class SerialLineSplitter
{
    public const int DefaultMaxLineLength = 512;

    private const int PreviewBytes = 32;

    private readonly byte[] _line;
    private readonly byte[] _tag;     // empty: no resynchronisation
    private readonly byte[] _recent;  // the last _tag.Length bytes seen, as a ring
    private long _seen;               // bytes seen (position in the ring)
    private int _count;               // bytes kept in _line
    private long _overlong;           // > 0: bytes in the current overlong line so far (the kept ones included)
    private string _overlongPreview = "";

    /// <param name="maxLineLength">Longest accepted line in bytes, without its line ending.</param>
    /// <param name="lineStart">Tag every line starts with, to resynchronise on (printable ASCII, no space); null: none.</param>
    public SerialLineSplitter(int maxLineLength = DefaultMaxLineLength, string? lineStart = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLineLength, 1 << 20);
        if (lineStart != null && (lineStart.Length == 0 || lineStart.Length > maxLineLength || lineStart.Any(c => c is <= ' ' or > '~')))
            throw new ArgumentException($"line start tag '{lineStart}' must be 1..{maxLineLength} printable ASCII characters without spaces", nameof(lineStart));
        MaxLineLength = maxLineLength;
        LineStart = lineStart;
        _line = new byte[maxLineLength + 1]; // room for the '\r' of a line exactly at the limit
        _tag = lineStart == null ? [] : Encoding.ASCII.GetBytes(lineStart);
        _recent = new byte[_tag.Length];
    }

    /// <summary>Longest accepted line, in bytes, without its line ending.</summary>
    public int MaxLineLength { get; }

    /// <summary>The tag a line starts with, resynchronised on; null when there is none.</summary>
    public string? LineStart { get; }

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
                _overlong++;
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
            if (_tag.Length > 0 && TagEndsAt(b)) Resynchronise(at, emit);
        }
    }

    /// <summary>Reports a pending partial line as <see cref="SerialGarbageKind.Incomplete"/> (or the overlong one) and forgets it.</summary>
    public void FlushPartialLine(DateTimeOffset at, Action<SerialEvent> emit)
    {
        if (_overlong > 0)
            emit(new SerialGarbageReceived(at, SerialGarbageKind.Overlong, Count(_overlong), _overlongPreview));
        else if (_count > 0)
            emit(new SerialGarbageReceived(at, SerialGarbageKind.Incomplete, _count, Preview(_line.AsSpan(0, _count))));
        ForgetLine();
    }

    /// <summary>Forgets any partial line (and a partly seen tag) without reporting it, as after reopening the port.</summary>
    public void Reset()
    {
        ForgetLine();
        _seen = 0;
    }

    private void ForgetLine()
    {
        _count = 0;
        _overlong = 0;
        _overlongPreview = "";
    }

    /// <summary>True when <paramref name="b"/> completes the tag (the last bytes seen, <c>\n</c> included, spell it).</summary>
    private bool TagEndsAt(byte b)
    {
        int n = _tag.Length;
        _recent[(int)(_seen++ % n)] = b;
        if (_seen < n) return false;
        for (int i = 0; i < n; i++)
            if (_recent[(int)((_seen - n + i) % n)] != _tag[i]) return false;
        return true;
    }

    /// <summary>The tag just arrived: what came before it on this line is reported by itself, and the tag starts the line.</summary>
    private void Resynchronise(DateTimeOffset at, Action<SerialEvent> emit)
    {
        int before = _tag.Length; // the tag's bytes are already in the pending line
        if (_overlong > 0)
        {
            long total = _overlong - before;
            if (total > 0) emit(new SerialGarbageReceived(at, SerialGarbageKind.Overlong, Count(total), _overlongPreview));
        }
        else if (_count > before)
        {
            var earlier = _line.AsSpan(0, _count - before);
            bool blank = !earlier.ContainsAnyExcept((byte)' ', (byte)'\t', (byte)'\r'); // not worth a report
            if (blank) { }
            else if (earlier.StartsWith(_tag))
                emit(new SerialGarbageReceived(at, SerialGarbageKind.Incomplete, earlier.Length, Preview(earlier)));
            else if (!IsText(earlier))
                emit(new SerialGarbageReceived(at, SerialGarbageKind.NonText, earlier.Length, Preview(earlier)));
            else
                emit(new SerialLineReceived(at, Encoding.ASCII.GetString(earlier)));
        }
        else if (_count == before)
        {
            return; // the tag at the start of a line: nothing before it
        }
        ForgetLine();
        _tag.CopyTo(_line, 0);
        _count = _tag.Length;
    }

    private void EndLine(DateTimeOffset at, Action<SerialEvent> emit)
    {
        if (_overlong > 0)
        {
            long total = _overlong;
            string preview = _overlongPreview;
            ForgetLine();
            emit(new SerialGarbageReceived(at, SerialGarbageKind.Overlong, Count(total), preview));
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

    private static int Count(long bytes) => (int)Math.Min(bytes, int.MaxValue); // a run past 2 GiB says 2 GiB

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
