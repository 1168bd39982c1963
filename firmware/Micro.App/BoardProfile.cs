namespace Micro.App
{
    /// <summary>
    /// What the firmware needs to know about a board: where the MAX30102, the alert UART, the buzzer and
    /// the LED are, and the model budget. The values are those of boards/&lt;Name&gt;.json (a test loads
    /// each file with BoardCatalog and compares every field), kept in code because the device has no JSON
    /// parser and no file system to spare. Create one with <see cref="BoardProfiles"/>.
    /// </summary>
    public sealed class BoardProfile
    {
        /// <summary>The board id, e.g. "esp32-devkitc" (the board file's name).</summary>
        public string Name;

        /// <summary>"nanoFramework" or "Meadow", as in the board file.</summary>
        public string Runtime;

        /// <summary>True on ESP32 chips, where nanoFramework routes I2C and UART pins with
        /// Configuration.SetPinFunction; STM32 pins are fixed by the firmware build.</summary>
        public bool RoutesPins;

        public int I2cBus;
        public int I2cAddress;
        public PinRef SdaPin;
        public PinRef SclPin;

        /// <summary>The sensor's interrupt pin (PinRef.None when not wired). The loop polls; INT is unused.</summary>
        public PinRef IntPin;

        /// <summary>IR counts below which no skin is on the sensor (boards/*.json sensor.contact_min_ir; why 50,000
        /// and when to change it: boards/board.schema.json). Max30102SampleSource.ContactMinIr takes it.</summary>
        public int ContactMinIr;

        /// <summary>Serial port name of the alert UART ("COM2"; never COM1 on nanoFramework: the debugger).</summary>
        public string AlertPort;
        public int AlertBaud;
        public PinRef AlertTxPin;
        public PinRef AlertRxPin;

        public PinRef BuzzerPin;
        public PinRef LedPin;

        /// <summary>Largest model blob the board's budget allows (bytes).</summary>
        public int ModelBlobBytes;

        /// <summary>Where the board stores a deployed model file (ESP32: I:\heart-rate.mblob), or null when it has
        /// no storage the firmware reads (the model embedded in the firmware is then the only one).</summary>
        public string ModelFile;

        /// <summary>Largest activation arena the board's budget allows (bytes).</summary>
        public int ModelArenaBytes;
    }
}
