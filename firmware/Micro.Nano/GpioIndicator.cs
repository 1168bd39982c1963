using System.Device.Gpio;
using Micro.App;

namespace Micro.Nano
{
    /// <summary>
    /// An LED, or an active buzzer (one with its own oscillator: it sounds while its pin is high), on a GPIO.
    /// A passive piezo needs a PWM tone instead (nanoFramework.System.Device.Pwm).
    /// </summary>
    internal sealed class GpioIndicator : IIndicator
    {
        private readonly GpioPin pin;

        public GpioIndicator(GpioController controller, int pinNumber)
        {
            pin = controller.OpenPin(pinNumber, PinMode.Output);
            pin.Write(PinValue.Low);
        }

        public void Set(bool on)
        {
            pin.Write(on ? PinValue.High : PinValue.Low);
        }
    }
}
