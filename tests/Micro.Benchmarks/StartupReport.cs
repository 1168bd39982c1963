using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Micro.Benchmarks.Cases;
using Micro.Runtime;

namespace Micro.Benchmarks
{
    /// <summary>
    /// Startup = Model.Load (every validation of the format) + new Interpreter (the one arena), per model.
    /// Cold: the first call in a fresh process, which on .NET includes JIT-compiling the loader; measured in a
    /// child process that only reads the blob file, so nothing else warmed the code. Warm: best and median of
    /// 200 calls after that (what a device without a JIT pays is neither: see the interpreter harness).
    /// </summary>
    public static class StartupReport
    {
        private const int WarmCalls = 200;

        public static int Print()
        {
            Console.WriteLine("| model | blob B | ops | cold first load ms (fresh process, incl. JIT) | warm load ms, best of 200 | warm median ms |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            string tmp = Path.Combine(Path.GetTempPath(), "micro-startup-" + Environment.ProcessId + ".mblob");
            try
            {
                foreach (var c in BenchCases.All.Where(c => c.Kind == "Model"))
                {
                    var m = c.TryLoad(out string why);
                    if (m == null)
                    {
                        Console.WriteLine($"| {c.Name} | skipped: {why} | | | | |");
                        continue;
                    }
                    File.WriteAllBytes(tmp, c.Blob);
                    double cold = ColdInChild(tmp);
                    var warm = Warm(c.Blob);
                    Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1} | {2} | {3:F2} | {4:F3} | {5:F3} |",
                        c.Name, c.Blob.Length, m.Ops.Length, cold, warm[0], warm[warm.Length / 2]));
                }
            }
            finally
            {
                File.Delete(tmp);
            }
            return 0;
        }

        /// <summary>Child-process entry: time the first Load + Interpreter of the blob file; prints ms.</summary>
        public static int Cold(string path)
        {
            byte[] blob = File.ReadAllBytes(path);
            long t0 = Stopwatch.GetTimestamp();
            var it = new Interpreter(Model.Load(blob));
            double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            GC.KeepAlive(it);
            Console.WriteLine(ms.ToString("R", CultureInfo.InvariantCulture));
            return 0;
        }

        private static double ColdInChild(string blobPath)
        {
            string self = typeof(StartupReport).Assembly.Location;
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            psi.ArgumentList.Add(self);
            psi.ArgumentList.Add("startup-cold");
            psi.ArgumentList.Add(blobPath);
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + self);
            string output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException("startup-cold failed: " + output);
            return double.Parse(output.Split('\n').Last(), CultureInfo.InvariantCulture);
        }

        private static double[] Warm(byte[] blob)
        {
            var ms = new double[WarmCalls];
            for (int i = 0; i < WarmCalls; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                var it = new Interpreter(Model.Load(blob));
                ms[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                GC.KeepAlive(it);
            }
            Array.Sort(ms);
            return ms;
        }
    }
}
