namespace Micro.Drivers
{
    /// <summary>
    /// Flags returned by <see cref="Max30102.TryReadInterruptStatus"/>: INT_STATUS_1 in the low byte,
    /// INT_STATUS_2 in the second byte. Reading the status clears it on the chip.
    /// </summary>
    public static class Max30102Interrupts
    {
        /// <summary>The FIFO reached the almost-full threshold.</summary>
        public const int AlmostFull = 0x80;
        /// <summary>A new sample is in the FIFO.</summary>
        public const int PpgReady = 0x40;
        /// <summary>Ambient light cancellation reached its limit: ambient light is affecting the ADC.</summary>
        public const int AmbientLightOverflow = 0x20;
        /// <summary>The chip powered up or recovered from a brown-out: its registers are back at their reset values.</summary>
        public const int PowerReady = 0x01;
        /// <summary>A die temperature conversion finished.</summary>
        public const int DieTemperatureReady = 0x0200;
    }
}
