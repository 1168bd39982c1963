using Micro.App;

namespace Micro.Nano.Alarm
{
    /// <summary>
    /// A recording played as the sensor's FIFO: sample j (0-based) is complete at (j + 1) / rate seconds of
    /// the replay clock, and TryRead hands over the complete samples not read yet, oldest first, as a sensor
    /// read at that moment would. The sensor always answers.
    /// </summary>
    public sealed class ReplaySampleSource : ISampleSource
    {
        private readonly int[] samples;
        private readonly int rateMilliHz;
        private readonly ReplayClock clock;
        private int next;

        public ReplaySampleSource(int[] samples, int rateMilliHz, ReplayClock clock)
        {
            this.samples = samples;
            this.rateMilliHz = rateMilliHz;
            this.clock = clock;
        }

        public int SampleRateMilliHz { get { return rateMilliHz; } }

        /// <summary>A replay never loses a sample (the FIFO-overflow path is tested with SimulatedMax30102).</summary>
        public long LostSamples { get { return 0; } }

        /// <summary>True once every sample has been read.</summary>
        public bool Finished { get { return next >= samples.Length; } }

        public bool TryStart()
        {
            return true;
        }

        public bool TryRead(int[] buffer, int maxSamples, out int count)
        {
            // Samples complete by now: floor(now × rate / 1000 s) (rate in mHz, now in ms).
            long complete = clock.UptimeMs * rateMilliHz / 1000000;
            if (complete > samples.Length) complete = samples.Length;
            count = 0;
            while (next < complete && count < maxSamples)
            {
                buffer[count++] = samples[next++];
            }
            return true;
        }
    }
}
