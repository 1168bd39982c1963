using System;
using Micro.HeartRate;
using Micro.NanoData;

namespace Micro.Nano.Alarm
{
    /// <summary>
    /// nanoCLR side of the alarm replay. Data from the generated NanoData assembly: stream 0 is the model blob,
    /// every further stream one recording (its name, then int32 little-endian samples); the settings of each
    /// recording come from ReplaySettings (generated from the host's ChainHarness.SettingsFor). Prints
    /// "line RECORD TEXT" per alert line, then "end RECORD" per recording.
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            for (int r = 1; r < Manifest.Count(); r++)
            {
                string record = Manifest.Name(r);
                byte[] raw = Manifest.Bytes(r);
                int[] samples = new int[raw.Length / 4];
                for (int i = 0; i < samples.Length; i++)
                    samples[i] = raw[4 * i] | (raw[4 * i + 1] << 8) | (raw[4 * i + 2] << 16) | (raw[4 * i + 3] << 24);
                HeartRateSettings settings = ReplaySettings.For(record);
                LineRecorder lines = AlarmReplay.Run(settings, samples, Manifest.Bytes(0));
                for (int i = 0; i < lines.Count; i++) Console.WriteLine("line " + record + " " + lines.Line(i));
                Console.WriteLine("end " + record);
            }
        }
    }
}
