using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Micro.Tooling.Serial.Windows;

/// <summary>
/// A COM port on Windows: CreateFile on <c>\\.\COMn</c>, DCB set to binary 8N1 without flow control (DTR and RTS
/// held on, as Linux and macOS do on open), synchronous ReadFile/WriteFile bounded by COMMTIMEOUTS.
/// Compiled everywhere, run only on Windows (not tested here).
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class WindowsSerialLink : ISerialLink
{
    private readonly SafeFileHandle _file;
    private uint _readMs = uint.MaxValue - 1, _writeMs = uint.MaxValue - 1; // what COMMTIMEOUTS currently holds

    private WindowsSerialLink(SafeFileHandle file, string port, int baud)
    {
        _file = file;
        PortName = port;
        BaudRate = baud;
    }

    public string PortName { get; }

    public int BaudRate { get; }

    /// <summary><c>COM3</c> → <c>\\.\COM3</c> (needed from COM10 on, harmless below).</summary>
    internal static string DevicePath(string port) => port.StartsWith(@"\\", StringComparison.Ordinal) ? port : @"\\.\" + port;

    internal static WindowsSerialLink Open(string port, int baud)
    {
        var file = Kernel32.CreateFile(DevicePath(port), Kernel32.GenericRead | Kernel32.GenericWrite, 0, IntPtr.Zero, Kernel32.OpenExisting, 0, IntPtr.Zero);
        if (file.IsInvalid) throw Fail(port, Marshal.GetLastPInvokeError());
        try
        {
            var dcb = new Kernel32.Dcb { DcbLength = (uint)Marshal.SizeOf<Kernel32.Dcb>() };
            if (!Kernel32.GetCommState(file, ref dcb))
            {
                int error = Marshal.GetLastPInvokeError();
                throw new SerialPortException(SerialErrorKind.NotASerialPort, port, $"{port} is not a serial port ({Marshal.GetPInvokeErrorMessage(error)})", error);
            }
            dcb.DcbLength = (uint)Marshal.SizeOf<Kernel32.Dcb>();
            dcb.BaudRate = (uint)baud;
            dcb.Flags = Kernel32.DcbBinary | Kernel32.DcbDtrControlEnable | Kernel32.DcbRtsControlEnable; // no parity check, no CTS/DSR/XON flow, no abort-on-error
            dcb.ByteSize = 8;
            dcb.Parity = Kernel32.NoParity;
            dcb.StopBits = Kernel32.OneStopBit;
            dcb.XonChar = 0x11; // SetCommState rejects equal XON and XOFF characters even when unused
            dcb.XoffChar = 0x13;
            if (!Kernel32.SetCommState(file, ref dcb))
            {
                int error = Marshal.GetLastPInvokeError();
                throw new SerialPortException(SerialErrorKind.UnsupportedSetting, port, $"could not set {baud} baud 8N1 on {port}: {Marshal.GetPInvokeErrorMessage(error)}", error);
            }
            Kernel32.SetupComm(file, 4096, 4096); // a hint; drivers may ignore it
            var link = new WindowsSerialLink(file, port, baud);
            link.SetTimeouts(0, 1000);
            return link;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public int Read(Span<byte> buffer, TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_file.IsClosed, this);
        if (buffer.IsEmpty) return 0;
        SetTimeouts(Milliseconds(timeout), _writeMs);
        if (!Kernel32.ReadFile(_file, ref MemoryMarshal.GetReference(buffer), buffer.Length, out int read, IntPtr.Zero))
            throw Lost(Marshal.GetLastPInvokeError()); // after unplugging: ERROR_ACCESS_DENIED, ERROR_GEN_FAILURE, ERROR_DEVICE_NOT_CONNECTED …
        return read;
    }

    public void Write(ReadOnlySpan<byte> data, TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_file.IsClosed, this);
        SetTimeouts(_readMs, Math.Max(1, Milliseconds(timeout)));
        while (!data.IsEmpty)
        {
            if (!Kernel32.WriteFile(_file, ref MemoryMarshal.GetReference(data), data.Length, out int written, IntPtr.Zero))
                throw Lost(Marshal.GetLastPInvokeError());
            if (written == 0)
                throw new SerialPortException(SerialErrorKind.Timeout, PortName, $"writing to {PortName} timed out ({data.Length} bytes not sent)");
            data = data[written..];
        }
    }

    public void Dispose() => _file.Dispose();

    /// <summary>
    /// Read: ReadIntervalTimeout = ReadTotalTimeoutMultiplier = MAXDWORD and a constant in (0, MAXDWORD) makes ReadFile
    /// return at once with what is buffered, else with the first bytes to arrive, else with 0 after the constant.
    /// A zero read time (interval MAXDWORD, others 0) returns at once. Write: one constant for the whole call.
    /// </summary>
    private void SetTimeouts(uint readMs, uint writeMs)
    {
        if (readMs == _readMs && writeMs == _writeMs) return;
        var t = readMs == 0
            ? new Kernel32.CommTimeouts { ReadIntervalTimeout = Kernel32.MaxDword }
            : new Kernel32.CommTimeouts { ReadIntervalTimeout = Kernel32.MaxDword, ReadTotalTimeoutMultiplier = Kernel32.MaxDword, ReadTotalTimeoutConstant = readMs };
        t.WriteTotalTimeoutConstant = writeMs;
        if (!Kernel32.SetCommTimeouts(_file, ref t)) throw Lost(Marshal.GetLastPInvokeError());
        _readMs = readMs;
        _writeMs = writeMs;
    }

    private static uint Milliseconds(TimeSpan t) => t <= TimeSpan.Zero ? 0 : (uint)Math.Min(t.TotalMilliseconds, int.MaxValue);

    private SerialPortException Lost(int error) =>
        new(SerialErrorKind.Lost, PortName, $"{PortName}: {Marshal.GetPInvokeErrorMessage(error)} (error {error})", error);

    private static SerialPortException Fail(string port, int error)
    {
        string os = Marshal.GetPInvokeErrorMessage(error);
        return error switch
        {
            Kernel32.ErrorFileNotFound or Kernel32.ErrorPathNotFound =>
                new(SerialErrorKind.NotFound, port, $"serial port {port} not found. {SerialPortNames.Describe()}", error),
            Kernel32.ErrorAccessDenied or Kernel32.ErrorSharingViolation =>
                new(SerialErrorKind.Busy, port, $"{port} is in use by another program (close other serial monitors) or access is denied", error),
            _ => new(SerialErrorKind.Other, port, $"could not open {port}: {os} (error {error})", error),
        };
    }
}
