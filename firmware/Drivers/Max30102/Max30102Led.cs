namespace Micro.Drivers
{
    /// <summary>SLOTx[2:0] of the multi-LED control registers (datasheet table 9). Values are the register codes.</summary>
    public enum Max30102Led
    {
        /// <summary>Time slot disabled.</summary>
        None = 0,
        /// <summary>LED1, red (pulse amplitude from LED1_PA).</summary>
        Red = 1,
        /// <summary>LED2, infrared (pulse amplitude from LED2_PA).</summary>
        Ir = 2
    }
}
