// Compile-only reference declaration: lets host builds compile device code. Not the real implementation;
// every member throws NotSupportedException. Signature source: nanoframework/System.IO.Ports (main, System.IO.Ports/StopBits.cs), package nanoFramework.System.IO.Ports 1.1.x.

namespace System.IO.Ports
{
    public enum StopBits
    {
        One = 1,
        Two = 2,
        OnePointFive = 3
    }
}
