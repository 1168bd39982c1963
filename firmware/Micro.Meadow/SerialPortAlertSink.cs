using Meadow.Hardware;
using Micro.App;

namespace Micro.Meadow
{
    /// <summary>Alert lines out of a Meadow UART (COM1 = D12 TX / D13 RX on the F7v2 Feather).</summary>
    internal sealed class SerialPortAlertSink : IAlertSink
    {
        private readonly ISerialPort port;

        public SerialPortAlertSink(ISerialPort port)
        {
            this.port = port;
        }

        public void Write(byte[] buffer, int count)
        {
            port.Write(buffer, 0, count);
        }
    }
}
