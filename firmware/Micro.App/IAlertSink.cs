namespace Micro.App
{
    /// <summary>Where alert lines go (a UART on the device, a buffer in tests).</summary>
    public interface IAlertSink
    {
        /// <summary>
        /// Sends buffer[0..count): one complete alert line including its newline. May throw on an I/O
        /// fault; the alarm loop counts the failure and carries on. Must not keep a reference to buffer.
        /// </summary>
        void Write(byte[] buffer, int count);
    }
}
