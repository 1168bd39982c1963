// Compile-only reference declaration: lets host builds compile Meadow code. Interfaces carry no code.
// Signature source: WildernessLabs/Meadow.Contracts
// (Source/Meadow.Contracts/Hardware/Contracts/IOControllers/ISerialController.cs), package Meadow.Contracts.

namespace Meadow.Hardware
{
    public interface ISerialController
    {
        ISerialPort CreateSerialPort(
            SerialPortName portName,
            int baudRate = 9600,
            int dataBits = 8,
            Parity parity = Parity.None,
            StopBits stopBits = StopBits.One,
            int readBufferSize = 1024);
    }
}
