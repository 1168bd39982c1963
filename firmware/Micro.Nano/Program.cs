// The heart-rate alarm firmware for nanoFramework 1.x boards (ESP32-DevKitC, ESP32-S3-DevKitC,
// STM32F769I-DISCO): MAX30102 on I2C, alert lines on a UART, buzzer and LED on GPIOs, the rhythm model from
// the board's storage (ESP32: two slots on I:\; a deployed I:\heart-rate.mblob is installed at boot when it
// passes CRC and self-test; boards/*.json model_file) or, failing that, from the
// firmware's embedded resource; a boot report (MHI lines: versions, model source or why none, self-test) on the alert UART.
// Build: dotnet build firmware/Micro.Nano/nano/Micro.Nano.csproj -c Release [-p:MicroBoard=esp32-s3-devkitc]
// (see firmware/README.md). CI builds it for each board against the real nanoFramework libraries
// (tests/nano/build.sh, tests/Micro.Nano.Tests).
using System.Device.Gpio;
using System.Device.I2c;
using System.IO.Ports;
using System.Threading;
using Micro.App;
using Micro.Drivers;
#if ESP32
using nanoFramework.Hardware.Esp32;
#endif

namespace Micro.Nano
{
    public static class Program
    {
        public static void Main()
        {
            BoardProfile board = SelectedBoard();
#if ESP32
            RoutePins(board);
#endif
            SerialPort port = new SerialPort(board.AlertPort, board.AlertBaud);
            port.Open();

            GpioController gpio = new GpioController();
            GpioIndicator buzzer = new GpioIndicator(gpio, board.BuzzerPin.Number);
            GpioIndicator led = new GpioIndicator(gpio, board.LedPin.Number);

            I2cDevice device = I2cDevice.Create(new I2cConnectionSettings(board.I2cBus, board.I2cAddress, I2cBusSpeed.FastMode));
            Max30102SampleSource sensor = new Max30102SampleSource(new Max30102(new NanoI2cRegisterBus(device)), null);
            sensor.ContactMinIr = board.ContactMinIr;

            // The app first, the model last: the model is the optional part, so if its blob or arena does not
            // fit in the heap, ModelLoader reports it (MODEL alarm) and the alarm runs on rules.
            NanoClock clock = new NanoClock();
            SerialAlertSink sink = new SerialAlertSink(port);
            AlarmApp app = new AlarmApp(sensor.CreateSettings(), sensor, sink, buzzer, led, clock, null, null);
            ModelLoadResult model = ModelLoader.LoadTimed(ModelSources(board), clock);
            app.AttachModel(model);
            app.Start();
            // The boot report follows the BOOT line on the alert UART (Debug.WriteLine is compiled out of Release).
            byte[][] report = BootReport.Lines(clock.UptimeMs, FirmwareVersion, model, FreeHeap());
            for (int i = 0; i < report.Length; i++) sink.Write(report[i], report[i].Length);
            while (true)
            {
                Thread.Sleep(app.Tick());
            }
        }

        /// <summary>Reported on the boot line (MHI fw=).</summary>
        public const string FirmwareVersion = "0.4.0";

        /// <summary>Where the model may come from: the board's storage when it has one (ESP32: I:\, two slots
        /// and a manifest; the deployed file is installed at boot), then the blob embedded in the firmware.</summary>
        private static IBlobSource[] ModelSources(BoardProfile board)
        {
            IBlobSource resource = new ResourceBlobSource(board.ModelBlobBytes);
            if (board.ModelFile == null) return new IBlobSource[] { resource };
            // The deployed file is the incoming model: installed into the inactive slot (I:\slot0/1.mblob) only
            // when it passes CRC and self-test, else the model that ran before stays (ModelSlots).
            string folder = board.ModelFile.Substring(0, board.ModelFile.LastIndexOf('\\') + 1);
            NanoFileStore store = new NanoFileStore(folder, board.ModelBlobBytes);
            return new IBlobSource[] { new SlotBlobSource(folder + "slots", store, board.ModelFile, new SelfTestCheck()), resource };
        }

        /// <summary>Free managed heap in bytes after a collection, or -1 when the platform cannot say.</summary>
        private static long FreeHeap()
        {
            try
            {
                return nanoFramework.Runtime.Native.GC.Run(false);
            }
            catch (System.Exception)
            {
                return -1;
            }
        }

        /// <summary>The board this image is built for (MicroBoard in nano/Micro.Nano.csproj defines the symbol).</summary>
        private static BoardProfile SelectedBoard()
        {
#if BOARD_ESP32_S3_DEVKITC
            return BoardProfiles.Esp32S3DevKitC();
#elif BOARD_STM32F769I_DISCO
            return BoardProfiles.Stm32F769IDisco();
#else
            return BoardProfiles.Esp32DevKitC();
#endif
        }

#if ESP32
        /// <summary>ESP32: route I2C1 and the alert UART to the board's pins (COM1 stays with the debugger).</summary>
        private static void RoutePins(BoardProfile board)
        {
            if (board.I2cBus == 1)
            {
                Configuration.SetPinFunction(board.SdaPin.Number, DeviceFunction.I2C1_DATA);
                Configuration.SetPinFunction(board.SclPin.Number, DeviceFunction.I2C1_CLOCK);
            }
            else
            {
                Configuration.SetPinFunction(board.SdaPin.Number, DeviceFunction.I2C2_DATA);
                Configuration.SetPinFunction(board.SclPin.Number, DeviceFunction.I2C2_CLOCK);
            }
            if (board.AlertPort == "COM3")
            {
                Configuration.SetPinFunction(board.AlertTxPin.Number, DeviceFunction.COM3_TX);
                Configuration.SetPinFunction(board.AlertRxPin.Number, DeviceFunction.COM3_RX);
            }
            else
            {
                Configuration.SetPinFunction(board.AlertTxPin.Number, DeviceFunction.COM2_TX);
                Configuration.SetPinFunction(board.AlertRxPin.Number, DeviceFunction.COM2_RX);
            }
        }
#endif
    }
}
