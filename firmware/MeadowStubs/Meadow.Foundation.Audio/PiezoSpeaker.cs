// Compile-only reference declaration: lets host builds compile Meadow code. Not the real implementation;
// every member throws NotSupportedException. Signature source: WildernessLabs/Meadow.Foundation
// (Source/Meadow.Foundation.Core/Speakers/PiezoSpeaker.cs and its API page: PlayTone(Frequency),
// StopTone()), package Meadow.Foundation. Only the constructor the firmware uses (IPwmPort, present in
// every 1.x and 2.x version) and the tone members; the real class implements IToneGenerator and IDisposable.

using System;
using System.Threading.Tasks;
using Meadow.Hardware;
using Meadow.Units;

namespace Meadow.Foundation.Audio
{
    public class PiezoSpeaker : IDisposable
    {
        public PiezoSpeaker(IPwmPort port) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public Task PlayTone(Frequency frequency) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public Task PlayTone(Frequency frequency, TimeSpan duration) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public void StopTone() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public void Dispose() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
    }
}
