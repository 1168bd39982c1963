namespace Micro.HeartRate.Alarms
{
    /// <summary>An alarm raised or cleared (a preallocated slot, overwritten each step).</summary>
    public sealed class AlarmEvent
    {
        public AlarmKind Kind;

        /// <summary>True when raised, false when cleared.</summary>
        public bool Raised;

        /// <summary>Device uptime at the end of the step (ms).</summary>
        public long UptimeMs;

        /// <summary>Heart rate at the time (bpm), 0 if unknown.</summary>
        public int RateBpm;

        /// <summary>Confidence in the alarm (0..100).</summary>
        public int ConfidencePercent;
    }
}
