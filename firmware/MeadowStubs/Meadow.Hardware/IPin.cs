// Compile-only reference declaration: lets host builds compile Meadow code. Interfaces carry no code.
// Signature source: WildernessLabs/Meadow.Contracts (Source/Meadow.Contracts/Hardware/Contracts/IPin.cs),
// package Meadow.Contracts. Only the members the firmware uses (the real one is IEquatable<IPin> too).

namespace Meadow.Hardware
{
    public interface IPin
    {
        string Name { get; }

        object Key { get; }
    }
}
