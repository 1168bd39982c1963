// Compile-only reference declaration: lets host builds compile device code. Not the real implementation;
// every member throws NotSupportedException. Signature source: nanoframework/System.Device.I2c (main, System.Device.I2c/I2cTransferStatus.cs), package nanoFramework.System.Device.I2c 1.1.x.

namespace System.Device.I2c
{
    public enum I2cTransferStatus
    {
        UnknownError,
        FullTransfer,
        ClockStretchTimeout,
        PartialTransfer,
        SlaveAddressNotAcknowledged,
    }
}
