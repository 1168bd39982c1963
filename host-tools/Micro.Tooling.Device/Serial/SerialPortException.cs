namespace Micro.Tooling.Serial;

/// <summary>What went wrong with a serial port, so callers can choose a message or a retry.</summary>
public enum SerialErrorKind
{
    /// <summary>No such port (not plugged in, wrong name).</summary>
    NotFound,
    /// <summary>The user may not open the port (Linux: not in the port's group, usually <c>dialout</c>).</summary>
    AccessDenied,
    /// <summary>Another program holds the port.</summary>
    Busy,
    /// <summary>The path exists but is not a terminal device (a regular file, a folder).</summary>
    NotASerialPort,
    /// <summary>The driver refused the settings (e.g. a baud rate it cannot do).</summary>
    UnsupportedSetting,
    /// <summary>The port was open and went away: unplugged, hung up, or an I/O error.</summary>
    Lost,
    /// <summary>A write could not complete in time (nobody is draining the other end).</summary>
    Timeout,
    /// <summary>Anything else the operating system reported.</summary>
    Other,
}

/// <summary>A serial port error with its <see cref="Kind"/>, the port name and the operating system's error code.</summary>
public sealed class SerialPortException : IOException
{
    public SerialPortException(SerialErrorKind kind, string port, string message, int nativeError = 0)
        : base(message)
    {
        Kind = kind;
        Port = port;
        NativeError = nativeError;
    }

    public SerialErrorKind Kind { get; }

    public string Port { get; }

    /// <summary>errno on Linux/macOS, GetLastError() on Windows; 0 when not from the operating system.</summary>
    public int NativeError { get; }
}
