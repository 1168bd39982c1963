using System.Text;

namespace Micro.Tooling.Serial;

/// <summary>
/// Writes text lines to a serial port (or a pty), each ended by <c>\n</c> — the sending side for
/// <c>micro simulate --serial</c>. Lines must be printable ASCII (tab allowed), the same rule the monitor reads by.
/// A lost port throws <see cref="SerialPortException"/> (<see cref="SerialErrorKind.Lost"/>); nothing reconnects here.
/// </summary>
/// <example>
/// <code>
/// using var writer = SerialLineWriter.Open("/dev/ttyUSB0", 115200);
/// writer.WriteLine("HR,72,0");
/// </code>
/// </example>
public sealed class SerialLineWriter : IDisposable
{
    private readonly ISerialLink _link;
    private readonly bool _ownsLink;
    private byte[] _buffer = new byte[256];

    public SerialLineWriter(ISerialLink link, bool ownsLink = true)
    {
        _link = link ?? throw new ArgumentNullException(nameof(link));
        _ownsLink = ownsLink;
    }

    /// <summary>Opens <paramref name="port"/> with <see cref="SerialLink.Open"/>.</summary>
    public static SerialLineWriter Open(string port, int baudRate = SerialLink.DefaultBaudRate) => new(SerialLink.Open(port, baudRate));

    public string PortName => _link.PortName;

    /// <summary>How long one line may wait for room in the driver's buffer.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Sends <paramref name="line"/> followed by <c>\n</c> in one write.</summary>
    public void WriteLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c is < ' ' or > '~' && c != '\t')
                throw new ArgumentException($"line has a character the monitor would reject (U+{(int)c:X4} at {i}); send printable ASCII only", nameof(line));
        }
        if (_buffer.Length < line.Length + 1) _buffer = new byte[Math.Max(line.Length + 1, _buffer.Length * 2)];
        int n = Encoding.ASCII.GetBytes(line, _buffer);
        _buffer[n] = (byte)'\n';
        _link.Write(_buffer.AsSpan(0, n + 1), WriteTimeout);
    }

    /// <summary>Sends bytes as they are (test noise, binary frames).</summary>
    public void WriteRaw(ReadOnlySpan<byte> data) => _link.Write(data, WriteTimeout);

    public void Dispose()
    {
        if (_ownsLink) _link.Dispose();
    }
}
