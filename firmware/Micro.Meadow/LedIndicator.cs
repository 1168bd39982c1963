using Meadow.Foundation.Leds;
using Micro.App;

namespace Micro.Meadow
{
    /// <summary>The alarm LED through Meadow.Foundation's Led.</summary>
    internal sealed class LedIndicator : IIndicator
    {
        private readonly Led led;

        public LedIndicator(Led led)
        {
            this.led = led;
        }

        public void Set(bool on)
        {
            led.IsOn = on;
        }
    }
}
