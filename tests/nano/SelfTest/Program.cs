using System;
using Micro.App;
using Micro.NanoData;
using Micro.Runtime;

namespace Micro.Nano.SelfTest
{
    /// <summary>
    /// nanoCLR side of the boot self-test check: every NanoData stream is a blob; each is loaded and its
    /// self-test run exactly as ModelLoader does at boot. Prints one line per blob:
    /// "selftest NAME PRESENT PASSED VECTORS OK MICROS" (MICROS from DateTime ticks, best effort), or
    /// "selftest NAME load CODE" when Model.Load refuses it.
    /// </summary>
    public static class Program
    {
        private sealed class TickClock : IMicroClock
        {
            public long Microseconds { get { return DateTime.UtcNow.Ticks / 10; } }
        }

        public static void Main()
        {
            TickClock clock = new TickClock();
            for (int i = 0; i < Manifest.Count(); i++)
            {
                string name = Manifest.Name(i);
                Model model;
                try
                {
                    model = Model.Load(Manifest.Bytes(i));
                }
                catch (BlobFormatException e)
                {
                    Console.WriteLine("selftest " + name + " load " + e.Code);
                    continue;
                }
                SelfTestResult r = ModelSelfTest.Run(model, clock);
                Console.WriteLine("selftest " + name + " " + (r.Present ? "1" : "0") + " " + r.Passed + " " + r.Vectors + " "
                    + (r.Ok ? "1" : "0") + " " + r.Micros);
            }
        }
    }
}
