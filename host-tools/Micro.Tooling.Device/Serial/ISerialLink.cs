namespace Micro.Tooling.Serial;

/// <summary>
/// An open serial port (or pseudo-terminal) set to raw 8N1, no flow control.
/// One owner at a time: not thread-safe; call <see cref="IDisposable.Dispose"/> after the last read or write returned.
/// </summary>
/// <example>
/// <code>
/// using ISerialLink link = SerialLink.Open("/dev/ttyUSB0", 115200);
/// var buffer = new byte[256];
/// int n = link.Read(buffer, TimeSpan.FromMilliseconds(100)); // 0 = nothing arrived in time
/// </code>
/// </example>
public interface ISerialLink : IDisposable
{
    /// <summary>The name the port was opened with (e.g. <c>/dev/ttyUSB0</c> or <c>COM3</c>).</summary>
    string PortName { get; }

    /// <summary>The baud rate the port was set to.</summary>
    int BaudRate { get; }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for bytes and copies what has arrived (at most the buffer's length).
    /// Returns 0 when nothing arrived in time. Throws <see cref="SerialPortException"/> with
    /// <see cref="SerialErrorKind.Lost"/> when the device went away (unplugged, hung up, I/O error).
    /// </summary>
    int Read(Span<byte> buffer, TimeSpan timeout);

    /// <summary>
    /// Writes all of <paramref name="data"/>, waiting at most <paramref name="timeout"/> for room in the driver's
    /// buffer. Throws <see cref="SerialPortException"/> (<see cref="SerialErrorKind.Timeout"/> or <see cref="SerialErrorKind.Lost"/>).
    /// </summary>
    void Write(ReadOnlySpan<byte> data, TimeSpan timeout);
}
