// Compile-only reference declaration: lets host builds compile device code. Not the real implementation;
// every member throws NotSupportedException. Signature source: nanoframework/System.Device.I2c (main, System.Device.I2c/I2cDevice.cs), package nanoFramework.System.Device.I2c 1.1.x.

namespace System.Device.I2c
{
    public class I2cDevice : IDisposable
    {
        public I2cDevice(I2cConnectionSettings settings) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public I2cConnectionSettings ConnectionSettings { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }

        public static I2cDevice Create(I2cConnectionSettings settings) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public byte ReadByte() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public I2cTransferResult Read(SpanByte buffer) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public I2cTransferResult WriteByte(byte value) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public I2cTransferResult Write(SpanByte buffer) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public I2cTransferResult WriteRead(SpanByte writeBuffer, SpanByte readBuffer) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public void Dispose() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
    }
}
