using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Micro.Tooling.Serial.Unix;

/// <summary>
/// The few libc calls the serial link needs. Only functions with fixed arguments are called as such
/// (open without O_CREAT never reads its optional mode); ioctl is used on Linux only, where variadic
/// arguments travel like fixed ones on x86-64 and arm64 (not so on Apple arm64, hence no ioctl on macOS).
/// </summary>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
internal static class LibC
{
    private const string Lib = "libc";

    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    internal const short PollIn = 0x001, PollOut = 0x004, PollErr = 0x008, PollHup = 0x010, PollNval = 0x020; // same on Linux and macOS

    [DllImport(Lib, EntryPoint = "open", SetLastError = true)]
    internal static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport(Lib, EntryPoint = "close", SetLastError = true)]
    internal static extern int Close(int fd);

    [DllImport(Lib, EntryPoint = "read", SetLastError = true)]
    internal static extern nint Read(int fd, ref byte buffer, nuint count);

    [DllImport(Lib, EntryPoint = "write", SetLastError = true)]
    internal static extern nint Write(int fd, ref byte buffer, nuint count);

    /// <summary>nfds_t is unsigned long on Linux and unsigned int on macOS; 1 passed in a register reads the same.</summary>
    [DllImport(Lib, EntryPoint = "poll", SetLastError = true)]
    internal static extern int Poll(ref PollFd fds, nuint count, int timeoutMs);

    // Linux: the kernel's struct termios2 through ioctl (independent of the C library's termios and its speed encoding).
    [DllImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    internal static extern int Ioctl(int fd, nuint request, [In, Out] byte[] arg);

    // macOS: the C library's termios (struct layout and speed_t = long, see MacTermios).
    [DllImport(Lib, EntryPoint = "tcgetattr", SetLastError = true)]
    internal static extern int TcGetAttr(int fd, [In, Out] byte[] termios);

    [DllImport(Lib, EntryPoint = "tcsetattr", SetLastError = true)]
    internal static extern int TcSetAttr(int fd, int optionalActions, [In] byte[] termios);

    [DllImport(Lib, EntryPoint = "cfmakeraw")]
    internal static extern void CfMakeRaw([In, Out] byte[] termios);

    [DllImport(Lib, EntryPoint = "cfsetspeed", SetLastError = true)]
    internal static extern int CfSetSpeedMac([In, Out] byte[] termios, nint speed);

    [DllImport(Lib, EntryPoint = "cfgetospeed")]
    internal static extern nint CfGetOSpeedMac([In] byte[] termios);
}
