// Compile-only reference declaration: lets host builds compile Meadow code. Interfaces carry no code.
// Signature source: WildernessLabs/Meadow.Contracts
// (Source/Meadow.Contracts/Hardware/Contracts/PortsAndBuses/IPwmPort.cs), package Meadow.Contracts. Only the
// members the firmware uses: it only hands the port to PiezoSpeaker. (Real base: IDigitalPort.)

using System;

namespace Meadow.Hardware
{
    public interface IPwmPort : IDisposable
    {
        void Start();

        void Stop();

        double DutyCycle { get; set; }
    }
}
