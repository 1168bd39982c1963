// Compile-only reference declaration: lets host builds compile Meadow code. Enums carry no code.
// Signature source: WildernessLabs/Meadow.Contracts (Source/Meadow.Contracts/Enums/Parity.cs), package Meadow.Contracts.

namespace Meadow.Hardware
{
    public enum Parity
    {
        None,
        Odd,
        Even,
    }
}
