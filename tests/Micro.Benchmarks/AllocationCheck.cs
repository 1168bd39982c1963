using System;
using Micro.Benchmarks.Cases;
using Micro.Benchmarks.Portable;
using Micro.Runtime;

namespace Micro.Benchmarks
{
    /// <summary>
    /// Exact allocation check: after warm-up, GC.GetAllocatedBytesForCurrentThread around 50–2,000 calls of
    /// every case × style must not move. (BenchmarkDotNet's in-process MemoryDiagnoser can show a few bytes of
    /// runtime noise per call; this is the precise answer.)
    /// </summary>
    public static class AllocationCheck
    {
        public static int Run()
        {
            int bad = 0, checkedCount = 0;
            foreach (var c in BenchCases.All)
            {
                var m = c.TryLoad(out string why);
                if (m == null)
                {
                    Console.WriteLine($"SKIPPED {c.Name,-26} {why}");
                    continue;
                }
                var it = new Interpreter(m) { EarlyExitEnabled = false };
                Styles.RandomInputs(it, 42);
                foreach (string name in Styles.For(c.Kind))
                {
                    var s = Styles.Create(name, it);
                    if (s == null) continue;
                    // Warm up (tiered JIT) for at least 50 calls and 0.2 s, then count over as many calls (50–2,000):
                    // the counter is exact, so any allocation per call shows.
                    int calls = Math.Min(2000, Repeat(s, 50, 0.2));
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    for (int i = 0; i < calls; i++) s.Run();
                    long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
                    checkedCount++;
                    if (bytes != 0)
                    {
                        bad++;
                        Console.WriteLine($"ALLOCATES {c.Name} {name}: {bytes} B over {calls} calls");
                    }
                }
            }
            Console.WriteLine(bad == 0
                ? $"allocated bytes per call: 0 in all {checkedCount} case × style combinations"
                : $"{bad} of {checkedCount} case × style combinations allocate");
            return bad == 0 ? 0 : 1;
        }

        /// <summary>Runs at least minCalls calls and at least minSeconds; returns the number of calls.</summary>
        private static int Repeat(KernelStyle s, int minCalls, double minSeconds)
        {
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            long minTicks = (long)(minSeconds * System.Diagnostics.Stopwatch.Frequency);
            int n = 0;
            while (n < minCalls || System.Diagnostics.Stopwatch.GetTimestamp() - t0 < minTicks)
            {
                s.Run();
                n++;
            }
            return n;
        }
    }
}
