using System.IO.Ports;
using Micro.App;

namespace Micro.Nano
{
    /// <summary>Alert lines out of a UART (COM2 on ESP32: COM1 is the debugger).</summary>
    internal sealed class SerialAlertSink : IAlertSink
    {
        private readonly SerialPort port;

        public SerialAlertSink(SerialPort port)
        {
            this.port = port;
        }

        public void Write(byte[] buffer, int count)
        {
            port.Write(buffer, 0, count);
        }
    }
}
