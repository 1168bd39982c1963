using System;
using System.Device.I2c;

namespace Micro.Drivers
{
    /// <summary>
    /// <see cref="IRegisterBus"/> over nanoFramework's <see cref="I2cDevice"/>
    /// (package nanoFramework.System.Device.I2c). Wraps the caller's arrays in
    /// <see cref="SpanByte"/> views (a stack value, no allocation) and maps
    /// <see cref="I2cTransferStatus"/> to <see cref="BusStatus"/>. Never throws for a bus fault.
    /// </summary>
    public sealed class NanoI2cRegisterBus : IRegisterBus
    {
        private readonly I2cDevice _device;

        /// <summary>Wraps a device already created for the sensor's bus and address, e.g.
        /// <c>I2cDevice.Create(new I2cConnectionSettings(1, Max30102.DefaultI2cAddress, I2cBusSpeed.FastMode))</c>.</summary>
        public NanoI2cRegisterBus(I2cDevice device)
        {
            if (device == null) throw new ArgumentNullException("device");
            _device = device;
        }

        /// <summary>The wrapped device.</summary>
        public I2cDevice Device
        {
            get { return _device; }
        }

        /// <inheritdoc />
        public BusStatus Write(byte[] buffer, int writeCount)
        {
            try
            {
                return Map(_device.Write(new SpanByte(buffer, 0, writeCount)).Status);
            }
            catch (Exception)
            {
                return BusStatus.Failed;
            }
        }

        /// <inheritdoc />
        public BusStatus WriteRead(byte[] writeBuffer, int writeCount, byte[] readBuffer, int readCount)
        {
            try
            {
                return Map(_device.WriteRead(new SpanByte(writeBuffer, 0, writeCount), new SpanByte(readBuffer, 0, readCount)).Status);
            }
            catch (Exception)
            {
                return BusStatus.Failed;
            }
        }

        private static BusStatus Map(I2cTransferStatus status)
        {
            switch (status)
            {
                case I2cTransferStatus.FullTransfer:
                    return BusStatus.Ok;
                case I2cTransferStatus.SlaveAddressNotAcknowledged:
                    return BusStatus.NotAcknowledged;
                case I2cTransferStatus.PartialTransfer:
                    return BusStatus.Partial;
                default:
                    return BusStatus.Failed;
            }
        }
    }
}
