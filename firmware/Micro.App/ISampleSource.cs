namespace Micro.App
{
    /// <summary>
    /// The PPG sensor as the alarm loop sees it: one channel of raw integer samples at a fixed rate, read in
    /// batches from the sensor's FIFO. Implementations never throw for a bus fault: they return false.
    /// </summary>
    public interface ISampleSource
    {
        /// <summary>Rate of the samples <see cref="TryRead"/> delivers, in mHz (50 Hz = 50000).</summary>
        int SampleRateMilliHz { get; }

        /// <summary>
        /// (Re)starts the sensor: checks it answers, resets and configures it. Called at start and after the
        /// sensor stopped answering. Returns false when it does not answer or refuses the configuration.
        /// </summary>
        bool TryStart();

        /// <summary>
        /// Copies up to <paramref name="maxSamples"/> waiting samples into buffer[0..count), oldest first.
        /// Returns false when the sensor did not answer (count is then 0); true with count 0 when nothing is
        /// waiting yet. Must not allocate.
        /// </summary>
        bool TryRead(int[] buffer, int maxSamples, out int count);

        /// <summary>
        /// Samples the sensor dropped since the last TryStart (a full FIFO: the MAX30102's OVF_COUNTER),
        /// counted when the read after the loss returns. The samples read after an increase do not
        /// continue those read before it.
        /// </summary>
        long LostSamples { get; }
    }
}
