// MAX30102 sample for nanoFramework on an ESP32-DevKitC (boards/esp32-devkitc.json).
// Wiring: sensor VIN -> 3V3, GND -> GND, SDA -> GPIO21, SCL -> GPIO22 (INT unused).
// Prints one line per FIFO read in Debug builds: samples read, last red and IR values, samples lost.
// CI builds this file against the real nanoFramework libraries (tests/nano/build.sh); on the device it
// is built with the nanoFramework SDK and the packages nanoFramework.System.Device.I2c and
// nanoFramework.Hardware.Esp32.
using System.Device.I2c;
using System.Diagnostics;
using System.Threading;
using Micro.Drivers;
using nanoFramework.Hardware.Esp32;

namespace Micro.Drivers.Samples
{
    public static class Program
    {
        private const int I2cBus = 1;
        private const int SdaPin = 21; // nanoFramework's default I2C1 pins are GPIO18 (SDA) / GPIO19 (SCL)
        private const int SclPin = 22;

        public static void Main()
        {
            Configuration.SetPinFunction(SdaPin, DeviceFunction.I2C1_DATA);
            Configuration.SetPinFunction(SclPin, DeviceFunction.I2C1_CLOCK);
            I2cDevice device = I2cDevice.Create(new I2cConnectionSettings(I2cBus, Max30102.DefaultI2cAddress, I2cBusSpeed.FastMode));
            var sensor = new Max30102(new NanoI2cRegisterBus(device));

            // Defaults: SpO2 mode (red + IR), 400 conversions/s averaged by 4 = 100 samples/s, 18 bits.
            var configuration = new Max30102Configuration();
            StartSensor(sensor, configuration);

            int[] red = new int[Max30102.FifoDepth];
            int[] ir = new int[Max30102.FifoDepth];
            int reads = 0;
            while (true)
            {
                int count;
                if (!sensor.TryReadSamples(red, ir, 0, red.Length, out count))
                {
                    // Unplugged or bus fault: one failed transaction per attempt, no exception.
                    // The sensor may have lost power, so configure it again once it answers.
                    Debug.WriteLine(sensor.DescribeLastError());
                    Thread.Sleep(1000);
                    StartSensor(sensor, configuration);
                    continue;
                }

                if (count > 0)
                {
                    Debug.WriteLine(count.ToString() + " samples, red " + red[count - 1].ToString()
                        + ", IR " + ir[count - 1].ToString() + ", lost " + sensor.LostSamples.ToString());
                }

                if (++reads % 100 == 0)
                {
                    int sixteenths;
                    if (sensor.TryMeasureTemperature(out sixteenths))
                        Debug.WriteLine("die temperature " + Max30102.SixteenthsToMilliCelsius(sixteenths).ToString() + " m°C");
                }

                // 100 ms at 100 samples/s leaves about 10 samples waiting: far from the 32-sample FIFO limit.
                Thread.Sleep(100);
            }
        }

        private static void StartSensor(Max30102 sensor, Max30102Configuration configuration)
        {
            while (!sensor.TryInitialize(configuration))
            {
                Debug.WriteLine(sensor.DescribeLastError());
                Thread.Sleep(2000);
            }

            Debug.WriteLine("MAX30102 ready, revision " + sensor.RevisionId.ToString());
        }
    }
}
