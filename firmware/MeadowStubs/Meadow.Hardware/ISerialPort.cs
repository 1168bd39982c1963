// Compile-only reference declaration: lets host builds compile Meadow code. Interfaces carry no code.
// Signature source: WildernessLabs/Meadow.Contracts
// (Source/Meadow.Contracts/Hardware/Contracts/PortsAndBuses/ISerialPort.cs), package Meadow.Contracts.
// Only the members the firmware uses.

using System;

namespace Meadow.Hardware
{
    public interface ISerialPort : IDisposable
    {
        int BaudRate { get; set; }

        bool IsOpen { get; }

        string PortName { get; }

        void Open();

        void Close();

        int Write(byte[] buffer);

        int Write(byte[] buffer, int offset, int count);
    }
}
