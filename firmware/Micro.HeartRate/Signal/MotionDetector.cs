namespace Micro.HeartRate.Signal
{
    /// <summary>
    /// Activity from the band-passed accelerometer: per-axis RMS over the last 8 s in mg (inputs are mg × 4
    /// from the resampler). Moving = RMS above the threshold; the exercise state lasts ExerciseHoldSeconds
    /// past the last movement so the tachycardia limit does not drop while the heart recovers.
    /// </summary>
    public sealed class MotionDetector
    {
        private const int Window = 200;

        private readonly int[] energy = new int[Window];
        private readonly long thresholdSquare3;   // threshold² × 3 (mg²): the window sum's limit per sample
        private readonly int holdSamples;
        private int pos;
        private long sum;
        private int count;
        private bool moving;
        private long sinceMotion = long.MaxValue / 2;

        public MotionDetector(HeartRateSettings settings)
        {
            thresholdSquare3 = (long)settings.MotionThresholdMg * settings.MotionThresholdMg * 3L;
            holdSamples = settings.ExerciseHoldSeconds * InternalRate.Hz;
        }

        /// <summary>Feeds one internal sample of band-passed acceleration (mg × 4 per axis).</summary>
        public void Add(int ax, int ay, int az)
        {
            // Per-sample energy in mg², summed over the axes; capped so the window sum cannot overflow.
            long e = ((long)ax * ax + (long)ay * ay + (long)az * az) >> 4;
            if (e > 100000000) e = 100000000;
            int[] en = energy;
            int p = pos;
            long s = sum + (e - en[p]);
            sum = s;
            en[p] = (int)e;
            pos = p + 1 == Window ? 0 : p + 1;
            int c = count;
            if (c < Window) count = ++c;
            // The state only changes here: kept for IsMoving (read every sample by the chain).
            bool m = s > thresholdSquare3 * c;
            moving = m;
            if (m) sinceMotion = 0;
            else sinceMotion++;
        }

        /// <summary>Per-axis RMS acceleration over the window (mg).</summary>
        public int RmsMg { get { return count == 0 ? 0 : IntMath.Sqrt(sum / (3L * count)); } }

        /// <summary>True while the RMS is above the threshold (false before the first sample).</summary>
        public bool IsMoving { get { return moving; } }

        /// <summary>True while moving or within the hold time after.</summary>
        public bool IsExercising { get { return sinceMotion <= holdSamples; } }
    }
}
