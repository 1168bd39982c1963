// Compile-only reference declaration: lets host builds compile device code. Not the real implementation;
// every member throws NotSupportedException. Signature source: nanoframework/System.Device.I2c (main, System.Device.I2c/I2cConnectionSettings.cs), package nanoFramework.System.Device.I2c 1.1.x.

namespace System.Device.I2c
{
    public sealed class I2cConnectionSettings
    {
        public I2cConnectionSettings(int busId, int deviceAddress) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public I2cConnectionSettings(int busId, int deviceAddress, I2cBusSpeed busSpeed) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public int BusId { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }

        public int DeviceAddress { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }

        public I2cBusSpeed BusSpeed { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }
    }
}
