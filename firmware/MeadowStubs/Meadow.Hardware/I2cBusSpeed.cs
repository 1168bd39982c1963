// Compile-only reference declaration: lets host builds compile Meadow code. Interfaces and enums only, so
// there is nothing to run. Signature source: WildernessLabs/Meadow.Contracts (Source/Meadow.Contracts/Enums/I2cBusSpeed.cs), package Meadow.Contracts.

namespace Meadow.Hardware
{
    public enum I2cBusSpeed
    {
        Standard = 100000,
        Fast = 400000,
        FastPlus = 1000000,
        High = 3400000,
        UltraFast = 5000000
    }
}
