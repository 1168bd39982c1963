namespace Micro.Tooling.Serial.Unix;

/// <summary>
/// open(2) flags and errno values that differ between Linux (x86-64, arm64: the asm-generic values) and macOS.
/// Linux values checked against this machine's headers; macOS values from xnu's bsd/sys/fcntl.h and errno.h.
/// </summary>
internal readonly record struct UnixConstants(int ORdWr, int ONoCtty, int ONonBlock, int OCloExec, int EAgain)
{
    internal const int EPerm = 1, ENoEnt = 2, EIntr = 4, EIO = 5, ENxIO = 6, EAccess = 13, EBusy = 16, ENoDev = 19,
        EIsDir = 21, EInval = 22, ENotTy = 25; // same numbers on Linux and macOS

    internal static readonly UnixConstants Linux = new(ORdWr: 0x2, ONoCtty: 0x100, ONonBlock: 0x800, OCloExec: 0x80000, EAgain: 11);
    internal static readonly UnixConstants MacOS = new(ORdWr: 0x2, ONoCtty: 0x20000, ONonBlock: 0x4, OCloExec: 0x1000000, EAgain: 35);

    internal static UnixConstants Current => OperatingSystem.IsMacOS() ? MacOS : Linux;

    internal int OpenFlags => ORdWr | ONoCtty | ONonBlock | OCloExec;
}
