namespace Micro.Drivers
{
    /// <summary>SPO2_ADC_RGE[1:0]: ADC full scale (datasheet table 5). Values are the register codes.</summary>
    public enum Max30102AdcRange
    {
        /// <summary>2048 nA full scale, 7.81 pA per LSB.</summary>
        Na2048 = 0,
        /// <summary>4096 nA full scale, 15.63 pA per LSB.</summary>
        Na4096 = 1,
        /// <summary>8192 nA full scale, 31.25 pA per LSB.</summary>
        Na8192 = 2,
        /// <summary>16384 nA full scale, 62.5 pA per LSB.</summary>
        Na16384 = 3
    }
}
