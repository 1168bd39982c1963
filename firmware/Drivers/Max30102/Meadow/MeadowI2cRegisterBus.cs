using System;
using Meadow.Hardware;

namespace Micro.Drivers
{
    /// <summary>
    /// <see cref="IRegisterBus"/> over Meadow's <see cref="II2cBus"/> (plus the sensor address) or an
    /// <see cref="II2cCommunications"/> (package Meadow.Contracts). Meadow's bus reports faults by
    /// throwing; this adapter turns each one into <see cref="BusStatus.Failed"/>, so the driver still
    /// sees a false return value. Slices are <see cref="Span{T}"/> views: no allocation per transfer.
    /// </summary>
    public sealed class MeadowI2cRegisterBus : IRegisterBus
    {
        private readonly II2cBus _bus;
        private readonly byte _address;
        private readonly II2cCommunications _communications;

        /// <summary>Talks to <paramref name="address"/> on a bus from <c>Device.CreateI2cBus()</c>.</summary>
        public MeadowI2cRegisterBus(II2cBus bus, byte address)
        {
            _bus = bus ?? throw new ArgumentNullException(nameof(bus));
            _address = address;
        }

        /// <summary>Talks through an existing <c>I2cCommunications</c> (bus and address already bound).</summary>
        public MeadowI2cRegisterBus(II2cCommunications communications)
        {
            _communications = communications ?? throw new ArgumentNullException(nameof(communications));
            _bus = communications.Bus;
            _address = communications.Address;
        }

        /// <inheritdoc />
        public BusStatus Write(byte[] buffer, int writeCount)
        {
            try
            {
                var data = new Span<byte>(buffer, 0, writeCount);
                if (_communications != null) _communications.Write(data);
                else _bus.Write(_address, data);
                return BusStatus.Ok;
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
                var write = new Span<byte>(writeBuffer, 0, writeCount);
                var read = new Span<byte>(readBuffer, 0, readCount);
                if (_communications != null) _communications.Exchange(write, read, DuplexType.Half);
                else _bus.Exchange(_address, write, read);
                return BusStatus.Ok;
            }
            catch (Exception)
            {
                return BusStatus.Failed;
            }
        }
    }
}
