namespace Micro.Drivers
{
    /// <summary>SPO2_SR[2:0]: conversions per second before averaging (datasheet table 6). Values are the register codes.</summary>
    public enum Max30102SampleRate
    {
        /// <summary>50 samples per second.</summary>
        Sps50 = 0,
        /// <summary>100 samples per second.</summary>
        Sps100 = 1,
        /// <summary>200 samples per second.</summary>
        Sps200 = 2,
        /// <summary>400 samples per second.</summary>
        Sps400 = 3,
        /// <summary>800 samples per second.</summary>
        Sps800 = 4,
        /// <summary>1000 samples per second.</summary>
        Sps1000 = 5,
        /// <summary>1600 samples per second.</summary>
        Sps1600 = 6,
        /// <summary>3200 samples per second.</summary>
        Sps3200 = 7
    }
}
