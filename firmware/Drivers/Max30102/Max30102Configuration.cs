namespace Micro.Drivers
{
    /// <summary>
    /// Everything <see cref="Max30102.TryConfigure"/> writes. The defaults suit a wrist or finger
    /// heart-rate monitor: SpO2 mode (red + IR), 400 conversions/s averaged by 4 into 100 FIFO
    /// samples/s, 411 µs pulses (18 bits), 4096 nA range, 7 mA per LED, FIFO roll-over on
    /// (keep the newest samples if the reader falls behind), almost-full interrupt at 17 unread samples.
    /// </summary>
    public sealed class Max30102Configuration
    {
        /// <summary>Creates a configuration with the defaults above.</summary>
        public Max30102Configuration()
        {
            Mode = Max30102Mode.SpO2;
            SampleRate = Max30102SampleRate.Sps400;
            PulseWidth = Max30102PulseWidth.Us411;
            AdcRange = Max30102AdcRange.Na4096;
            SampleAveraging = Max30102SampleAveraging.Four;
            FifoRollover = true;
            FifoAlmostFullEmptySlots = 15;
            RedLedAmplitude = 0x23;
            IrLedAmplitude = 0x23;
            Slot1 = Max30102Led.Red;
            Slot2 = Max30102Led.Ir;
            Slot3 = Max30102Led.None;
            Slot4 = Max30102Led.None;
            InterruptAlmostFull = true;
        }

        /// <summary>Operating mode; decides which channels each FIFO sample holds.</summary>
        public Max30102Mode Mode { get; set; }
        /// <summary>Conversions per second before averaging.</summary>
        public Max30102SampleRate SampleRate { get; set; }
        /// <summary>LED pulse width and ADC resolution.</summary>
        public Max30102PulseWidth PulseWidth { get; set; }
        /// <summary>ADC full-scale range.</summary>
        public Max30102AdcRange AdcRange { get; set; }
        /// <summary>Conversions averaged into one FIFO sample.</summary>
        public Max30102SampleAveraging SampleAveraging { get; set; }
        /// <summary>When the FIFO is full: true overwrites the oldest sample, false drops the new one.</summary>
        public bool FifoRollover { get; set; }
        /// <summary>FIFO_A_FULL, 0..15: empty sample slots left when the almost-full interrupt fires (15 = at 17 unread samples).</summary>
        public int FifoAlmostFullEmptySlots { get; set; }
        /// <summary>LED1 (red) current in 0.2 mA steps (see <see cref="LedAmplitudeFromMicroamps"/>).</summary>
        public byte RedLedAmplitude { get; set; }
        /// <summary>LED2 (IR) current in 0.2 mA steps.</summary>
        public byte IrLedAmplitude { get; set; }
        /// <summary>Multi-LED mode only: LED of time slot 1 (must not be None).</summary>
        public Max30102Led Slot1 { get; set; }
        /// <summary>Multi-LED mode only: LED of time slot 2.</summary>
        public Max30102Led Slot2 { get; set; }
        /// <summary>Multi-LED mode only: LED of time slot 3.</summary>
        public Max30102Led Slot3 { get; set; }
        /// <summary>Multi-LED mode only: LED of time slot 4.</summary>
        public Max30102Led Slot4 { get; set; }
        /// <summary>Pull INT low when the FIFO is almost full.</summary>
        public bool InterruptAlmostFull { get; set; }
        /// <summary>Pull INT low for every new sample.</summary>
        public bool InterruptPpgReady { get; set; }
        /// <summary>Pull INT low when ambient light cancellation overflows.</summary>
        public bool InterruptAmbientLightOverflow { get; set; }
        /// <summary>Pull INT low when a die temperature conversion finishes.</summary>
        public bool InterruptDieTemperature { get; set; }

        /// <summary>LED amplitude register value for a current in µA: 200 µA per step, clamped to 0..255 (51 mA).</summary>
        public static byte LedAmplitudeFromMicroamps(int microamps)
        {
            int steps = microamps / 200;
            if (steps < 0) return 0;
            if (steps > 255) return 255;
            return (byte)steps;
        }

        /// <summary>Conversions per second for <see cref="SampleRate"/>.</summary>
        public int SampleRateHz
        {
            get
            {
                switch (SampleRate)
                {
                    case Max30102SampleRate.Sps50: return 50;
                    case Max30102SampleRate.Sps100: return 100;
                    case Max30102SampleRate.Sps200: return 200;
                    case Max30102SampleRate.Sps400: return 400;
                    case Max30102SampleRate.Sps800: return 800;
                    case Max30102SampleRate.Sps1000: return 1000;
                    case Max30102SampleRate.Sps1600: return 1600;
                    default: return 3200;
                }
            }
        }

        /// <summary>Conversions averaged per FIFO sample (1..32).</summary>
        public int AveragedConversions
        {
            get
            {
                int code = (int)SampleAveraging;
                return code >= 5 ? 32 : 1 << code;
            }
        }

        /// <summary>FIFO samples per 1000 s (per second × 1000), e.g. 100000 for 400 sps averaged by 4.</summary>
        public int FifoSampleRateMilliHz
        {
            get { return SampleRateHz * 1000 / AveragedConversions; }
        }

        /// <summary>ADC resolution in bits for <see cref="PulseWidth"/> (15..18).</summary>
        public int ResolutionBits
        {
            get { return 15 + ((int)PulseWidth & 3); }
        }

        /// <summary>Channels (3-byte triplets) per FIFO sample: 1 in heart-rate mode, 2 in SpO2 mode, the enabled slots in multi-LED mode.</summary>
        public int ChannelCount
        {
            get
            {
                if (Mode == Max30102Mode.HeartRate) return 1;
                if (Mode == Max30102Mode.SpO2) return 2;
                int n = 0;
                if (Slot1 != Max30102Led.None) n++;
                if (Slot2 != Max30102Led.None) n++;
                if (Slot3 != Max30102Led.None) n++;
                if (Slot4 != Max30102Led.None) n++;
                return n;
            }
        }

        /// <summary>Index of the red channel within a sample, or -1 when red is not sampled.</summary>
        public int RedChannelIndex
        {
            get { return ChannelIndexOf(Max30102Led.Red); }
        }

        /// <summary>Index of the IR channel within a sample, or -1 when IR is not sampled.</summary>
        public int IrChannelIndex
        {
            get { return ChannelIndexOf(Max30102Led.Ir); }
        }

        /// <summary>FIFO_CONFIG register value.</summary>
        public byte FifoConfigValue
        {
            get
            {
                int v = ((int)SampleAveraging & 7) << 5 | (FifoAlmostFullEmptySlots & 0x0F);
                if (FifoRollover) v |= Max30102Registers.RolloverBit;
                return (byte)v;
            }
        }

        /// <summary>MODE_CONFIG register value (not shut down, no reset).</summary>
        public byte ModeConfigValue
        {
            get { return (byte)((int)Mode & Max30102Registers.ModeMask); }
        }

        /// <summary>SPO2_CONFIG register value.</summary>
        public byte SpO2ConfigValue
        {
            get { return (byte)((((int)AdcRange & 3) << 5) | (((int)SampleRate & 7) << 2) | ((int)PulseWidth & 3)); }
        }

        /// <summary>MULTI_LED_CTRL1 register value (slots 1 and 2).</summary>
        public byte MultiLedControl1Value
        {
            get { return (byte)((((int)Slot2 & 7) << 4) | ((int)Slot1 & 7)); }
        }

        /// <summary>MULTI_LED_CTRL2 register value (slots 3 and 4).</summary>
        public byte MultiLedControl2Value
        {
            get { return (byte)((((int)Slot4 & 7) << 4) | ((int)Slot3 & 7)); }
        }

        /// <summary>INT_ENABLE_1 register value.</summary>
        public byte InterruptEnable1Value
        {
            get
            {
                int v = 0;
                if (InterruptAlmostFull) v |= Max30102Registers.AlmostFullBit;
                if (InterruptPpgReady) v |= Max30102Registers.PpgReadyBit;
                if (InterruptAmbientLightOverflow) v |= Max30102Registers.AmbientLightOverflowBit;
                return (byte)v;
            }
        }

        /// <summary>INT_ENABLE_2 register value.</summary>
        public byte InterruptEnable2Value
        {
            get { return InterruptDieTemperature ? Max30102Registers.DieTemperatureReadyBit : (byte)0; }
        }

        /// <summary>
        /// Checks the datasheet rules; returns null when the configuration is valid, otherwise what is wrong.
        /// Sample rate limits follow datasheet tables 11 (two channels) and 12 (one channel): with one
        /// channel the highest rate code is 7 − LED_PW, with two channels 6 − LED_PW.
        /// </summary>
        public string Validate()
        {
            if (Mode != Max30102Mode.HeartRate && Mode != Max30102Mode.SpO2 && Mode != Max30102Mode.MultiLed)
                return "Mode must be HeartRate (2), SpO2 (3) or MultiLed (7); the other MODE codes are 'do not use'.";
            if ((int)SampleRate < 0 || (int)SampleRate > 7) return "SampleRate must be a SPO2_SR code 0..7.";
            if ((int)PulseWidth < 0 || (int)PulseWidth > 3) return "PulseWidth must be a LED_PW code 0..3.";
            if ((int)AdcRange < 0 || (int)AdcRange > 3) return "AdcRange must be a SPO2_ADC_RGE code 0..3.";
            if ((int)SampleAveraging < 0 || (int)SampleAveraging > 5) return "SampleAveraging must be a SMP_AVE code 0..5.";
            if (FifoAlmostFullEmptySlots < 0 || FifoAlmostFullEmptySlots > 15) return "FifoAlmostFullEmptySlots must be 0..15 (FIFO_A_FULL is 4 bits).";
            if (Mode == Max30102Mode.MultiLed)
            {
                string slots = ValidateSlots();
                if (slots != null) return slots;
            }

            int channels = ChannelCount;
            int highestRate = (channels == 1 ? 7 : 6) - (int)PulseWidth;
            if ((int)SampleRate > highestRate)
            {
                return channels == 1
                    ? "Sample rate too high for this pulse width with one LED channel (datasheet table 12): the chip would silently lower it."
                    : "Sample rate too high for this pulse width with two LED channels (datasheet table 11): the chip would silently lower it.";
            }

            return null;
        }

        private string ValidateSlots()
        {
            if (!IsSlotValue(Slot1) || !IsSlotValue(Slot2) || !IsSlotValue(Slot3) || !IsSlotValue(Slot4))
                return "Each slot must be None, Red or Ir (the MAX30102 has two LEDs).";
            if (Slot1 == Max30102Led.None) return "Multi-LED mode needs Slot1 enabled.";
            if ((Slot2 == Max30102Led.None && (Slot3 != Max30102Led.None || Slot4 != Max30102Led.None))
                || (Slot3 == Max30102Led.None && Slot4 != Max30102Led.None))
                return "Slots must be enabled in order: no enabled slot after a disabled one (datasheet, multi-LED mode).";
            if (ChannelCount > 2) return "Only two slots can be used: each of the two LEDs at most once.";
            if (ChannelCount == 2 && Slot1 == Slot2) return "The same LED is in two slots; use SpO2 mode or one slot.";
            return null;
        }

        private static bool IsSlotValue(Max30102Led led)
        {
            return led == Max30102Led.None || led == Max30102Led.Red || led == Max30102Led.Ir;
        }

        private int ChannelIndexOf(Max30102Led led)
        {
            if (Mode == Max30102Mode.HeartRate) return led == Max30102Led.Red ? 0 : -1;
            if (Mode == Max30102Mode.SpO2) return led == Max30102Led.Red ? 0 : 1;
            if (Slot1 == led) return 0;
            if (Slot2 == led) return 1;
            if (Slot3 == led) return 2;
            if (Slot4 == led) return 3;
            return -1;
        }
    }
}
