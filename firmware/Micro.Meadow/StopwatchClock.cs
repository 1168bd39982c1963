using System.Diagnostics;
using Micro.App;

namespace Micro.Meadow
{
    /// <summary>Milliseconds since start from a Stopwatch (full .NET on Meadow).</summary>
    internal sealed class StopwatchClock : IClock
    {
        private readonly Stopwatch watch = Stopwatch.StartNew();

        public long UptimeMs { get { return watch.ElapsedMilliseconds; } }
    }
}
