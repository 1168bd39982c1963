namespace Micro.Drivers
{
    /// <summary>
    /// LED_PW[1:0]: LED pulse width, which also sets the ADC resolution (datasheet table 7).
    /// Values are the register codes. Samples stay left-justified: at 15 bits the low 3 bits read 0.
    /// </summary>
    public enum Max30102PulseWidth
    {
        /// <summary>69 µs, 15-bit resolution.</summary>
        Us69 = 0,
        /// <summary>118 µs, 16-bit resolution.</summary>
        Us118 = 1,
        /// <summary>215 µs, 17-bit resolution.</summary>
        Us215 = 2,
        /// <summary>411 µs, 18-bit resolution.</summary>
        Us411 = 3
    }
}
