// Compile-only reference declaration: lets host builds compile Meadow code. Not the real implementation;
// every member throws NotSupportedException. Signature source: WildernessLabs/Meadow.Core (develop,
// Source/Meadow.Core/Bases/App.cs), package Meadow (Meadow.Core). Only the members the firmware uses; the
// real class also implements IApp, which the firmware never touches.

using System;
using System.Threading.Tasks;

namespace Meadow
{
    public abstract class AppBase
    {
        protected AppBase() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public virtual Task Run() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public virtual Task Initialize() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
    }
}
