using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Micro.Tooling.Serial.Windows;

/// <summary>The Win32 communications calls the serial link needs (winbase.h; documented on learn.microsoft.com).</summary>
[SupportedOSPlatform("windows")]
internal static class Kernel32
{
    private const string Lib = "kernel32.dll";

    internal const uint GenericRead = 0x80000000, GenericWrite = 0x40000000, OpenExisting = 3;
    internal const int ErrorFileNotFound = 2, ErrorPathNotFound = 3, ErrorAccessDenied = 5, ErrorSharingViolation = 32,
        ErrorInvalidParameter = 87;

    /// <summary>DCB, 28 bytes. <see cref="Flags"/> holds the bit fields fBinary (bit 0) … fAbortOnError (bit 14).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Dcb
    {
        public uint DcbLength;
        public uint BaudRate;
        public uint Flags;
        public ushort Reserved;
        public ushort XonLim;
        public ushort XoffLim;
        public byte ByteSize;
        public byte Parity;
        public byte StopBits;
        public byte XonChar;
        public byte XoffChar;
        public byte ErrorChar;
        public byte EofChar;
        public byte EvtChar;
        public ushort Reserved1;
    }

    internal const uint DcbBinary = 1u << 0;          // fBinary: must be TRUE on Windows
    internal const uint DcbDtrControlEnable = 1u << 4; // fDtrControl = DTR_CONTROL_ENABLE (bits 4-5)
    internal const uint DcbRtsControlEnable = 1u << 12; // fRtsControl = RTS_CONTROL_ENABLE (bits 12-13)
    internal const byte NoParity = 0, OneStopBit = 0;

    [StructLayout(LayoutKind.Sequential)]
    internal struct CommTimeouts
    {
        public uint ReadIntervalTimeout;
        public uint ReadTotalTimeoutMultiplier;
        public uint ReadTotalTimeoutConstant;
        public uint WriteTotalTimeoutMultiplier;
        public uint WriteTotalTimeoutConstant;
    }

    internal const uint MaxDword = 0xFFFFFFFF;

    [DllImport(Lib, EntryPoint = "CreateFileW", CharSet = CharSet.Unicode, SetLastError = true)]
    internal static extern SafeFileHandle CreateFile(string name, uint access, uint share, IntPtr security, uint creation, uint flags, IntPtr template);

    [DllImport(Lib, SetLastError = true)]
    internal static extern bool GetCommState(SafeFileHandle file, ref Dcb dcb);

    [DllImport(Lib, SetLastError = true)]
    internal static extern bool SetCommState(SafeFileHandle file, ref Dcb dcb);

    [DllImport(Lib, SetLastError = true)]
    internal static extern bool SetCommTimeouts(SafeFileHandle file, ref CommTimeouts timeouts);

    [DllImport(Lib, SetLastError = true)]
    internal static extern bool SetupComm(SafeFileHandle file, uint inQueue, uint outQueue);

    [DllImport(Lib, SetLastError = true)]
    internal static extern bool ReadFile(SafeFileHandle file, ref byte buffer, int count, out int read, IntPtr overlapped);

    [DllImport(Lib, SetLastError = true)]
    internal static extern bool WriteFile(SafeFileHandle file, ref byte buffer, int count, out int written, IntPtr overlapped);
}
