// Compile-only reference declaration: lets host builds compile Meadow code. Not the real implementation;
// every member throws NotSupportedException. Signature source: WildernessLabs/Meadow.Core (develop,
// Source/implementations/f7/Meadow.F7/Devices/F7MicroBase.cs, F7MicroBase.ISerialController.cs,
// F7MicroBase.II2cController.cs), package Meadow.F7. Only the members the firmware uses; the real class
// implements IF7MeadowDevice (an IMeadowDevice).

using System;
using Meadow.Hardware;
using Meadow.Units;

namespace Meadow.Devices
{
    public abstract class F7MicroBase : IMeadowDevice
    {
        public IPlatformOS PlatformOS { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } protected set { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }

        public abstract IPin GetPin(string pinName);

        public abstract IPwmPort CreatePwmPort(IPin pin, Frequency frequency, float dutyCycle = 0.5f, bool inverted = false);

        public ISerialPort CreateSerialPort(SerialPortName portName, int baudRate = 9600, int dataBits = 8, Parity parity = Parity.None, StopBits stopBits = StopBits.One, int readBufferSize = 1024)
        {
            throw new NotSupportedException("compile-only reference declaration; the real package runs on the device");
        }

        public abstract II2cBus CreateI2cBus(int busNumber = 1, I2cBusSpeed busSpeed = I2cBusSpeed.Standard);
    }
}
