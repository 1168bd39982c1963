namespace Micro.Drivers
{
    /// <summary>
    /// The byte-level I2C operations a register-mapped sensor needs, bound to one device address.
    /// Implementations never throw for a bus fault: they return a <see cref="BusStatus"/>, so a
    /// driver can report an unplugged sensor as a false return value instead of an exception
    /// per read. Buffers are the caller's (allocated once); <c>writeCount</c> and
    /// <c>readCount</c> say how much of each buffer the transaction uses, so a driver
    /// can read a variable number of bytes without allocating.
    /// </summary>
    /// <example>
    /// On nanoFramework: <c>new NanoI2cRegisterBus(I2cDevice.Create(new I2cConnectionSettings(1, 0x57)))</c>;
    /// on Meadow: <c>new MeadowI2cRegisterBus(Device.CreateI2cBus(), 0x57)</c>.
    /// </example>
    public interface IRegisterBus
    {
        /// <summary>Writes the first <paramref name="writeCount"/> bytes of <paramref name="buffer"/> in one transaction (START, address+W, bytes, STOP).</summary>
        BusStatus Write(byte[] buffer, int writeCount);

        /// <summary>
        /// Writes the first <paramref name="writeCount"/> bytes of <paramref name="writeBuffer"/>, then, after a
        /// repeated START, reads <paramref name="readCount"/> bytes into the start of <paramref name="readBuffer"/>.
        /// </summary>
        BusStatus WriteRead(byte[] writeBuffer, int writeCount, byte[] readBuffer, int readCount);
    }
}
