// Compile-only reference declaration: lets host builds compile device code. Not the real implementation;
// every member throws NotSupportedException. Signature source: nanoframework/nanoFramework.Hardware.Esp32 (main, nanoFramework.Hardware.Esp32/Configuration.cs), package nanoFramework.Hardware.Esp32 1.6.x.

namespace nanoFramework.Hardware.Esp32
{
    public class Configuration
    {
        public static void SetPinFunction(int pin, DeviceFunction value) { throw new System.NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public static int GetFunctionPin(DeviceFunction function) { throw new System.NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
    }
}
