namespace Micro.HeartRate.Signal
{
    /// <summary>
    /// Adaptive motion-artefact canceller: a normalized LMS filter predicts the PPG from the last 4 samples
    /// of each band-passed accelerometer axis and subtracts the prediction, so only the part of the PPG the
    /// movement cannot explain (the pulse) remains. Weights are Q24 in longs; step size μ = 1/100; the
    /// regularizer keeps the step small when the wrist is still.
    /// </summary>
    public sealed class MotionCanceller
    {
        private const int TapsPerAxis = 4;
        private const int TapCount = 3 * TapsPerAxis;
        private const long WeightLimit = 1L << 40;
        private const int StepDivisor = 100;
        private const long Regularizer = 3072;

        private readonly long[] weights = new long[TapCount];
        private readonly int[] taps = new int[TapCount];

        /// <summary>Feeds one band-passed PPG sample with the matching band-passed acceleration; returns the
        /// cleaned PPG.</summary>
        public int Process(int ppg, int ax, int ay, int az)
        {
            int[] u = taps;
            long[] w = weights;
            // Shift each axis's delay line by one and insert the newest value.
            for (int k = TapsPerAxis - 1; k > 0; k--)
            {
                u[k] = u[k - 1];
                u[TapsPerAxis + k] = u[TapsPerAxis + k - 1];
                u[2 * TapsPerAxis + k] = u[2 * TapsPerAxis + k - 1];
            }
            u[0] = ax;
            u[TapsPerAxis] = ay;
            u[2 * TapsPerAxis] = az;

            long predicted = 0;
            long power = Regularizer;
            for (int i = 0; i < TapCount; i++)
            {
                long ui = u[i];
                predicted += (w[i] * ui) >> 24;
                power += ui * ui;
            }
            long error = ppg - predicted;
            if (error > int.MaxValue) error = int.MaxValue;
            if (error < int.MinValue) error = int.MinValue;

            long gain = (error << 24) / (power * StepDivisor);
            for (int i = 0; i < TapCount; i++)
            {
                long wi = w[i] + gain * u[i];
                if (wi > WeightLimit) wi = WeightLimit;
                if (wi < -WeightLimit) wi = -WeightLimit;
                w[i] = wi;
            }
            return (int)error;
        }

        public void Reset()
        {
            System.Array.Clear(weights, 0, TapCount);
            System.Array.Clear(taps, 0, TapCount);
        }
    }
}
