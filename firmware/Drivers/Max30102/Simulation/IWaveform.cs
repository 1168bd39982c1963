namespace Micro.Drivers.Simulation
{
    /// <summary>
    /// A recording the simulated chip plays on both LEDs, read one sample at a time in order. Lets a bench or
    /// test keep a long recording out of the managed heap (nanoCLR leaves a string literal in the assembly and
    /// an array initialiser it copies to the heap), so a heap measurement counts the device's memory only.
    /// </summary>
    public interface IWaveform
    {
        /// <summary>Samples in the recording.</summary>
        int Length { get; }

        /// <summary>Sample index (0..Length-1): the LED's 18-bit count.</summary>
        int At(int index);
    }
}
