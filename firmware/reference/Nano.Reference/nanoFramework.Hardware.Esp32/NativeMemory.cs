// Compile-only reference declaration: lets host builds compile device code. Not the real implementation;
// every member throws NotSupportedException. Signature source: nanoframework/nanoFramework.Hardware.Esp32 (main, nanoFramework.Hardware.Esp32/NativeMemory.cs), package nanoFramework.Hardware.Esp32 1.6.x.

using System;

namespace nanoFramework.Hardware.Esp32
{
    public class NativeMemory
    {
        public enum MemoryType
        {
            All,
            Internal,
            SpiRam
        }

        public static void GetMemoryInfo(MemoryType memType, out UInt32 totalSize, out UInt32 totalFreeSize, out UInt32 largestFreeBlock)
        {
            throw new NotSupportedException("compile-only reference declaration; the real package runs on the device");
        }
    }
}
