using Micro.App;

namespace Micro.Nano.Alarm
{
    /// <summary>The alert UART of the replay: keeps every line written (without its newline), in order.</summary>
    public sealed class LineRecorder : IAlertSink
    {
        private string[] lines = new string[64];
        private int count;

        public int Count { get { return count; } }

        public string Line(int index)
        {
            return lines[index];
        }

        public void Write(byte[] buffer, int count)
        {
            char[] c = new char[count];
            int n = 0;
            for (int i = 0; i < count; i++)
            {
                if (buffer[i] != (byte)'\n' && buffer[i] != (byte)'\r') c[n++] = (char)buffer[i];
            }
            if (this.count == lines.Length)
            {
                string[] bigger = new string[lines.Length * 2];
                System.Array.Copy(lines, bigger, lines.Length);
                lines = bigger;
            }
            lines[this.count++] = new string(c, 0, n);
        }
    }
}
