using Micro.App;

namespace Micro.Nano.Alarm
{
    /// <summary>A simulated device clock: it moves only when the replay advances it, one tick at a time.</summary>
    public sealed class ReplayClock : IClock
    {
        private long now;

        public long UptimeMs { get { return now; } }

        public void Advance(long ms)
        {
            now += ms;
        }
    }
}
