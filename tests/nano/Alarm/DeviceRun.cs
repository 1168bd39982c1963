using System;
using Micro.App;
using Micro.Drivers;
using Micro.Drivers.Simulation;
using Micro.HeartRate;

namespace Micro.Nano.Alarm
{
    /// <summary>
    /// The whole Nano path in firmware order (Program.Main): the MAX30102 driver over a simulated chip whose
    /// FIFO fills from a recording (IR counts at 50 Hz), the AlarmApp built first, the model loaded last
    /// through ModelLoader (a model that does not fit leaves the app on rules with the MODEL alarm), then the
    /// loop until every sample has been read and analysed. The device clock moves by what each Tick asks
    /// (at least 1 ms), so the run is the same on the host and on nanoCLR, whatever the machine's load.
    /// </summary>
    public sealed class DeviceRun : IDeviceTime, IClock
    {
        private long micros;

        public long DeviceMicroseconds { get { return micros; } }

        public long UptimeMs { get { return micros / 1000; } }

#nullable disable
        public ModelLoadResult Model;
        public AlarmApp App;
        public SimulatedMax30102 Chip;
#nullable restore

        /// <summary>Builds the app, loads the model from blob, runs irAt50Hz to the end, writing alert lines to sink.</summary>
        public void Run(int[] irAt50Hz, IBlobSource blob, IAlertSink sink)
        {
            Run(new SimulatedMax30102(this, 50000, irAt50Hz, null), blob, sink);
        }

        /// <summary>Run over a recording read sample by sample (one kept out of the managed heap).</summary>
        public void Run(IWaveform irAt50Hz, IBlobSource blob, IAlertSink sink)
        {
            Run(new SimulatedMax30102(this, 50000, irAt50Hz), blob, sink);
        }

        private void Run(SimulatedMax30102 chip, IBlobSource blob, IAlertSink sink)
        {
            Chip = chip;
            Max30102SampleSource source = new Max30102SampleSource(new Max30102(Chip), null);
            App = new AlarmApp(source.CreateSettings(), source, sink, null, null, this, null, null);
            Model = ModelLoader.Load(new IBlobSource[] { blob });
            App.AttachModel(Model);
            App.Start();
            while (!Chip.Finished || Chip.Unread > 0 || App.Buffered > 0)
            {
                int wait = App.Tick();
                micros += (wait < 1 ? 1 : wait) * 1000L;
            }
        }
    }
}
