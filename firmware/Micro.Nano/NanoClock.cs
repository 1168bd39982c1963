using System;
using Micro.App;

namespace Micro.Nano
{
    /// <summary>
    /// Uptime that never goes backwards. Milliseconds come from Environment.TickCount64 (nanoFramework.Runtime.Native:
    /// milliseconds since the system started, independent of the wall clock, which SNTP or a user can set);
    /// where the firmware does not implement it (NotSupportedException, as on the Linux nanoCLR), from
    /// DateTime.UtcNow. Microseconds (for the self-test span) come from DateTime.UtcNow.Ticks, the only
    /// sub-millisecond time base 1.x has. Both are clamped so a jump back of the wall clock is absorbed
    /// (time stands still for the length of the jump) instead of running the clock backwards.
    /// </summary>
    internal sealed class NanoClock : IClock, IMicroClock
    {
        private readonly bool hasTickCount;
        private readonly long startMs;
        private readonly long startTicks = DateTime.UtcNow.Ticks;
        private long lastMs;
        private long lastMicros;
        private long lastTicks;
        private long micros;

        public NanoClock()
        {
            try
            {
                startMs = Environment.TickCount64;
                hasTickCount = true;
            }
            catch (NotSupportedException)
            {
                hasTickCount = false;
            }
            lastTicks = startTicks;
        }

        public long UptimeMs
        {
            get
            {
                long ms = hasTickCount ? Environment.TickCount64 - startMs : Microseconds / 1000;
                if (ms < lastMs) ms = lastMs;
                lastMs = ms;
                return ms;
            }
        }

        public long Microseconds
        {
            get
            {
                long now = DateTime.UtcNow.Ticks;
                long step = now - lastTicks;
                lastTicks = now;
                if (step > 0) micros += step / 10;   // a backwards jump adds nothing
                if (micros < lastMicros) micros = lastMicros;
                lastMicros = micros;
                return micros;
            }
        }
    }
}
