// Compile-only reference declaration: lets host builds compile device code. Not the real implementation;
// every member throws NotSupportedException. Signature source: nanoframework/System.Device.Gpio (main, System.Device.Gpio/GpioPin.cs), package nanoFramework.System.Device.Gpio 1.1.x.

namespace System.Device.Gpio
{
    public sealed class GpioPin : IDisposable
    {
        private GpioPin() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public int PinNumber { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }

        public PinMode GetPinMode() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public void SetPinMode(PinMode value) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public PinValue Read() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public void Write(PinValue value) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public void Toggle() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public void Dispose() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
    }
}
