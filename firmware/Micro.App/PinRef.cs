namespace Micro.App
{
    /// <summary>
    /// A pin as a board file names it: an integer on nanoFramework (ESP32 GPIO number; STM32
    /// (port − 'A') · 16 + pin) or a name on Meadow ("D07", "OnboardLedRed").
    /// </summary>
    public sealed class PinRef
    {
        /// <summary>No pin (an optional pin the board does not wire).</summary>
        public static readonly PinRef None = new PinRef(-1, null);

        private readonly int number;
        private readonly string name;

        private PinRef(int number, string name)
        {
            this.number = number;
            this.name = name;
        }

        public static PinRef Gpio(int number)
        {
            return new PinRef(number, null);
        }

        public static PinRef Named(string name)
        {
            return new PinRef(-1, name);
        }

        /// <summary>The pin number, or −1 for a named pin or None.</summary>
        public int Number { get { return number; } }

        /// <summary>The pin name, or null for a numbered pin or None.</summary>
        public string Name { get { return name; } }

        public bool IsNone { get { return number < 0 && name == null; } }

        public override string ToString()
        {
            if (name != null) return name;
            return number < 0 ? "-" : number.ToString();
        }
    }
}
