namespace Micro.App
{
    /// <summary>
    /// The supported boards, one factory method each (only the board in use is ever allocated). The values
    /// mirror boards/*.json; BoardProfileTests fails when they drift apart.
    /// </summary>
    public static class BoardProfiles
    {
        public const string NanoFramework = "nanoFramework";
        public const string Meadow = "Meadow";

        /// <summary>Board ids, in the order of the boards folder.</summary>
        public static readonly string[] Names = { "esp32-devkitc", "esp32-s3-devkitc", "meadow-f7v2-feather", "stm32f769i-disco" };

        /// <summary>The profile of a board id, or null when unknown.</summary>
        public static BoardProfile Find(string name)
        {
            if (name == "esp32-devkitc") return Esp32DevKitC();
            if (name == "esp32-s3-devkitc") return Esp32S3DevKitC();
            if (name == "meadow-f7v2-feather") return MeadowF7v2Feather();
            if (name == "stm32f769i-disco") return Stm32F769IDisco();
            return null;
        }

        /// <summary>ESP32-DevKitC V4 (WROOM-32E, no PSRAM): sensor on I2C1 moved to GPIO21/22, alerts on COM2 (GPIO17 TX, GPIO16 RX).</summary>
        public static BoardProfile Esp32DevKitC()
        {
            BoardProfile b = Nano("esp32-devkitc", true, 21, 22, 4, "COM2", 17, 16, 25, 2);
            b.ModelBlobBytes = 24576;
            b.ModelArenaBytes = 16384;
            return b;
        }

        /// <summary>ESP32-S3-DevKitC-1 (N8R8): sensor on I2C1 at GPIO8/9, alerts on COM2 (GPIO17 TX, GPIO18 RX).</summary>
        public static BoardProfile Esp32S3DevKitC()
        {
            BoardProfile b = Nano("esp32-s3-devkitc", true, 8, 9, 7, "COM2", 17, 18, 5, 2);
            b.ModelBlobBytes = 524288;
            b.ModelArenaBytes = 262144;
            return b;
        }

        /// <summary>STM32F769I-DISCO: I2C1 on PB9/PB8 (Arduino D14/D15), alerts on COM6 = USART6 (PC6/PC7).</summary>
        public static BoardProfile Stm32F769IDisco()
        {
            BoardProfile b = Nano("stm32f769i-disco", false, 25, 24, 145, "COM6", 38, 39, 86, 149);
            b.ModelBlobBytes = 1048576;
            b.ModelArenaBytes = 524288;
            return b;
        }

        /// <summary>Meadow F7v2 Feather: I2C on D07/D08, alerts on COM1 (D12 TX, D13 RX), piezo on D09, red on-board LED.</summary>
        public static BoardProfile MeadowF7v2Feather()
        {
            BoardProfile b = new BoardProfile();
            b.Name = "meadow-f7v2-feather";
            b.Runtime = Meadow;
            b.RoutesPins = false;
            b.I2cBus = 1;
            b.I2cAddress = 0x57;
            b.SdaPin = PinRef.Named("D07");
            b.SclPin = PinRef.Named("D08");
            b.IntPin = PinRef.Named("D05");
            b.AlertPort = "COM1";
            b.AlertBaud = 115200;
            b.AlertTxPin = PinRef.Named("D12");
            b.AlertRxPin = PinRef.Named("D13");
            b.BuzzerPin = PinRef.Named("D09");
            b.LedPin = PinRef.Named("OnboardLedRed");
            b.ModelBlobBytes = 2097152;
            b.ModelArenaBytes = 1048576;
            return b;
        }

        private static BoardProfile Nano(string name, bool routesPins, int sda, int scl, int interrupt, string port, int tx, int rx, int buzzer, int led)
        {
            BoardProfile b = new BoardProfile();
            b.Name = name;
            b.Runtime = NanoFramework;
            b.RoutesPins = routesPins;
            b.I2cBus = 1;
            b.I2cAddress = 0x57;
            b.SdaPin = PinRef.Gpio(sda);
            b.SclPin = PinRef.Gpio(scl);
            b.IntPin = interrupt < 0 ? PinRef.None : PinRef.Gpio(interrupt);
            b.AlertPort = port;
            b.AlertBaud = 115200;
            b.AlertTxPin = PinRef.Gpio(tx);
            b.AlertRxPin = PinRef.Gpio(rx);
            b.BuzzerPin = PinRef.Gpio(buzzer);
            b.LedPin = PinRef.Gpio(led);
            return b;
        }
    }
}
