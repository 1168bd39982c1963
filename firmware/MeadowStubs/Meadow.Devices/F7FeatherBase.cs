// Compile-only reference declaration: lets host builds compile Meadow code. Not the real implementation;
// every member throws NotSupportedException. Signature source: WildernessLabs/Meadow.Core (develop,
// Source/implementations/f7/Meadow.F7/Devices/F7FeatherBase.cs), package Meadow.F7. Only the members the
// firmware uses.

using System;
using Meadow.Hardware;
using Meadow.Units;

namespace Meadow.Devices
{
    public abstract class F7FeatherBase : F7MicroBase
    {
        public override IPwmPort CreatePwmPort(IPin pin, Frequency frequency, float dutyCycle = 0.5f, bool inverted = false)
        {
            throw new NotSupportedException("compile-only reference declaration; the real package runs on the device");
        }

        public override IPin GetPin(string pinName) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public II2cBus CreateI2cBus(I2cBusSpeed busSpeed = I2cBusSpeed.Standard) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public override II2cBus CreateI2cBus(int busNumber = 1, I2cBusSpeed busSpeed = I2cBusSpeed.Standard)
        {
            throw new NotSupportedException("compile-only reference declaration; the real package runs on the device");
        }
    }
}
