namespace Micro.HeartRate.Beats
{
    /// <summary>Beat-interval features over one analysis window (filled in place, never reallocated).</summary>
    public sealed class RhythmFeatures
    {
        /// <summary>Intervals in the window.</summary>
        public int IntervalCount;

        /// <summary>Median beat-to-beat interval (ms), 0 when there is none.</summary>
        public int MedianIntervalMs;

        /// <summary>Mean interval (ms).</summary>
        public int MeanIntervalMs;

        /// <summary>60000 / median interval, 0 when there is none.</summary>
        public int RateBpm;

        /// <summary>Fraction (‰) of successive interval pairs differing by more than the tolerance.</summary>
        public int IrregularPermille;

        /// <summary>RMSSD / mean interval (‰).</summary>
        public int NormalizedRmssdPermille;

        /// <summary>Fraction (‰) of intervals more than 20 % away from the median.</summary>
        public int OutlierPermille;

        /// <summary>Longest interval in the window (ms).</summary>
        public int LongestIntervalMs;

        /// <summary>Shortest interval in the window (ms).</summary>
        public int ShortestIntervalMs;

        public void Clear()
        {
            IntervalCount = 0;
            MedianIntervalMs = 0;
            MeanIntervalMs = 0;
            RateBpm = 0;
            IrregularPermille = 0;
            NormalizedRmssdPermille = 0;
            OutlierPermille = 0;
            LongestIntervalMs = 0;
            ShortestIntervalMs = 0;
        }

        public void CopyFrom(RhythmFeatures o)
        {
            IntervalCount = o.IntervalCount;
            MedianIntervalMs = o.MedianIntervalMs;
            MeanIntervalMs = o.MeanIntervalMs;
            RateBpm = o.RateBpm;
            IrregularPermille = o.IrregularPermille;
            NormalizedRmssdPermille = o.NormalizedRmssdPermille;
            OutlierPermille = o.OutlierPermille;
            LongestIntervalMs = o.LongestIntervalMs;
            ShortestIntervalMs = o.ShortestIntervalMs;
        }
    }
}
