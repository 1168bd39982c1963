namespace Micro.App
{
    /// <summary>Where the alarm loop stands with the sensor (int constants: enum ToString gives a number on nanoFramework).</summary>
    public static class SensorState
    {
        /// <summary>Started and delivering samples (or not silent long enough to count as lost).</summary>
        public const int Running = 0;

        /// <summary>Not answering or not delivering: restarts are attempted with back-off.</summary>
        public const int Restarting = 1;
    }
}
