// Compile-only reference declaration: lets host builds compile device code. Not the real implementation;
// every member throws NotSupportedException. Signature source: nanoframework/System.Device.Gpio (main, System.Device.Gpio/PinValue.cs), package nanoFramework.System.Device.Gpio 1.1.x.

namespace System.Device.Gpio
{
    public readonly struct PinValue
    {
        public static PinValue High { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }

        public static PinValue Low { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }

        public static implicit operator PinValue(int value) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public static implicit operator PinValue(bool value) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public static explicit operator byte(PinValue value) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public static explicit operator int(PinValue value) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public static explicit operator bool(PinValue value) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public bool Equals(PinValue other) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public override bool Equals(object obj) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public static bool operator ==(PinValue a, PinValue b) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public static bool operator !=(PinValue a, PinValue b) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public override int GetHashCode() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public override string ToString() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
    }
}
