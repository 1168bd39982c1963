using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using Micro.Runtime;
using Micro.Runtime.Format;

namespace Micro.Benchmarks.Portable
{
    /// <summary>
    /// A plain Stopwatch harness over the .mblob files that `Micro.Benchmarks gen DIR` writes: the same code
    /// runs on .NET's JIT (`Micro.Benchmarks harness DIR`) and under Mono's IL interpreter (bench/mono), so the
    /// two columns of docs/performance.md come from one timing loop. Per case and style: calibrate the
    /// iteration count to about round-ms, then report the best of `rounds` rounds (default 7 × 100 ms).
    ///
    /// Output (tab-separated, one line per case × style):
    /// case kind style macs elements ns_per_call ns_per_mac ns_per_element diff_bytes extra_bytes
    /// </summary>
    public static class Harness
    {
        public static int Run(string[] args)
        {
            if (args.Length < 1)
            {
                Console.Error.WriteLine("usage: harness BLOB_DIR [--out FILE] [--filter TEXT] [--round-ms N] [--rounds N] [--label TEXT]");
                return 2;
            }
            string dir = args[0], outFile = null, filter = null, label = "";
            int roundMs = 100, rounds = 7;
            for (int i = 1; i < args.Length; i++)
            {
                if (args[i] == "--out" && i + 1 < args.Length) outFile = args[++i];
                else if (args[i] == "--filter" && i + 1 < args.Length) filter = args[++i];
                else if (args[i] == "--round-ms" && i + 1 < args.Length) roundMs = int.Parse(args[++i]);
                else if (args[i] == "--rounds" && i + 1 < args.Length) rounds = int.Parse(args[++i]);
                else if (args[i] == "--label" && i + 1 < args.Length) label = args[++i];
                else
                {
                    Console.Error.WriteLine("unknown argument " + args[i]);
                    return 2;
                }
            }
            string manifest = Path.Combine(dir, "cases.tsv");
            if (!File.Exists(manifest))
            {
                Console.Error.WriteLine("no " + manifest + ": write the blobs first (Micro.Benchmarks gen " + dir + ")");
                return 2;
            }

            string header = "case\tkind\tstyle\tmacs\telements\tns_per_call\tns_per_mac\tns_per_element\tdiff_bytes\textra_bytes";
            label = label + " | clock: " + Clock.Kind + ", round " + roundMs + " ms, best of " + rounds;
            Console.WriteLine("# " + label);
            StreamWriter w = null;
            if (outFile != null)
            {
                w = new StreamWriter(outFile + ".tmp");
                w.WriteLine("# " + label);
                w.WriteLine(header);
            }
            Console.WriteLine(string.Format("{0,-26} {1,-12} {2,12} {3,10} {4,12} {5,9} {6,9} {7,5}", "case", "style", "MACs", "elements", "ns/call", "ns/MAC", "ns/elem", "diff"));
            int failures = 0;
            foreach (string line in File.ReadAllLines(manifest))
            {
                if (line.Length == 0 || line[0] == '#') continue;
                string[] f = line.Split('\t');
                string name = f[0], kind = f[1];
                if (filter != null && name.IndexOf(filter, StringComparison.Ordinal) < 0) continue;
                byte[] blob = File.ReadAllBytes(Path.Combine(dir, name + ".mblob"));
                Model m;
                try
                {
                    m = Model.Load(blob);
                }
                catch (BlobFormatException e)
                {
                    if (e.Code != ErrorCodes.UnknownOpcode) throw;
                    Console.WriteLine(string.Format("{0,-26} SKIPPED: {1}", name, e.Message));
                    continue;
                }
                Interpreter it = new Interpreter(m);
                it.EarlyExitEnabled = false;
                Styles.RandomInputs(it, 42);
                long macs = m.MainMacs;
                Tensor y = m.Tensors[m.Outputs[0]];
                long elements = y.ElementCount;
                foreach (string styleName in Styles.For(kind))
                {
                    KernelStyle s = Styles.Create(styleName, it);
                    if (s == null) continue;
                    int diff = Styles.Verify(s);
                    if (diff != 0) failures++;
                    double ns = Measure(s, roundMs, rounds);
                    double nsMac = macs > 0 ? ns / macs : 0;
                    double nsElem = ns / elements;
                    Console.WriteLine(string.Format("{0,-26} {1,-12} {2,12} {3,10} {4,12:F0} {5,9:F3} {6,9:F2} {7,5}{8}",
                        name, styleName, macs, elements, ns, nsMac, nsElem, diff, diff != 0 ? "  NOT BIT-EXACT" : ""));
                    if (w != null)
                        w.WriteLine(name + "\t" + kind + "\t" + styleName + "\t" + macs + "\t" + elements + "\t" + F(ns) + "\t" + F(nsMac) + "\t" + F(nsElem) + "\t" + diff + "\t" + s.ExtraBytes);
                }
            }
            if (w != null)
            {
                w.Close();
                if (File.Exists(outFile)) File.Delete(outFile);
                File.Move(outFile + ".tmp", outFile);
            }
            if (failures != 0) Console.WriteLine(failures + " style(s) NOT bit-exact");
            return failures == 0 ? 0 : 1;
        }

        /// <summary>Best (lowest) ns per Run() over `rounds` rounds of about roundMs each, after a warm-up.</summary>
        public static double Measure(KernelStyle s, int roundMs, int rounds)
        {
            // Warm up for at least 3 rounds' time, so tiered JIT (.NET) and the interpreter's own tiering (Mono)
            // have reached their steady code before anything is measured; this also calibrates n.
            long n = 1;
            double ticks;
            double targetTicks = roundMs * 1e6;
            double warm = 0;
            while (true)
            {
                ticks = Time(s, n);
                warm += ticks;
                if (ticks >= targetTicks / 4 && warm >= 3 * targetTicks) break;
                if (ticks < targetTicks / 4) n *= 2;
            }
            n = Math.Max(1, (long)(n * targetTicks / ticks));
            double[] r = new double[rounds];
            for (int i = 0; i < rounds; i++) r[i] = Time(s, n) / n;
            // The fastest round: interference from other processes (cache, memory bandwidth) only ever adds time.
            Array.Sort(r);
            return r[0];
        }

        private static double Time(KernelStyle s, long n)
        {
            long t0 = Clock.Now();
            for (long i = 0; i < n; i++) s.Run();
            return Clock.Now() - t0;
        }

        private static string F(double v)
        {
            return v.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// CPU time of the calling thread in ns (clock_gettime(CLOCK_THREAD_CPUTIME_ID) on Linux), so time the
    /// thread spends preempted on a shared machine is not counted; the wall clock (Stopwatch) elsewhere.
    /// </summary>
    public static class Clock
    {
        [StructLayout(LayoutKind.Sequential)]
        private struct TimeSpec
        {
            public long Sec;
            public long Nsec;
        }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clockId, out TimeSpec ts);

        private const int ClockThreadCpuTime = 3;
        private static readonly bool ThreadCpu = Probe();

        public static string Kind { get { return ThreadCpu ? "thread CPU time" : "wall clock (Stopwatch)"; } }

        private static bool Probe()
        {
            try
            {
                TimeSpec ts;
                return Environment.GetEnvironmentVariable("MICRO_BENCH_WALL_CLOCK") == null && ClockGetTime(ClockThreadCpuTime, out ts) == 0;
            }
            catch (Exception)
            {
                return false;
            }
        }

        public static long Now()
        {
            if (ThreadCpu)
            {
                TimeSpec ts;
                ClockGetTime(ClockThreadCpuTime, out ts);
                return ts.Sec * 1000000000L + ts.Nsec;
            }
            return (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
        }
    }
}
