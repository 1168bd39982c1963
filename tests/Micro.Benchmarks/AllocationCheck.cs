using System;
using Micro.Benchmarks.Cases;
using Micro.Benchmarks.Portable;
using Micro.Runtime;

namespace Micro.Benchmarks
{
    /// <summary>
    /// Exact allocation check: after warm-up, GC.GetAllocatedBytesForCurrentThread around 2,000 calls of every
    /// case × style must not move. (BenchmarkDotNet's in-process MemoryDiagnoser can show a few bytes of
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
                    for (int i = 0; i < 200; i++) s.Run();
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    for (int i = 0; i < 2000; i++) s.Run();
                    long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
                    checkedCount++;
                    if (bytes != 0)
                    {
                        bad++;
                        Console.WriteLine($"ALLOCATES {c.Name} {name}: {bytes / 2000.0:0.##} B per call");
                    }
                }
            }
            Console.WriteLine(bad == 0
                ? $"allocated bytes per call: 0 in all {checkedCount} case × style combinations (2,000 calls each)"
                : $"{bad} of {checkedCount} case × style combinations allocate");
            return bad == 0 ? 0 : 1;
        }
    }
}
