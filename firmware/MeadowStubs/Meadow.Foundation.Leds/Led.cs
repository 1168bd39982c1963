// Compile-only reference declaration: lets host builds compile Meadow code. Not the real implementation;
// every member throws NotSupportedException. Signature source: WildernessLabs/Meadow.Foundation
// (Source/Meadow.Foundation.Core/Leds/Led.cs), package Meadow.Foundation. Only the members the firmware
// uses (the real class implements Meadow.Peripherals.Leds.ILed).

using System;
using Meadow.Hardware;

namespace Meadow.Foundation.Leds
{
    public partial class Led
    {
        public Led(IPin pin) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public bool IsOn { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } set { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }
    }
}
