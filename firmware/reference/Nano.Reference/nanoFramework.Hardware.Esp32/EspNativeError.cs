// Compile-only reference declaration: lets host builds compile device code. Not the real implementation;
// every member throws NotSupportedException. Signature source: nanoframework/nanoFramework.Hardware.Esp32 (main, nanoFramework.Hardware.Esp32/Errors.cs), package nanoFramework.Hardware.Esp32 1.6.x.

namespace nanoFramework.Hardware.Esp32
{
    public enum EspNativeError : int
    {
        OK = 0,
        FAIL = -1,
        NO_MEM = 0x101,
        INVALID_ARG = 0x102,
        INVALID_STATE = 0x103,
        INVALID_SIZE = 0x104,
        NOT_FOUND = 0x105,
        NOT_SUPPORTED = 0x106,
        TIMEOUT = 0x107,
        INVALID_RESPONSE = 0x108,
        INVALID_CRC = 0x109,
        INVALID_VERSION = 0x10A,
        INVALID_MAC = 0x10B,
        WIFI_BASE = 0x3000
    }
}
