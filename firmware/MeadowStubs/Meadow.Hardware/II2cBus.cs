// Compile-only reference declaration: lets host builds compile Meadow code. Interfaces and enums only, so
// there is nothing to run. Signature source: WildernessLabs/Meadow.Contracts (Source/Meadow.Contracts/Hardware/Contracts/PortsAndBuses/II2cBus.cs), package Meadow.Contracts.

using System;

namespace Meadow.Hardware
{
    public interface II2cBus : IDisposable
    {
        I2cBusSpeed BusSpeed { get; set; }

        void Read(byte peripheralAddress, Span<byte> readBuffer);

        void Write(byte peripheralAddress, Span<byte> writeBuffer);

        void Exchange(byte peripheralAddress, Span<byte> writeBuffer, Span<byte> readBuffer);
    }
}
