namespace Micro.Drivers
{
    /// <summary>Why the last <c>Try…</c> call of <see cref="Max30102"/> returned false.</summary>
    public enum Max30102Error
    {
        /// <summary>The last call succeeded.</summary>
        None = 0,
        /// <summary>The I2C transaction failed (sensor unplugged, unpowered, wrong address or bus fault); see <see cref="Max30102.LastBusStatus"/>.</summary>
        BusError = 1,
        /// <summary>A device answered at the address but its part ID is not 0x15; see <see cref="Max30102.PartId"/>.</summary>
        WrongPartId = 2,
        /// <summary>The RESET bit did not clear within the poll limit.</summary>
        ResetTimeout = 3,
        /// <summary>A die temperature conversion is still running.</summary>
        NotReady = 4,
        /// <summary>The configuration breaks a datasheet rule; nothing was written.</summary>
        InvalidConfiguration = 5,
        /// <summary>Samples were requested before a successful configuration (or after a reset).</summary>
        NotConfigured = 6
    }
}
