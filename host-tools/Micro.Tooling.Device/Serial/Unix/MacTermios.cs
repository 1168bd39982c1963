using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Micro.Tooling.Serial.Unix;

/// <summary>
/// Raw 8N1 through macOS's C library termios. Layout from xnu bsd/sys/termios.h for 64-bit processes:
/// tcflag_t and speed_t are 8 bytes (unsigned long / long): c_iflag@0, c_oflag@8, c_cflag@16, c_lflag@24,
/// c_cc[20]@32, c_ispeed@56, c_ospeed@64; 72 bytes. Speeds are plain numbers (B115200 == 115200).
/// Not run here (no macOS machine): written from the header, compiled, untested.
/// </summary>
[SupportedOSPlatform("macos")]
internal static class MacTermios
{
    internal const int Size = 72;
    private const int IFlag = 0, CFlag = 16, Cc = 32;
    private const int VMin = 16, VTime = 17;
    private const int TcSaNow = 0;

    private const ulong IXOn = 0x200, IXOff = 0x400, IXAny = 0x800;
    private const ulong CSize = 0x300, CS8 = 0x300, CStopB = 0x400, CRead = 0x800, ParEnb = 0x1000, CLocal = 0x8000,
        CRtsCts = 0x30000 /* CCTS_OFLOW | CRTS_IFLOW */, CDtrIFlow = 0x40000, CDsrOFlow = 0x80000, CCarOFlow = 0x100000;

    internal static int Configure(int fd, string port, int baud)
    {
        var t = new byte[Size];
        if (LibC.TcGetAttr(fd, t) != 0)
            throw UnixSerialLink.Fail(port, "read the terminal settings of", Marshal.GetLastPInvokeError());
        LibC.CfMakeRaw(t);
        Update(t, IFlag, ~(IXOn | IXOff | IXAny), 0);
        Update(t, CFlag, ~(CSize | ParEnb | CStopB | CRtsCts | CDtrIFlow | CDsrOFlow | CCarOFlow), CS8 | CRead | CLocal);
        t[Cc + VMin] = 1;
        t[Cc + VTime] = 0;
        if (LibC.CfSetSpeedMac(t, baud) != 0 || LibC.TcSetAttr(fd, TcSaNow, t) != 0)
            throw UnixSerialLink.Fail(port, $"set {baud} baud 8N1 on", Marshal.GetLastPInvokeError(), settings: true);

        var back = new byte[Size];
        if (LibC.TcGetAttr(fd, back) != 0)
            throw UnixSerialLink.Fail(port, "read back the terminal settings of", Marshal.GetLastPInvokeError());
        return (int)LibC.CfGetOSpeedMac(back);
    }

    private static void Update(byte[] t, int offset, ulong keep, ulong set)
    {
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(t.AsSpan(offset));
        BinaryPrimitives.WriteUInt64LittleEndian(t.AsSpan(offset), (v & keep) | set);
    }
}
