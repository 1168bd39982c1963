using System.Text;

namespace Micro.Tooling.Data;

/// <summary>
/// Reads text lines with a length limit, so one endless line costs at most the limit in memory instead of the whole
/// file (TextReader.ReadLine keeps all of it). A line ends at <c>\n</c>; one trailing <c>\r</c> is dropped. A line
/// longer than <see cref="MaxLineLength"/> is a <see cref="DataFormatException"/> naming the file, the line and the limit.
/// </summary>
public sealed class BoundedLineReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly string _what, _limitName;
    private readonly char[] _buffer = new char[8192];
    private readonly StringBuilder _line = new();
    private int _at, _end;

    /// <param name="what">The file's name for messages.</param>
    /// <param name="limitName">What the limit is for, as the message says it ("one sample row").</param>
    public BoundedLineReader(TextReader reader, int maxLineLength, string what, string limitName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 1);
        _reader = reader;
        MaxLineLength = maxLineLength;
        _what = what;
        _limitName = limitName;
    }

    /// <summary>Opens a file (UTF-8, a byte-order mark skipped).</summary>
    public static BoundedLineReader Open(string path, int maxLineLength, string limitName) =>
        new(new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true), maxLineLength, Path.GetFileName(path), limitName);

    public int MaxLineLength { get; }

    /// <summary>1-based number of the line last returned.</summary>
    public int LineNumber { get; private set; }

    /// <summary>The next line without its line ending, or null at the end.</summary>
    public string? ReadLine()
    {
        _line.Clear();
        bool any = false;
        while (true)
        {
            if (_at == _end)
            {
                _end = _reader.Read(_buffer, 0, _buffer.Length);
                _at = 0;
                if (_end <= 0)
                {
                    _end = 0;
                    if (!any) return null;
                    break;
                }
            }
            any = true;
            int nl = Array.IndexOf(_buffer, '\n', _at, _end - _at);
            int stop = nl < 0 ? _end : nl;
            if (_line.Length + (stop - _at) > MaxLineLength + 1) // + 1: room for a '\r' before the '\n'
                throw new DataFormatException(
                    $"{_what} line {LineNumber + 1} is longer than {MaxLineLength:N0} characters, the limit for {_limitName}");
            _line.Append(_buffer, _at, stop - _at);
            _at = stop;
            if (nl >= 0) { _at++; break; }
        }
        LineNumber++;
        if (_line.Length > 0 && _line[^1] == '\r') _line.Length--;
        if (_line.Length > MaxLineLength)
            throw new DataFormatException($"{_what} line {LineNumber} is longer than {MaxLineLength:N0} characters, the limit for {_limitName}");
        return _line.ToString();
    }

    public void Dispose() => _reader.Dispose();
}
