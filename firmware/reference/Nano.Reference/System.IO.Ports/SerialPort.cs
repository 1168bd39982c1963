// Compile-only reference declaration: lets host builds compile device code. Not the real implementation;
// every member throws NotSupportedException. Signature source: nanoframework/System.IO.Ports (main, System.IO.Ports/SerialPort.cs), package nanoFramework.System.IO.Ports 1.1.x. Only the members the firmware uses.

namespace System.IO.Ports
{
    public sealed class SerialPort : IDisposable
    {
        public SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None, int dataBits = 8, StopBits stopBits = StopBits.One)
        {
            throw new NotSupportedException("compile-only reference declaration; the real package runs on the device");
        }

        public string PortName { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }

        public int BaudRate
        {
            get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
            set { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
        }

        public bool IsOpen { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }

        public string NewLine
        {
            get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
            set { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
        }

        public int ReadTimeout
        {
            get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
            set { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
        }

        public int WriteTimeout
        {
            get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
            set { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
        }

        public int BytesToRead { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }

        public void Open() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public void Close() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public int Read(byte[] buffer, int offset, int count) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public string ReadExisting() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public string ReadLine() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public void Write(byte[] buffer, int offset, int count) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public void WriteByte(byte value) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public void Write(string text) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public void WriteLine(string text) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public void Dispose() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
    }
}
