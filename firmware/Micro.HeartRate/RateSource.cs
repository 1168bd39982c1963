namespace Micro.HeartRate
{
    /// <summary>Where a step's heart rate came from.</summary>
    public enum RateSource
    {
        /// <summary>No trustworthy rate.</summary>
        None = 0,

        /// <summary>Median of the recent beat-to-beat intervals.</summary>
        Beats = 1,

        /// <summary>The motion-cancelled spectral tracker.</summary>
        Spectrum = 2,
    }
}
