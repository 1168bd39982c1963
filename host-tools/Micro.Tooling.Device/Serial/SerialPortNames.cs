using Microsoft.Win32;

namespace Micro.Tooling.Serial;

/// <summary>Serial ports that look plugged in right now, for "did you mean" messages and a port list.</summary>
public static class SerialPortNames
{
    /// <summary>
    /// Linux: <c>/dev/ttyUSB*</c>, <c>/dev/ttyACM*</c> and the stable links in <c>/dev/serial/by-id</c>;
    /// macOS: <c>/dev/cu.*</c>; Windows: the COM ports in the registry (HARDWARE\DEVICEMAP\SERIALCOMM).
    /// </summary>
    public static IReadOnlyList<string> List()
    {
        try
        {
            if (OperatingSystem.IsWindows()) return WindowsPorts();
            if (OperatingSystem.IsMacOS()) return Glob("/dev", "cu.*");
            if (OperatingSystem.IsLinux())
                return [.. Glob("/dev", "ttyUSB*"), .. Glob("/dev", "ttyACM*"), .. Glob("/dev/serial/by-id", "*")];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
        }
        return [];
    }

    /// <summary>One sentence naming the ports present, e.g. "Ports present: /dev/ttyACM0."</summary>
    public static string Describe()
    {
        var ports = List();
        return ports.Count == 0 ? "No serial ports found (is the board plugged in?)." : $"Ports present: {string.Join(", ", ports)}.";
    }

    private static List<string> Glob(string dir, string pattern)
    {
        if (!Directory.Exists(dir)) return [];
        var found = Directory.GetFileSystemEntries(dir, pattern).ToList();
        found.Sort(NaturalOrder);
        return found;
    }

    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    private static List<string> WindowsPorts()
    {
        using var key = Registry.LocalMachine.OpenSubKey(@"HARDWARE\DEVICEMAP\SERIALCOMM");
        if (key is null) return [];
        var ports = key.GetValueNames().Select(n => key.GetValue(n) as string).OfType<string>().Distinct().ToList();
        ports.Sort(NaturalOrder);
        return ports;
    }

    /// <summary>ttyUSB2 before ttyUSB10, COM3 before COM10.</summary>
    private static int NaturalOrder(string a, string b)
    {
        int c = a.Length.CompareTo(b.Length);
        return c != 0 && a.TrimEnd("0123456789".ToCharArray()) == b.TrimEnd("0123456789".ToCharArray()) ? c : string.CompareOrdinal(a, b);
    }
}
