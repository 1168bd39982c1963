// Compile-only reference declaration: lets host builds compile Meadow code. Enums carry no code.
// Signature source: WildernessLabs/Meadow.Contracts (Source/Meadow.Contracts/Enums/StopBits.cs), package Meadow.Contracts.

namespace Meadow.Hardware
{
    public enum StopBits
    {
        None,
        One,
        Two,
        OnePointFive
    }
}
