using System;
using Micro.App;

namespace Micro.Nano
{
    /// <summary>Milliseconds since construction from DateTime.UtcNow.Ticks (100 ns), the nanoFramework 1.x time base.</summary>
    internal sealed class NanoClock : IClock
    {
        private readonly long startTicks = DateTime.UtcNow.Ticks;

        public long UptimeMs { get { return (DateTime.UtcNow.Ticks - startTicks) / 10000; } }
    }
}
