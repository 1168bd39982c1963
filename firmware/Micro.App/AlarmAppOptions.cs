namespace Micro.App
{
    /// <summary>Timing of the alarm loop. Defaults suit a MAX30102 at 50 samples/s (32-sample FIFO = 640 ms).</summary>
    public sealed class AlarmAppOptions
    {
        /// <summary>Loop period: how often the FIFO is read (ms). Keep well below FIFO depth / sample rate.</summary>
        public int TickMs = 200;

        /// <summary>Largest batch read from the sensor in one call (the MAX30102 FIFO holds 32).</summary>
        public int MaxSamplesPerRead = 32;

        /// <summary>Reads per poll at most (a full batch means more may be waiting).</summary>
        public int MaxReadsPerTick = 4;

        /// <summary>Samples read but not yet analysed that the loop can hold (256 = 5.1 s at 50 Hz): what
        /// absorbs a long analysis step or inference while the sensor keeps being read.</summary>
        public int BufferSamples = 256;

        /// <summary>Load shedding: while at least this many samples wait in the ring (32 = what the FIFO holds,
        /// 640 ms at 50 Hz), the loop is behind the sensor and a classification that falls due is deferred
        /// until the backlog is smaller (HeartRateMonitor.DeferModel): a board too slow to run the network on
        /// every window runs it less often instead of losing samples. An inference started below this leaves
        /// room for 4.5 s of samples (224 in the ring, 32 more in the FIFO) before one is lost: 2.4 times the
        /// 1.9 s of one inference on a board 500× slower than nanoCLR on a PC. 0 = never defer.</summary>
        public int ShedBacklogSamples = 32;

        /// <summary>While analysing, the sensor is read again once this much time (ms) passed since the last
        /// read: between samples and between the network's ops. Keep well below FIFO depth / sample rate.</summary>
        public int PollIntervalMs = 100;

        /// <summary>Failed reads in a row before the sensor is restarted.</summary>
        public int FailedReadsBeforeRestart = 3;

        /// <summary>No sample for this long (ms): the sensor counts as lost (CONTACT alarm, no clinical conclusions).</summary>
        public int SensorLostMs = 2000;

        /// <summary>First wait between restart attempts (ms); doubles after each failed attempt.</summary>
        public int RestartBackoffMinMs = 500;

        /// <summary>Longest wait between restart attempts (ms).</summary>
        public int RestartBackoffMaxMs = 8000;

        /// <summary>Status line period while the sensor is lost (ms); 0 = none.</summary>
        public int LostStatusIntervalMs = 10000;
    }
}
