// Compile-only reference declaration: lets host builds compile Meadow code. Interfaces and enums only, so
// there is nothing to run. Signature source: WildernessLabs/Meadow.Contracts (Source/Meadow.Contracts/Hardware/DuplexType.cs), package Meadow.Contracts.

namespace Meadow.Hardware
{
    public enum DuplexType
    {
        Half,
        Full
    }
}
