namespace Micro.HeartRate.Alarms
{
    /// <summary>What one analysis step says about an alarm's condition.</summary>
    public enum Evidence
    {
        /// <summary>Nothing can be said (bad signal): onset and clear timers hold.</summary>
        Unknown = 0,

        /// <summary>The condition holds.</summary>
        Present = 1,

        /// <summary>The condition does not hold.</summary>
        Absent = 2,
    }
}
