// Compile-only reference declaration: lets host builds compile Meadow code. Interfaces carry no code.
// Signature source: WildernessLabs/Meadow.Contracts
// (Source/Meadow.Contracts/Hardware/Contracts/IOControllers/II2cController.cs), package Meadow.Contracts.
// Only the overload the firmware uses (the real one also takes pins); base IPinController omitted.

namespace Meadow.Hardware
{
    public interface II2cController
    {
        II2cBus CreateI2cBus(int busNumber = 1, I2cBusSpeed busSpeed = I2cBusSpeed.Standard);
    }
}
