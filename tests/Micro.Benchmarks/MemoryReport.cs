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
            Console.WriteLine("| model | MACs | blob B | payload B (weights+biases+requant) | arena B | heap B at load (.NET x64) | .tflite B | TFLM arena B (x86-64) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var c in BenchCases.All.Where(c => c.Kind == "Model"))
            {
                if (c.TryLoad(out string why) == null)
                {
                    Console.WriteLine($"| {c.Name} | skipped: {why} | | | | | | |");
                    continue;
                }
                Row(c.Name, c.Blob, null, null);
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
                        Console.WriteLine($"| {name} | not converted: {why} | | | | | {tfliteBytes} | {tflmArena} |");
                        continue;
                    }
                    try
                    {
                        Row(name, blob, tfliteBytes, tflmArena);
                    }
                    catch (Micro.Runtime.BlobFormatException e)
                    {
                        Console.WriteLine($"| {name} | not loadable: {e.Message} | | | | | {tfliteBytes} | {tflmArena} |");
                    }
                }
            }
            return 0;
        }

        private static void Row(string name, byte[] blob, long? tflite, long? tflmArena)
        {
            var r = BlobReport.FromBlob(blob);
            Console.WriteLine($"| {name} | {r.MainMacs} | {r.BlobBytes} | {r.PayloadBytes} | {r.ArenaBytes} | {LoadHeapBytes(blob)} | {tflite?.ToString() ?? "-"} | {tflmArena?.ToString() ?? "-"} |");
        }

        /// <summary>
        /// Managed bytes Model.Load + new Interpreter allocate (decoded tables, bias/requant arrays, the arena),
        /// not counting the blob itself. .NET x64 object sizes: a rough guide to the device's heap use.
        /// </summary>
        public static long LoadHeapBytes(byte[] blob)
        {
            Micro.Runtime.Model.Load(blob);  // warm up (static tables, JIT)
            long before = GC.GetAllocatedBytesForCurrentThread();
            var m = Micro.Runtime.Model.Load(blob);
            var it = new Micro.Runtime.Interpreter(m);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            GC.KeepAlive(it);
            return bytes;
        }
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
