// Compile-only reference declaration: lets host builds compile Meadow code. Not the real implementation;
// every member throws NotSupportedException. Signature source: WildernessLabs/Meadow.Core (develop,
// Source/Meadow.Core/Bases/App_D.cs: the generic App<D>), package Meadow (Meadow.Core).

using System;

namespace Meadow
{
    public abstract class App<D> : AppBase
        where D : class, IMeadowDevice
    {
        public static D Device { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } protected set { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }

        public App() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
    }
}
