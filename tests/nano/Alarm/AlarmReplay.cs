using Micro.App;
using Micro.HeartRate;

namespace Micro.Nano.Alarm
{
    /// <summary>
    /// The device alarm loop over a recording: AlarmApp with the recording as its sensor
    /// (<see cref="ReplaySampleSource"/>), a <see cref="LineRecorder"/> as its alert UART and a
    /// <see cref="ReplayClock"/> that moves one TickMs per Tick, from uptime 0 until every sample has been
    /// read and analysed. The model comes through the device's loading policy (ModelLoader) from the blob
    /// bytes. The same code runs on the host (tests/Micro.Nano.Tests) and on nanoCLR (Program.cs here).
    /// </summary>
    public static class AlarmReplay
    {
        public static LineRecorder Run(HeartRateSettings settings, int[] samples, byte[] blob)
        {
            ReplayClock clock = new ReplayClock();
            ReplaySampleSource source = new ReplaySampleSource(samples, settings.SampleRateMilliHz, clock);
            LineRecorder lines = new LineRecorder();
            AlarmAppOptions options = new AlarmAppOptions();
            ModelLoadResult model = ModelLoader.Load(blob, null);
            AlarmApp app = new AlarmApp(settings, source, lines, null, null, clock, model, options);
            app.Start();
            while (!source.Finished)
            {
                clock.Advance(options.TickMs);
                app.Tick();
            }
            return lines;
        }
    }
}
