using Meadow.Foundation.Audio;
using Meadow.Units;
using Micro.App;

namespace Micro.Meadow
{
    /// <summary>The buzzer: a passive piezo on a PWM pin, a continuous tone while on (PlayTone without a
    /// duration plays until StopTone).</summary>
    internal sealed class PiezoIndicator : IIndicator
    {
        private readonly PiezoSpeaker speaker;
        private readonly Frequency tone;

        public PiezoIndicator(PiezoSpeaker speaker, double hertz)
        {
            this.speaker = speaker;
            tone = new Frequency(hertz, Frequency.UnitType.Hertz);
        }

        public void Set(bool on)
        {
            if (on) speaker.PlayTone(tone);
            else speaker.StopTone();
        }
    }
}
