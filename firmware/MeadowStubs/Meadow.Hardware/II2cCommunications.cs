// Compile-only reference declaration: lets host builds compile Meadow code. Interfaces and enums only, so
// there is nothing to run. Signature source: WildernessLabs/Meadow.Contracts (Source/Meadow.Contracts/Hardware/Contracts/PortsAndBuses/II2cCommunications.cs), package Meadow.Contracts.

namespace Meadow.Hardware
{
    public interface II2cCommunications : IByteCommunications
    {
        byte Address { get; }

        II2cBus Bus { get; }
    }
}
