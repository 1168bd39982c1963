namespace Micro.HeartRate.Signal
{
    /// <summary>Signal-quality verdict of one analysis step (protocol tokens in AlertProtocol).</summary>
    public enum SignalQuality
    {
        /// <summary>Clean pulse: beats and spectrum agree.</summary>
        Good = 0,

        /// <summary>Usable pulse with some disagreement or noise.</summary>
        Fair = 1,

        /// <summary>Too noisy to trust beats or rate.</summary>
        Poor = 2,

        /// <summary>The raw signal does not move at all (disconnected or stuck sensor, or no pulse).</summary>
        Flat = 3,

        /// <summary>The signal sits at the ADC limits (saturated, sensor off or in bright light) or its DC level
        /// is outside the on-skin range.</summary>
        Clipped = 4,

        /// <summary>The sensor sees the skin but no pulsation (amplitude collapsed, no beats).</summary>
        NoPulse = 5,

        /// <summary>Movement dominates; the rate comes from the motion-cancelled spectrum.</summary>
        Motion = 6,
        /// <summary>The sensor cannot be reached: it does not answer on its bus or has delivered no samples
        /// for a while (unplugged, broken wire). Reported by the device loop, never by the signal chain.</summary>
        Unreachable = 7,
    }
}
