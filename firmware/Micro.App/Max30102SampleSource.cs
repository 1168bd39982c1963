using System;
using Micro.Drivers;
using Micro.HeartRate;

namespace Micro.App
{
    /// <summary>
    /// <see cref="ISampleSource"/> over the MAX30102 driver: the IR channel (the stronger PPG at the wrist
    /// or finger), raw 18-bit counts, at the configuration's FIFO rate. The default configuration here is
    /// SpO2 mode, 200 conversions/s averaged by 4 = 50 samples/s (the alarm chain resamples to 25 Hz, so more
    /// would only cost CPU), 411 µs pulses, 18 bits, FIFO roll-over: the 32-sample FIFO holds 640 ms, three
    /// ticks of the default loop.
    /// </summary>
    public sealed class Max30102SampleSource : ISampleSource
    {
        /// <summary>IR counts (18-bit, default LED current) below which no finger or wrist is on the sensor:
        /// only ambient light reaches the photodiode. The usual MAX3010x "finger present" threshold, right for a
        /// fingertip; a wrist reflects less, so boards set their own (<see cref="ContactMinIr"/>, boards/*.json).</summary>
        public const int NoContactIrCounts = 50000;

        /// <summary>The no-contact IR level <see cref="CreateSettings"/> uses (default <see cref="NoContactIrCounts"/>;
        /// the firmware sets the board's sensor.contact_min_ir).</summary>
        public int ContactMinIr = NoContactIrCounts;

        private readonly Max30102 driver;
        private readonly Max30102Configuration configuration;
        private readonly bool useIr;

        /// <summary>Reads through driver with <see cref="DefaultConfiguration"/> (or the one given).</summary>
        public Max30102SampleSource(Max30102 driver, Max30102Configuration configuration)
        {
            if (driver == null) throw new ArgumentNullException("driver");
            this.driver = driver;
            this.configuration = configuration == null ? DefaultConfiguration() : configuration;
            string invalid = this.configuration.Validate();
            if (invalid != null) throw new ArgumentException(invalid);
            useIr = this.configuration.IrChannelIndex >= 0;
            if (!useIr && this.configuration.RedChannelIndex < 0) throw new ArgumentException("the configuration samples neither LED");
        }

        /// <summary>SpO2 mode, 200 sps averaged by 4 (50 Hz FIFO rate), 411 µs / 18 bits, 4096 nA range.</summary>
        public static Max30102Configuration DefaultConfiguration()
        {
            Max30102Configuration c = new Max30102Configuration();
            c.SampleRate = Max30102SampleRate.Sps200;
            c.SampleAveraging = Max30102SampleAveraging.Four;
            return c;
        }

        /// <summary>The driver (LostSamples, LastError, DescribeLastError for diagnostics).</summary>
        public Max30102 Driver { get { return driver; } }

        public Max30102Configuration Configuration { get { return configuration; } }

        public int SampleRateMilliHz { get { return configuration.FifoSampleRateMilliHz; } }

        /// <summary>
        /// Heart-rate settings that describe this sensor: its rate, falling polarity (more blood absorbs
        /// more light, so the raw count drops with each pulse), the ADC limits of the configured resolution
        /// (left-justified 18-bit data), and the no-contact IR level.
        /// </summary>
        public HeartRateSettings CreateSettings()
        {
            HeartRateSettings s = new HeartRateSettings();
            s.SampleRateMilliHz = SampleRateMilliHz;
            s.Polarity = -1;
            s.AdcMin = 0;
            int lowZeroBits = 18 - configuration.ResolutionBits;
            s.AdcMax = Max30102.SampleMask & ~((1 << lowZeroBits) - 1);
            s.ContactMinDc = ContactMinIr;
            return s;
        }

        public bool TryStart()
        {
            return driver.TryInitialize(configuration);
        }

        /// <summary>Samples lost to a full FIFO since the last TryStart, from OVF_COUNTER (the driver's LostSamples).</summary>
        public long LostSamples { get { return driver.LostSamples; } }

        public bool TryRead(int[] buffer, int maxSamples, out int count)
        {
            if (useIr) return driver.TryReadSamples(null, buffer, 0, maxSamples, out count);
            return driver.TryReadSamples(buffer, null, 0, maxSamples, out count);
        }
    }
}
