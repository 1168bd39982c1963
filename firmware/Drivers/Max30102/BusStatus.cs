namespace Micro.Drivers
{
    /// <summary>Outcome of one bus transaction, as reported by an <see cref="IRegisterBus"/>.</summary>
    public enum BusStatus
    {
        /// <summary>Every byte was transferred.</summary>
        Ok = 0,

        /// <summary>The device did not acknowledge its address: unplugged, unpowered or wrong address.</summary>
        NotAcknowledged = 1,

        /// <summary>The transfer started but stopped early (some bytes were transferred).</summary>
        Partial = 2,

        /// <summary>Any other bus failure (clock stretch timeout, arbitration, driver error).</summary>
        Failed = 3
    }
}
