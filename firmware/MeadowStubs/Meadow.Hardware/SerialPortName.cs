// Compile-only reference declaration: lets host builds compile Meadow code. Not the real implementation;
// every member throws NotSupportedException. Signature source: WildernessLabs/Meadow.Contracts
// (Source/Meadow.Contracts/Hardware/SerialPortName.cs), package Meadow.Contracts. Only the members the
// firmware uses.

using System;

namespace Meadow.Hardware
{
    public class SerialPortName
    {
        public SerialPortName(string friendlyName, string systemName, object controller) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public string FriendlyName { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } set { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }

        public string SystemName { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } set { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }
    }
}
