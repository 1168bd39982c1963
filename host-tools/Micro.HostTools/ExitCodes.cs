namespace Micro.HostTools;

/// <summary>Process exit codes of every verb.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The work ran and found a problem (verify below target, a blob that does not fit the board).</summary>
    public const int CheckFailed = 1;
    /// <summary>Bad input: malformed model, blob, data file or arguments. Nothing was written.</summary>
    public const int BadInput = 2;
    /// <summary>An I/O failure (file system, serial port).</summary>
    public const int IoError = 3;
}
