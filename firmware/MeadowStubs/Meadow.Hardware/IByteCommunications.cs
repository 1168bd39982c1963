// Compile-only reference declaration: lets host builds compile Meadow code. Interfaces and enums only, so
// there is nothing to run. Signature source: WildernessLabs/Meadow.Contracts (Source/Meadow.Contracts/Hardware/Contracts/IByteCommunications.cs), package Meadow.Contracts. Only the members the firmware uses (an implementation of the real interface has them all).

using System;

namespace Meadow.Hardware
{
    public interface IByteCommunications
    {
        void Read(Span<byte> readBuffer);

        void Write(Span<byte> writeBuffer);

        void Exchange(Span<byte> writeBuffer, Span<byte> readBuffer, DuplexType duplex = DuplexType.Half);
    }
}
