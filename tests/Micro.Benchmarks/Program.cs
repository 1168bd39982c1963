using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Micro.Benchmarks.Cases;
using Micro.Benchmarks.Jit;
using Micro.Benchmarks.Portable;

namespace Micro.Benchmarks
{
    /// <summary>
    /// Micro.Benchmarks                      BenchmarkDotNet suite (any BenchmarkDotNet arguments, e.g. --filter '*' --job short)
    /// Micro.Benchmarks list                 the cases, and which are skipped because the runtime lacks a kernel
    /// Micro.Benchmarks gen DIR              write every case as DIR/&lt;case&gt;.mblob + DIR/cases.tsv (for the Mono harness)
    /// Micro.Benchmarks harness DIR [...]    the Stopwatch harness of bench/ on .NET's JIT (same code as under Mono)
    /// Micro.Benchmarks compare JIT INTERP   join two harness outputs: ns/MAC, interpreted/JIT ratio, speed-up vs naive
    /// Micro.Benchmarks il                  hot-loop IL per MAC of every kernel style, with a nanoCLR estimate
    /// Micro.Benchmarks alloc               exact allocated bytes per call of every case × style (must be 0)
    /// Micro.Benchmarks memory [CONF_DIR]    arena, blob and payload bytes per model (vs TFLM where known)
    /// Micro.Benchmarks startup              Model.Load + new Interpreter per model: cold (fresh process) and warm ms
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            string cmd = args.Length > 0 ? args[0] : "";
            switch (cmd)
            {
                case "list":
                    PrintSkips(all: true);
                    return 0;
                case "gen":
                    if (args.Length != 2) return Usage();
                    BenchCases.WriteBlobs(args[1]);
                    Console.WriteLine($"wrote {BenchCases.All.Count} blobs to {args[1]}");
                    return 0;
                case "harness":
                    return Harness.Run(args.Skip(1).ToArray());
                case "compare":
                    if (args.Length != 3) return Usage();
                    Compare.Print(args[1], args[2]);
                    return 0;
                case "il":
                    return IlCost.Print();
                case "alloc":
                    return AllocationCheck.Run();
                case "memory":
                    return MemoryReport.Print(args.Length > 1 ? args[1] : null);
                case "startup":
                    return StartupReport.Print();
                case "startup-cold":
                    if (args.Length != 2) return Usage();
                    return StartupReport.Cold(args[1]);
                case "-h":
                case "--help":
                    return Usage();
            }
            PrintSkips(all: false);
            var config = DefaultConfig.Instance
                .AddColumn(BenchmarkDotNet.Columns.StatisticColumn.Median, BenchmarkDotNet.Columns.StatisticColumn.Min)
                .AddColumn(new PerWorkColumn(PerWorkColumn.What.Macs), new PerWorkColumn(PerWorkColumn.What.NsPerMac), new PerWorkColumn(PerWorkColumn.What.NsPerElement))
                .WithSummaryStyle(BenchmarkDotNet.Reports.SummaryStyle.Default.WithMaxParameterColumnWidth(40));
            BenchmarkSwitcher.FromTypes(new[] { typeof(KernelBenchmarks), typeof(FcStyleBenchmarks), typeof(Conv1DStyleBenchmarks), typeof(DepthwiseStyleBenchmarks) }).Run(args, config);
            return 0;
        }

        private static void PrintSkips(bool all)
        {
            foreach (var c in BenchCases.All)
            {
                var m = c.TryLoad(out string why);
                if (m == null) Console.WriteLine($"SKIPPED {c.Name,-26} {why}");
                else if (all) Console.WriteLine($"ok      {c.Name,-26} {c.Kind,-16} {m.MainMacs,9} MACs  blob {c.Blob.Length} B  arena {m.ArenaSize} B");
            }
        }

        private static int Usage()
        {
            Console.Error.WriteLine("usage: Micro.Benchmarks [list | gen DIR | alloc | il | harness DIR [--out F] [--filter T] | compare JIT.tsv INTERP.tsv | memory [CONFORMANCE_DIR] | startup | BenchmarkDotNet args]");
            return 2;
        }
    }

    /// <summary>Joins the harness's .NET JIT and Mono interpreter outputs into one markdown table.</summary>
    public static class Compare
    {
        private sealed record Row(string Case, string Kind, string Style, long Macs, long Elements, double Ns, int Diff, int Extra);

        private static List<Row> Read(string path) =>
            File.ReadAllLines(path).Where(l => l.Length > 0 && l[0] != '#' && !l.StartsWith("case\t"))
                .Select(l => l.Split('\t'))
                .Select(f => new Row(f[0], f[1], f[2], long.Parse(f[3]), long.Parse(f[4]), double.Parse(f[5], CultureInfo.InvariantCulture),
                    int.Parse(f[8]), int.Parse(f[9])))
                .ToList();

        /// <summary>Kinds timed per MAC; the others (pools, ADD, SOFTMAX) per output element.</summary>
        private static bool PerMac(string kind) => kind is "FC" or "Conv1D" or "Conv2D" or "DepthwiseConv2D" or "Model";

        public static void Print(string jitPath, string interpPath)
        {
            var jit = Read(jitPath);
            var interp = Read(interpPath).ToDictionary(r => (r.Case, r.Style));
            Console.WriteLine("| case | style | MACs | JIT ns/MAC | interp. ns/MAC | interp./JIT | JIT × vs naive | interp. × vs naive | JIT × vs runtime kernel | interp. × vs runtime kernel | bit-exact | extra RAM B |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|");
            foreach (var j in jit)
            {
                interp.TryGetValue((j.Case, j.Style), out var i);
                Row Find(string style) => jit.FirstOrDefault(r => r.Case == j.Case && r.Style == style);
                Row FindI(string style) => interp.TryGetValue((j.Case, style), out var r) ? r : null;
                bool perMac = PerMac(j.Kind) && j.Macs > 0;
                string unit(double ns) => perMac ? (ns / j.Macs).ToString("0.000") : (ns / j.Elements).ToString("0.00") + " /elem";
                string vs(Row baseline, Row r) => baseline == null || r == null ? "" : (baseline.Ns / r.Ns).ToString("0.00");
                Console.WriteLine($"| {j.Case} | {j.Style} | {(perMac ? j.Macs.ToString() : "-")} | {unit(j.Ns)} | {(i == null ? "" : unit(i.Ns))} | " +
                    $"{(i == null ? "" : (i.Ns / j.Ns).ToString("0"))} | {vs(Find("Naive"), j)} | {vs(FindI("Naive"), i)} | " +
                    $"{vs(Find("Kernel"), j)} | {vs(FindI("Kernel"), i)} | " +
                    $"{(j.Diff == 0 && (i == null || i.Diff == 0) ? "yes" : "NO")} | {j.Extra} |");
            }
        }
    }
}
