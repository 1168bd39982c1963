namespace Micro.Drivers
{
    /// <summary>MODE[2:0] of the Mode Configuration register (datasheet table 4). Values are the register codes.</summary>
    public enum Max30102Mode
    {
        /// <summary>Heart-rate mode: red LED only, one 3-byte channel per sample.</summary>
        HeartRate = 2,

        /// <summary>SpO2 mode: red then IR, two channels (6 bytes) per sample.</summary>
        SpO2 = 3,

        /// <summary>Multi-LED mode: the LED of each time slot comes from the slot settings.</summary>
        MultiLed = 7
    }
}
