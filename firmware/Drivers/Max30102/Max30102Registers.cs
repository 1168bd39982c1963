namespace Micro.Drivers
{
    /// <summary>
    /// MAX30102 register addresses and bit fields (Maxim/Analog Devices MAX30102 datasheet,
    /// rev. 1, "Register Maps and Descriptions"). Reads auto-increment the register pointer except
    /// at <see cref="FifoData"/>, which returns the FIFO byte after byte.
    /// </summary>
    public static class Max30102Registers
    {
        /// <summary>Interrupt Status 1: A_FULL (7), PPG_RDY (6), ALC_OVF (5), PWR_RDY (0). Cleared by reading it.</summary>
        public const byte InterruptStatus1 = 0x00;
        /// <summary>Interrupt Status 2: DIE_TEMP_RDY (1). Cleared by reading it or TEMP_FRAC.</summary>
        public const byte InterruptStatus2 = 0x01;
        /// <summary>Interrupt Enable 1: A_FULL_EN (7), PPG_RDY_EN (6), ALC_OVF_EN (5).</summary>
        public const byte InterruptEnable1 = 0x02;
        /// <summary>Interrupt Enable 2: DIE_TEMP_RDY_EN (1).</summary>
        public const byte InterruptEnable2 = 0x03;
        /// <summary>FIFO_WR_PTR[4:0]: where the chip writes the next sample.</summary>
        public const byte FifoWritePointer = 0x04;
        /// <summary>OVF_COUNTER[4:0]: samples lost while the FIFO was full; saturates at 0x1F, cleared when a sample is popped.</summary>
        public const byte OverflowCounter = 0x05;
        /// <summary>FIFO_RD_PTR[4:0]: the next sample the host reads.</summary>
        public const byte FifoReadPointer = 0x06;
        /// <summary>FIFO_DATA: 3 bytes per active channel per sample, MSB first, 18 bits left-justified.</summary>
        public const byte FifoData = 0x07;
        /// <summary>FIFO Configuration: SMP_AVE[7:5], FIFO_ROLLOVER_EN (4), FIFO_A_FULL[3:0].</summary>
        public const byte FifoConfig = 0x08;
        /// <summary>Mode Configuration: SHDN (7), RESET (6), MODE[2:0].</summary>
        public const byte ModeConfig = 0x09;
        /// <summary>SpO2 Configuration: SPO2_ADC_RGE[6:5], SPO2_SR[4:2], LED_PW[1:0].</summary>
        public const byte SpO2Config = 0x0A;
        /// <summary>LED1 (red) pulse amplitude, 0.2 mA per step (0xFF = 51 mA typ.).</summary>
        public const byte Led1PulseAmplitude = 0x0C;
        /// <summary>LED2 (IR) pulse amplitude, 0.2 mA per step.</summary>
        public const byte Led2PulseAmplitude = 0x0D;
        /// <summary>Multi-LED mode control: SLOT2[6:4], SLOT1[2:0].</summary>
        public const byte MultiLedControl1 = 0x11;
        /// <summary>Multi-LED mode control: SLOT4[6:4], SLOT3[2:0].</summary>
        public const byte MultiLedControl2 = 0x12;
        /// <summary>Die temperature, integer part, two's complement, 1 °C per LSB.</summary>
        public const byte TemperatureInteger = 0x1F;
        /// <summary>Die temperature, fraction TFRAC[3:0], 0.0625 °C per LSB, always added as a positive value.</summary>
        public const byte TemperatureFraction = 0x20;
        /// <summary>Die temperature config: TEMP_EN (0), self-clearing when the conversion (29 ms typ.) ends.</summary>
        public const byte TemperatureConfig = 0x21;
        /// <summary>Revision ID.</summary>
        public const byte RevisionId = 0xFE;
        /// <summary>Part ID, 0x15 for the MAX30102.</summary>
        public const byte PartId = 0xFF;

        /// <summary>INT_STATUS_1 / INT_ENABLE_1: FIFO almost full.</summary>
        public const byte AlmostFullBit = 0x80;
        /// <summary>INT_STATUS_1 / INT_ENABLE_1: new FIFO sample.</summary>
        public const byte PpgReadyBit = 0x40;
        /// <summary>INT_STATUS_1 / INT_ENABLE_1: ambient light cancellation overflow.</summary>
        public const byte AmbientLightOverflowBit = 0x20;
        /// <summary>INT_STATUS_1: power ready (after power-up or brown-out; cannot be disabled).</summary>
        public const byte PowerReadyBit = 0x01;
        /// <summary>INT_STATUS_2 / INT_ENABLE_2: die temperature conversion finished.</summary>
        public const byte DieTemperatureReadyBit = 0x02;

        /// <summary>MODE_CONFIG: shutdown (power save; registers keep their values).</summary>
        public const byte ShutdownBit = 0x80;
        /// <summary>MODE_CONFIG: reset (self-clearing).</summary>
        public const byte ResetBit = 0x40;
        /// <summary>MODE_CONFIG: MODE[2:0] mask.</summary>
        public const byte ModeMask = 0x07;
        /// <summary>FIFO_CONFIG: roll over (overwrite the oldest sample) when full.</summary>
        public const byte RolloverBit = 0x10;
        /// <summary>TEMP_CONFIG: start one die temperature conversion.</summary>
        public const byte TemperatureEnableBit = 0x01;
        /// <summary>Mask of the 5-bit FIFO pointers and overflow counter.</summary>
        public const int PointerMask = 0x1F;
    }
}
