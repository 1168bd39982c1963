// Compile-only reference declaration: lets host builds compile device code. Not the real implementation;
// every member throws NotSupportedException. Signature source: nanoframework/System.IO.Ports (main, System.IO.Ports/Parity.cs), package nanoFramework.System.IO.Ports 1.1.x.

namespace System.IO.Ports
{
    public enum Parity
    {
        None = 0,
        Odd = 1,
        Even = 2
    }
}
