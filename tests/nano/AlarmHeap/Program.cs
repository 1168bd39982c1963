using System;
using Micro.App;
using Micro.Nano.Alarm;
using Micro.NanoData;

namespace Micro.Nano.AlarmHeap
{
    /// <summary>
    /// The whole Nano path (AlarmApp, chain, driver over a simulated MAX30102, then the model) on one record,
    /// in whatever heap `nf run --heap N` gives (tests/Micro.Nano.Tests/NanoAppHeapTests). NanoData stream 0 is
    /// the blob, stream 1 the record's IR counts at 50 Hz (int32 little-endian). Prints every alert line
    /// ("line TEXT"), then "model loaded" or "model NOT loaded: WHY", "inferences N samples N lost N", and "end".
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            int[] wave = Wave(Manifest.Bytes(1));
            DeviceRun run = new DeviceRun();
            run.Run(wave, new ManifestBlob(), new PrintingSink());
            Console.WriteLine(run.Model.HasModel ? "model loaded" : "model NOT loaded: " + run.Model.Message);
            Console.WriteLine("inferences " + (run.App.Classifier == null ? 0 : run.App.Classifier.Invocations) + " samples " + run.App.SamplesProcessed
                + " lost " + run.Chip.Lost);
            Console.WriteLine("end");
        }

        private static int[] Wave(byte[] raw)
        {
            int[] w = new int[raw.Length / 4];
            for (int i = 0; i < w.Length; i++)
                w[i] = raw[4 * i] | (raw[4 * i + 1] << 8) | (raw[4 * i + 2] << 16) | (raw[4 * i + 3] << 24);
            return w;
        }
    }

    /// <summary>The blob, read only when the loader asks (after the app is built), as firmware reads its resource.</summary>
    internal sealed class ManifestBlob : IBlobSource
    {
        public string Name { get { return "resource"; } }

        public byte[] Read() { return Manifest.Bytes(0); }
    }

    /// <summary>The alert UART: each line printed as it is written (nothing kept).</summary>
    internal sealed class PrintingSink : IAlertSink
    {
        public void Write(byte[] buffer, int count)
        {
            char[] c = new char[count];
            int n = 0;
            for (int i = 0; i < count; i++)
            {
                if (buffer[i] != (byte)'\n' && buffer[i] != (byte)'\r') c[n++] = (char)buffer[i];
            }
            Console.WriteLine("line " + new string(c, 0, n));
        }
    }
}
