using System;

namespace Micro.Drivers.Simulation
{
    /// <summary>
    /// Device time for a slower board: the real elapsed time since construction (DateTime.UtcNow.Ticks,
    /// 100 ns, the nanoFramework 1.x time base) × Factor. On nanoCLR on a PC, Factor 250 makes every
    /// millisecond the interpreter spends count as the 250 ms a classic ESP32 would spend on the same code,
    /// so a <see cref="SimulatedMax30102"/> on this clock overflows when the board's FIFO would.
    /// </summary>
    public sealed class ScaledDeviceTime : IDeviceTime
    {
        private readonly long startTicks = DateTime.UtcNow.Ticks;
        private readonly int factor;

        public ScaledDeviceTime(int factor)
        {
            if (factor < 1) throw new ArgumentOutOfRangeException("factor");
            this.factor = factor;
        }

        /// <summary>Slow-down factor of the simulated board against this machine.</summary>
        public int Factor { get { return factor; } }

        /// <summary>Elapsed real time × Factor, µs.</summary>
        public long DeviceMicroseconds { get { return (DateTime.UtcNow.Ticks - startTicks) * factor / 10; } }
    }
}
