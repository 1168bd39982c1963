using System.Buffers.Binary;
using System.Runtime.Versioning;

namespace Micro.Tooling.Serial.Unix;

/// <summary>
/// Raw 8N1 through the kernel's <c>struct termios2</c> (TCGETS2/TCSETS2), bypassing the C library's termios:
/// glibc 2.42 changed what its <c>B115200</c>-style speed values mean (symbol-versioned, and P/Invoke binds the
/// newest version), while the kernel's layout and codes have stayed fixed since 2008.
/// Layout (asm-generic, used by x86-64 and arm64): c_iflag@0, c_oflag@4, c_cflag@8, c_lflag@12 (u32 each),
/// c_line@16, c_cc[19]@17, c_ispeed@36, c_ospeed@40; 44 bytes. Values checked against this machine's headers.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class LinuxTermios
{
    internal const int Size = 44;
    private const int IFlag = 0, OFlag = 4, CFlag = 8, LFlag = 12, Cc = 17, ISpeed = 36, OSpeed = 40;
    private const int VTime = 5, VMin = 6;

    internal const nuint TcGetS2 = 0x802C542A, TcSetS2 = 0x402C542B; // _IOR/_IOW('T', 0x2A/0x2B, struct termios2)

    // c_iflag
    private const uint IgnBrk = 0x1, BrkInt = 0x2, ParMrk = 0x8, InPck = 0x10, IStrip = 0x20, InlCr = 0x40, IgnCr = 0x80,
        ICrNl = 0x100, IUcLc = 0x200, IXOn = 0x400, IXAny = 0x800, IXOff = 0x1000, IMaxBel = 0x2000;
    // c_oflag
    private const uint OPost = 0x1;
    // c_lflag
    private const uint ISig = 0x1, ICanon = 0x2, Echo = 0x8, EchoE = 0x10, EchoK = 0x20, EchoNl = 0x40, IExten = 0x8000;
    // c_cflag
    private const uint CSize = 0x30, CS8 = 0x30, CStopB = 0x40, CRead = 0x80, ParEnb = 0x100, CLocal = 0x800,
        CBaud = 0x100F, BOther = 0x1000, CIBaud = 0x100F0000, CRtsCts = 0x80000000;

    /// <summary>The kernel's fixed speed codes; other rates go as BOTHER with the number in c_ispeed/c_ospeed.</summary>
    private static uint SpeedCode(int baud) => baud switch
    {
        50 => 0x1,
        75 => 0x2,
        110 => 0x3,
        134 => 0x4,
        150 => 0x5,
        200 => 0x6,
        300 => 0x7,
        600 => 0x8,
        1200 => 0x9,
        1800 => 0xA,
        2400 => 0xB,
        4800 => 0xC,
        9600 => 0xD,
        19200 => 0xE,
        38400 => 0xF,
        57600 => 0x1001,
        115200 => 0x1002,
        230400 => 0x1003,
        460800 => 0x1004,
        500000 => 0x1005,
        576000 => 0x1006,
        921600 => 0x1007,
        1000000 => 0x1008,
        1152000 => 0x1009,
        1500000 => 0x100A,
        2000000 => 0x100B,
        2500000 => 0x100C,
        3000000 => 0x100D,
        3500000 => 0x100E,
        4000000 => 0x100F,
        _ => BOther,
    };

    /// <summary>Sets raw 8N1, no flow control, the baud rate; returns the output speed the driver reports back.</summary>
    internal static int Configure(int fd, string port, int baud)
    {
        var t = new byte[Size];
        if (LibC.Ioctl(fd, TcGetS2, t) != 0)
            throw UnixSerialLink.Fail(port, "read the terminal settings of", System.Runtime.InteropServices.Marshal.GetLastPInvokeError());

        Update(t, IFlag, ~(IgnBrk | BrkInt | ParMrk | InPck | IStrip | InlCr | IgnCr | ICrNl | IUcLc | IXOn | IXAny | IXOff | IMaxBel), 0);
        Update(t, OFlag, ~OPost, 0);
        Update(t, LFlag, ~(ISig | ICanon | Echo | EchoE | EchoK | EchoNl | IExten), 0);
        Update(t, CFlag, ~(CSize | ParEnb | CStopB | CRtsCts | CBaud | CIBaud), CS8 | CRead | CLocal | SpeedCode(baud));
        BinaryPrimitives.WriteUInt32LittleEndian(t.AsSpan(ISpeed), (uint)baud);
        BinaryPrimitives.WriteUInt32LittleEndian(t.AsSpan(OSpeed), (uint)baud);
        t[Cc + VMin] = 1;
        t[Cc + VTime] = 0;

        if (LibC.Ioctl(fd, TcSetS2, t) != 0)
            throw UnixSerialLink.Fail(port, $"set {baud} baud 8N1 on", System.Runtime.InteropServices.Marshal.GetLastPInvokeError(), settings: true);

        var back = new byte[Size];
        if (LibC.Ioctl(fd, TcGetS2, back) != 0)
            throw UnixSerialLink.Fail(port, "read back the terminal settings of", System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        uint cflag = BinaryPrimitives.ReadUInt32LittleEndian(back.AsSpan(CFlag));
        if ((cflag & CSize) != CS8 || (cflag & (ParEnb | CStopB | CRtsCts)) != 0)
            throw new SerialPortException(SerialErrorKind.UnsupportedSetting, port, $"the driver of {port} did not accept 8N1 without flow control");
        return (int)BinaryPrimitives.ReadUInt32LittleEndian(back.AsSpan(OSpeed));
    }

    private static void Update(byte[] t, int offset, uint keep, uint set)
    {
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(t.AsSpan(offset));
        BinaryPrimitives.WriteUInt32LittleEndian(t.AsSpan(offset), (v & keep) | set);
    }
}
