// Compile-only reference declaration: lets host builds compile Meadow code. Not the real implementation;
// every member throws NotSupportedException. Signature source: WildernessLabs/Meadow.Units
// (Source/Meadow.Units/Frequency.cs), package Meadow.Units. Only the members the firmware uses.

using System;

namespace Meadow.Units
{
    public struct Frequency
    {
        public Frequency(double value, UnitType type = UnitType.Hertz) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public enum UnitType
        {
            Gigahertz,
            Megahertz,
            Kilohertz,
            Hertz,
        }

        public double Hertz { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }
    }
}
