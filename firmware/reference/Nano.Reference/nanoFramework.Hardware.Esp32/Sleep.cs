// Compile-only reference declaration: lets host builds compile device code. Not the real implementation;
// every member throws NotSupportedException. Signature source: nanoframework/nanoFramework.Hardware.Esp32 (main, nanoFramework.Hardware.Esp32/Sleep.cs), package nanoFramework.Hardware.Esp32 1.6.x. Only the members the firmware uses.

using System;

namespace nanoFramework.Hardware.Esp32
{
    public class Sleep
    {
        public static EspNativeError EnableWakeupByTimer(TimeSpan time) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public static EspNativeError StartLightSleep() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public static void StartDeepSleep() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
    }
}
