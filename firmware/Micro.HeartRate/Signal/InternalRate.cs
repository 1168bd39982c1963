namespace Micro.HeartRate.Signal
{
    /// <summary>The fixed rate every stage after the resampler runs at.</summary>
    public static class InternalRate
    {
        /// <summary>Samples per second after resampling.</summary>
        public const int Hz = 25;

        /// <summary>The same in millihertz (rates are given in mHz so 62.5 Hz is exact).</summary>
        public const int MilliHz = 25000;

        /// <summary>Milliseconds per internal sample.</summary>
        public const int MsPerSample = 40;

        /// <summary>Sub-sample resolution of beat times: one internal sample is this many ticks.</summary>
        public const int TicksPerSample = 16;

        /// <summary>Lowest accepted sensor rate (mHz).</summary>
        public const int MinInputMilliHz = 25000;

        /// <summary>Highest accepted sensor rate (mHz).</summary>
        public const int MaxInputMilliHz = 1000000;
    }
}
