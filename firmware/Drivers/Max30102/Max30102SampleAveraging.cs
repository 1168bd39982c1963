namespace Micro.Drivers
{
    /// <summary>
    /// SMP_AVE[2:0]: conversions averaged on chip into one FIFO sample (datasheet table 3).
    /// Values are the register codes; the FIFO sample rate is the sample rate divided by the count.
    /// </summary>
    public enum Max30102SampleAveraging
    {
        /// <summary>No averaging.</summary>
        One = 0,
        /// <summary>2 conversions per FIFO sample.</summary>
        Two = 1,
        /// <summary>4 conversions per FIFO sample.</summary>
        Four = 2,
        /// <summary>8 conversions per FIFO sample.</summary>
        Eight = 3,
        /// <summary>16 conversions per FIFO sample.</summary>
        Sixteen = 4,
        /// <summary>32 conversions per FIFO sample (codes 5, 6 and 7 all mean 32).</summary>
        ThirtyTwo = 5
    }
}
