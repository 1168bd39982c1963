using Micro.HeartRate;

namespace ChainBench
{
    /// <summary>One recording as the device gets it: integer samples at the sensor rate (accelerometer in mg,
    /// or none) and the sensor description ChainHarness.SettingsFor takes from the recording.</summary>
    public sealed class BenchRecording
    {
        public string Name;
        public string Kind;            // "icu" or "typical"
        public int RateMilliHz;
        public int Polarity;
        public int FlatToleranceCounts;
        public int MinPulseCounts;
        public int[] Ppg;
        public int[] AccX;             // null without an accelerometer
        public int[] AccY;
        public int[] AccZ;

        public bool HasAccelerometer { get { return AccX != null; } }

        /// <summary>Samples at the sensor rate.</summary>
        public int Length { get { return Ppg.Length; } }

        /// <summary>Settings as ChainHarness.SettingsFor builds them: defaults plus the recording's sensor.</summary>
        public HeartRateSettings Settings()
        {
            HeartRateSettings s = new HeartRateSettings();
            s.SampleRateMilliHz = RateMilliHz;
            s.HasAccelerometer = HasAccelerometer;
            s.Polarity = Polarity;
            s.FlatToleranceCounts = FlatToleranceCounts;
            s.MinPulseCounts = MinPulseCounts;
            return s;
        }

        /// <summary>Feeds sample i exactly as ChainHarness.Feed does.</summary>
        public bool Feed(HeartRateMonitor m, int i)
        {
            return AccX != null ? m.AddSample(Ppg[i], AccX[i], AccY[i], AccZ[i]) : m.AddSample(Ppg[i]);
        }
    }
}
