using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Micro.Benchmarks.Cases;
using Micro.Tooling.Inspection;

namespace Micro.Benchmarks
{
    /// <summary>
    /// Arena, blob and payload bytes (BlobReport) per model, next to TensorFlow Lite Micro's arena_used_bytes
    /// and .tflite size where a conformance folder has them.
    /// </summary>
    public static class MemoryReport
    {
        public static int Print(string conformanceDir)
        {
            Console.WriteLine("| model | MACs | blob B | payload B (weights+biases+requant) | arena B | .tflite B | TFLM arena B (x86-64) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var c in BenchCases.All.Where(c => c.Kind == "Model"))
            {
                if (c.TryLoad(out string why) == null)
                {
                    Console.WriteLine($"| {c.Name} | skipped: {why} | | | | | |");
                    continue;
                }
                Row(c.Name, BlobReport.FromBlob(c.Blob), null, null);
            }
            if (conformanceDir != null && Directory.Exists(conformanceDir))
            {
                foreach (var dir in Directory.GetDirectories(conformanceDir).OrderBy(d => d, StringComparer.Ordinal))
                {
                    string name = Path.GetFileName(dir);
                    string info = Path.Combine(dir, "info.txt");
                    long? tfliteBytes = File.Exists(Path.Combine(dir, "model.tflite")) ? new FileInfo(Path.Combine(dir, "model.tflite")).Length : null;
                    long? tflmArena = null;
                    if (File.Exists(info))
                    {
                        var mt = Regex.Match(File.ReadAllText(info), @"arena_used_bytes:\s*(\d+)");
                        if (mt.Success) tflmArena = long.Parse(mt.Groups[1].Value);
                    }
                    byte[] blob = Conformance.TryConvert(Path.Combine(dir, "model.tflite"), out string why);
                    if (blob == null)
                    {
                        Console.WriteLine($"| {name} | not converted: {why} | | | | {tfliteBytes} | {tflmArena} |");
                        continue;
                    }
                    try
                    {
                        Row(name, BlobReport.FromBlob(blob), tfliteBytes, tflmArena);
                    }
                    catch (Micro.Runtime.BlobFormatException e)
                    {
                        Console.WriteLine($"| {name} | not loadable: {e.Message} | | | | {tfliteBytes} | {tflmArena} |");
                    }
                }
            }
            return 0;
        }

        private static void Row(string name, BlobReport r, long? tflite, long? tflmArena) =>
            Console.WriteLine($"| {name} | {r.MainMacs} | {r.BlobBytes} | {r.PayloadBytes} | {r.ArenaBytes} | {tflite?.ToString() ?? "-"} | {tflmArena?.ToString() ?? "-"} |");
    }

    /// <summary>TFLite → blob through the host tools' importer, once it exists in Micro.Tooling.</summary>
    public static class Conformance
    {
        public static byte[] TryConvert(string tflitePath, out string why)
        {
            why = "no TFLite importer in Micro.Tooling yet";
            return null;
        }
    }
}
