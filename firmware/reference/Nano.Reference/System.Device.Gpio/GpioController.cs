// Compile-only reference declaration: lets host builds compile device code. Not the real implementation;
// every member throws NotSupportedException. Signature source: nanoframework/System.Device.Gpio (main, System.Device.Gpio/GpioController.cs), package nanoFramework.System.Device.Gpio 1.1.x.

namespace System.Device.Gpio
{
    public sealed class GpioController : IDisposable
    {
        public GpioController() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public GpioPin OpenPin(int pinNumber) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public GpioPin OpenPin(int pinNumber, PinMode mode) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public void ClosePin(int pinNumber) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public PinValue Read(int pinNumber) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public void Write(int pinNumber, PinValue value) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public void Dispose() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
    }
}
