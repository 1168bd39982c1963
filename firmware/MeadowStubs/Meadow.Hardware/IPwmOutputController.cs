// Compile-only reference declaration: lets host builds compile Meadow code. Interfaces carry no code.
// Signature source: WildernessLabs/Meadow.Contracts
// (Source/Meadow.Contracts/Hardware/Contracts/IOControllers/IPwmOutputController.cs), package
// Meadow.Contracts. The real default duty cycle is the interface constant DefaultPwmDutyCycle = 0.5f
// (interface constants need C# 8 runtime support, so the value is written in place); base IPinController omitted.

using Meadow.Units;

namespace Meadow.Hardware
{
    public interface IPwmOutputController
    {
        IPwmPort CreatePwmPort(IPin pin, Frequency frequency, float dutyCycle = 0.5f, bool invert = false);
    }
}
