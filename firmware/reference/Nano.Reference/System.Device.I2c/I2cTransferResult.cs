// Compile-only reference declaration: lets host builds compile device code. Not the real implementation;
// every member throws NotSupportedException. Signature source: nanoframework/System.Device.I2c (main, System.Device.I2c/I2cTransferResult.cs), package nanoFramework.System.Device.I2c 1.1.x.

namespace System.Device.I2c
{
    public struct I2cTransferResult
    {
        public uint BytesTransferred { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }

        public I2cTransferStatus Status { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }
    }
}
