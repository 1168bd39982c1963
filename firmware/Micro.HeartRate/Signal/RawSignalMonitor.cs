namespace Micro.HeartRate.Signal
{
    /// <summary>
    /// Watches the raw PPG at the sensor rate for conditions the filters would hide: a flat line (every
    /// sample within FlatToleranceCounts of where the run started) and clipping (samples at the ADC limits).
    /// Counters are per analysis step; the caller reads them and calls EndStep.
    /// </summary>
    public sealed class RawSignalMonitor
    {
        private readonly int tolerance;
        private readonly int adcMin;
        private readonly int adcMax;
        private readonly int rateMilliHz;
        private int runStart;
        private long runLength;
        private bool started;
        private int clipped;
        private int samples;

        public RawSignalMonitor(HeartRateSettings settings)
        {
            tolerance = settings.FlatToleranceCounts;
            adcMin = settings.AdcMin;
            adcMax = settings.AdcMax;
            rateMilliHz = settings.SampleRateMilliHz;
        }

        /// <summary>Feeds one raw sample.</summary>
        public void Add(int v)
        {
            if (!started)
            {
                started = true;
                runStart = v;
                runLength = 0;
            }
            int d = v - runStart;
            if (d < 0) d = -d;
            if (d <= tolerance) runLength++;
            else
            {
                runStart = v;
                runLength = 0;
            }
            if (v <= adcMin || v >= adcMax) clipped++;
            samples++;
        }

        /// <summary>How long the raw signal has been flat (ms).</summary>
        public int FlatMs
        {
            get
            {
                long ms = runLength * 1000000L / rateMilliHz;
                return ms > int.MaxValue ? int.MaxValue : (int)ms;
            }
        }

        /// <summary>Fraction of this step's samples at the ADC limits (‰).</summary>
        public int ClippedPermille { get { return samples > 0 ? (int)((long)clipped * 1000 / samples) : 0; } }

        /// <summary>Value the current flat run sits at.</summary>
        public int FlatLevel { get { return runStart; } }

        /// <summary>Starts a new step's clip counters (the flat run continues).</summary>
        /// <summary>Forgets the flat run and the clip counts (after a gap in the samples).</summary>
        public void Reset()
        {
            started = false;
            runStart = 0;
            runLength = 0;
            clipped = 0;
            samples = 0;
        }

        public void EndStep()
        {
            clipped = 0;
            samples = 0;
        }
    }
}
