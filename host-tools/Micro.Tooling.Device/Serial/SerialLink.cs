using Micro.Tooling.Serial.Unix;
using Micro.Tooling.Serial.Windows;

namespace Micro.Tooling.Serial;

/// <summary>Opens a real serial port for the current operating system (no System.IO.Ports).</summary>
public static class SerialLink
{
    public const int DefaultBaudRate = 115200;

    /// <summary>Lowest and highest rate accepted; the driver may refuse rates in between (<see cref="SerialErrorKind.UnsupportedSetting"/>).</summary>
    public const int MinBaudRate = 50, MaxBaudRate = 4_000_000;

    /// <summary>
    /// Opens <paramref name="port"/> as raw 8N1 without flow control at <paramref name="baudRate"/>.
    /// Linux/macOS: a device path (<c>/dev/ttyUSB0</c>, <c>/dev/ttyACM0</c>, <c>/dev/cu.usbserial-0001</c>, a pty or a
    /// link to one). Windows: <c>COM3</c> (the <c>\\.\</c> prefix is added when missing).
    /// Throws <see cref="SerialPortException"/> with a <see cref="SerialErrorKind"/> and a message fit for a user.
    /// </summary>
    public static ISerialLink Open(string port, int baudRate = DefaultBaudRate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(port);
        CheckBaudRate(baudRate);
        if (OperatingSystem.IsWindows()) return WindowsSerialLink.Open(port, baudRate);
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) return UnixSerialLink.Open(port, baudRate);
        throw new PlatformNotSupportedException("serial ports are supported on Linux, macOS and Windows");
    }

    public static void CheckBaudRate(int baudRate)
    {
        if (baudRate < MinBaudRate || baudRate > MaxBaudRate)
            throw new ArgumentOutOfRangeException(nameof(baudRate), baudRate, $"baud rate must be between {MinBaudRate} and {MaxBaudRate}");
    }
}
