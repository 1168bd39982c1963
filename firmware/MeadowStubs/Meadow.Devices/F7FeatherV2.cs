// Compile-only reference declaration: lets host builds compile Meadow code. Not the real implementation;
// every member throws NotSupportedException. Signature source: WildernessLabs/Meadow.Core (develop,
// Source/implementations/f7/Meadow.F7/Devices/F7FeatherV2.cs), package Meadow.F7.

using System;

namespace Meadow.Devices
{
    public partial class F7FeatherV2 : F7FeatherBase
    {
        public F7FeatherV2() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
    }
}
