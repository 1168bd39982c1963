using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Micro.Tooling.Serial.Unix;

/// <summary>
/// A serial port on Linux or macOS: open(2) with O_RDWR|O_NOCTTY|O_NONBLOCK|O_CLOEXEC, termios set to raw 8N1,
/// reads and writes driven by poll(2) so every wait has a timeout. The descriptor stays non-blocking.
/// </summary>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
internal sealed class UnixSerialLink : ISerialLink
{
    private readonly FileDescriptor _fd;
    private readonly UnixConstants _c = UnixConstants.Current;

    private UnixSerialLink(FileDescriptor fd, string port, int baud)
    {
        _fd = fd;
        PortName = port;
        BaudRate = baud;
    }

    public string PortName { get; }

    public int BaudRate { get; }

    internal static UnixSerialLink Open(string port, int baud)
    {
        var c = UnixConstants.Current;
        int fd = LibC.Open(port, c.OpenFlags);
        if (fd < 0) throw Fail(port, "open", Marshal.GetLastPInvokeError());
        var handle = new FileDescriptor(fd);
        try
        {
            int actual = OperatingSystem.IsLinux() ? LinuxTermios.Configure(fd, port, baud)
                : OperatingSystem.IsMacOS() ? MacTermios.Configure(fd, port, baud)
                : throw new PlatformNotSupportedException();
            if (Math.Abs((long)actual - baud) * 100 > 3L * baud) // UARTs tolerate a few percent; more is a wrong rate
                throw new SerialPortException(SerialErrorKind.UnsupportedSetting, port,
                    $"the driver of {port} set {actual} baud when asked for {baud}");
            return new UnixSerialLink(handle, port, baud);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public int Read(Span<byte> buffer, TimeSpan timeout)
    {
        int fd = Descriptor();
        if (buffer.IsEmpty) return 0;
        long deadline = Environment.TickCount64 + Milliseconds(timeout);
        while (true)
        {
            var p = new LibC.PollFd { Fd = fd, Events = LibC.PollIn };
            int ready = LibC.Poll(ref p, 1, RemainingMs(deadline));
            if (ready < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == UnixConstants.EIntr) continue;
                throw Lost(errno);
            }
            if (ready == 0) return 0;
            if ((p.REvents & LibC.PollIn) != 0)
            {
                nint n = LibC.Read(fd, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length);
                if (n > 0) return (int)n;
                if (n == 0) throw new SerialPortException(SerialErrorKind.Lost, PortName, $"{PortName} hung up (device unplugged or closed)");
                int errno = Marshal.GetLastPInvokeError();
                if (errno != _c.EAgain && errno != UnixConstants.EIntr) throw Lost(errno);
            }
            else if ((p.REvents & (LibC.PollHup | LibC.PollErr | LibC.PollNval)) != 0)
            {
                throw new SerialPortException(SerialErrorKind.Lost, PortName, $"{PortName} hung up (device unplugged or closed)");
            }
            if (RemainingMs(deadline) == 0) return 0;
        }
    }

    public void Write(ReadOnlySpan<byte> data, TimeSpan timeout)
    {
        int fd = Descriptor();
        long deadline = Environment.TickCount64 + Milliseconds(timeout);
        while (!data.IsEmpty)
        {
            nint n = LibC.Write(fd, ref MemoryMarshal.GetReference(data), (nuint)data.Length);
            if (n > 0)
            {
                data = data[(int)n..];
                continue;
            }
            int errno = n < 0 ? Marshal.GetLastPInvokeError() : _c.EAgain;
            if (errno == UnixConstants.EIntr) continue;
            if (errno != _c.EAgain) throw Lost(errno);

            int wait = RemainingMs(deadline);
            if (wait == 0)
                throw new SerialPortException(SerialErrorKind.Timeout, PortName, $"writing to {PortName} timed out ({data.Length} bytes not sent)");
            var p = new LibC.PollFd { Fd = fd, Events = LibC.PollOut };
            if (LibC.Poll(ref p, 1, wait) < 0)
            {
                errno = Marshal.GetLastPInvokeError();
                if (errno != UnixConstants.EIntr) throw Lost(errno);
            }
            else if ((p.REvents & (LibC.PollHup | LibC.PollErr | LibC.PollNval)) != 0)
            {
                throw new SerialPortException(SerialErrorKind.Lost, PortName, $"{PortName} hung up");
            }
        }
    }

    public void Dispose() => _fd.Dispose();

    private int Descriptor()
    {
        ObjectDisposedException.ThrowIf(_fd.IsClosed, this);
        return (int)_fd.DangerousGetHandle();
    }

    private SerialPortException Lost(int errno) =>
        new(SerialErrorKind.Lost, PortName, $"{PortName}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})", errno);

    /// <summary>An error while opening or configuring, with the kind a caller can act on.</summary>
    internal static SerialPortException Fail(string port, string what, int errno, bool settings = false)
    {
        string os = Marshal.GetPInvokeErrorMessage(errno);
        (SerialErrorKind kind, string message) = errno switch
        {
            UnixConstants.ENoEnt or UnixConstants.ENxIO or UnixConstants.ENoDev =>
                (SerialErrorKind.NotFound, $"serial port {port} not found ({os}). {SerialPortNames.Describe()}"),
            UnixConstants.EAccess or UnixConstants.EPerm =>
                (SerialErrorKind.AccessDenied, $"permission denied opening {port}. " + (OperatingSystem.IsLinux()
                    ? "Add your user to the group that owns the port (usually 'dialout': sudo usermod -aG dialout $USER), then log in again."
                    : "Check the device's permissions.")),
            UnixConstants.EBusy => (SerialErrorKind.Busy, $"{port} is in use by another program"),
            UnixConstants.ENotTy or UnixConstants.EIsDir => (SerialErrorKind.NotASerialPort, $"{port} is not a serial port ({os})"),
            UnixConstants.EInval when settings => (SerialErrorKind.UnsupportedSetting, $"could not {what} {port}: the driver refused ({os})"),
            UnixConstants.EInval => (SerialErrorKind.NotASerialPort, $"{port} is not a serial port ({os})"),
            UnixConstants.EIO => (SerialErrorKind.Lost, $"could not {what} {port}: {os}"),
            _ => (SerialErrorKind.Other, $"could not {what} {port}: {os} (errno {errno})"),
        };
        return new SerialPortException(kind, port, message, errno);
    }

    private static int Milliseconds(TimeSpan t) => t <= TimeSpan.Zero ? 0 : (int)Math.Min(t.TotalMilliseconds, int.MaxValue / 2);

    private static int RemainingMs(long deadline) => (int)Math.Max(0, deadline - Environment.TickCount64);

    /// <summary>Closes the descriptor exactly once, also if the owner forgot to dispose.</summary>
    private sealed class FileDescriptor : SafeHandle
    {
        public FileDescriptor(int fd) : base(-1, ownsHandle: true) => SetHandle(fd);

        public override bool IsInvalid => handle == -1;

        protected override bool ReleaseHandle() => LibC.Close((int)handle) == 0;
    }
}
