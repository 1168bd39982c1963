// The heart-rate alarm on a Meadow F7v2 Feather: the same AlarmApp loop as the nanoFramework firmware, with
// Meadow's I2C bus, serial port, Meadow.Foundation's PiezoSpeaker and Led. Build and deploy with the meadow CLI
// (firmware/README.md). CI compiles this file against firmware/MeadowStubs
// (Micro.Meadow.Compile.csproj).
using System;
using System.IO;
using System.Threading.Tasks;
using Meadow;
using Meadow.Devices;
using Meadow.Foundation.Audio;
using Meadow.Foundation.Leds;
using Meadow.Hardware;
using Meadow.Units;
using Micro.App;
using Micro.Drivers;

namespace Micro.Meadow
{
    public class MeadowApp : App<F7FeatherV2>
    {
        /// <summary>
        /// The model file in the device's Data folder (/meadow0/Data/heart-rate.mblob), written by
        /// `meadow file write -f model.mblob -t Data/heart-rate.mblob`. Data is one of the folders
        /// `meadow app deploy` leaves alone; a file in /meadow0/ itself is deleted by the next app deploy.
        /// </summary>
        public const string ModelFileName = "heart-rate.mblob";

        /// <summary>Manifest name of the model embedded in App.dll (meadow/Micro.Meadow.csproj).</summary>
        public const string ModelResourceName = "heart-rate.mblob";

        /// <summary>Piezo tone while the buzzer is on (Hz).</summary>
        public const double BuzzerHz = 2000;

        private AlarmApp app;

        public override Task Initialize()
        {
            BoardProfile board = BoardProfiles.MeadowF7v2Feather();

            II2cBus bus = Device.CreateI2cBus(board.I2cBus, I2cBusSpeed.Fast);
            Max30102SampleSource sensor = new Max30102SampleSource(new Max30102(new MeadowI2cRegisterBus(bus, (byte)board.I2cAddress)), null);
            sensor.ContactMinIr = board.ContactMinIr;

            SerialPortName portName = Device.PlatformOS.GetSerialPortName(board.AlertPort);
            if (portName == null) throw new InvalidOperationException("no serial port " + board.AlertPort + " on this device");
            ISerialPort port = Device.CreateSerialPort(portName, board.AlertBaud);
            port.Open();

            IPwmPort pwm = Device.CreatePwmPort(Device.GetPin(board.BuzzerPin.Name), new Frequency(BuzzerHz, Frequency.UnitType.Hertz), 0f);
            PiezoIndicator buzzer = new PiezoIndicator(new PiezoSpeaker(pwm), BuzzerHz);
            LedIndicator led = new LedIndicator(new Led(Device.GetPin(board.LedPin.Name)));

            string modelPath = Path.Combine(Device.PlatformOS.FileSystem.DataDirectory, ModelFileName);
            ModelLoadResult model = ModelLoader.Load(new IBlobSource[]
            {
                new FileBlobSource(modelPath),
                new EmbeddedBlobSource(typeof(MeadowApp).Assembly, ModelResourceName),
            });
            Console.WriteLine(model.HasModel ? "model from " + model.Source : "no usable model, rules only: " + model.Message);

            app = new AlarmApp(sensor.CreateSettings(), sensor, new SerialPortAlertSink(port), buzzer, led, new StopwatchClock(), model, null);
            return Task.CompletedTask;
        }

        public override async Task Run()
        {
            app.Start();
            while (true)
            {
                await Task.Delay(app.Tick());
            }
        }
    }
}
