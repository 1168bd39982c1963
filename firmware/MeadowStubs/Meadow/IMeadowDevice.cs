// Compile-only reference declaration: lets host builds compile Meadow code. Interfaces carry no code.
// Signature source: WildernessLabs/Meadow.Contracts (Source/Meadow.Contracts/Hardware/IMeadowDevice.cs),
// package Meadow.Contracts. Only the members and base interfaces the firmware uses (the real interface
// derives from a dozen controller interfaces; the firmware only consumes it, so a subset hides nothing).

using Meadow.Hardware;

namespace Meadow
{
    public interface IMeadowDevice : ISerialController, II2cController, IPwmOutputController
    {
        IPin GetPin(string name);

        IPlatformOS PlatformOS { get; }
    }
}
