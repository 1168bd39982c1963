// Compile-only reference declaration: lets host builds compile device code. Not the real implementation;
// every member throws NotSupportedException. Signature source: nanoframework/nanoFramework.Hardware.Esp32 (main, nanoFramework.Hardware.Esp32/DeviceTypePins.cs), package nanoFramework.Hardware.Esp32 1.6.x. Only the members the firmware uses; the values are the real ones (device type << 16 | bus index << 8 | pin function).

namespace nanoFramework.Hardware.Esp32
{
    public enum DeviceFunction
    {
        I2C1_DATA = 0x00020100,
        I2C1_CLOCK = 0x00020101,
        I2C2_DATA = 0x00020200,
        I2C2_CLOCK = 0x00020201,

        COM1_TX = 0x00030100,
        COM1_RX = 0x00030101,
        COM2_TX = 0x00030200,
        COM2_RX = 0x00030201,
        COM3_TX = 0x00030300,
        COM3_RX = 0x00030301,

        PWM1 = 0x00040100,
        PWM2 = 0x00040200,
        PWM3 = 0x00040300,
        PWM4 = 0x00040400,
    }
}
