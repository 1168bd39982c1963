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
            string dir = conformanceDir ?? Conformance.Dir();
            Console.WriteLine("| model | MACs | blob B | payload B (weights+biases+requant) | arena B | heap B at load (.NET x64) | of which per-op int arrays B | of which conv window scratch B | .tflite B | TFLM arena B (x86-64) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var c in BenchCases.All.Where(c => c.Kind == "Model"))
            {
                long? tfliteBytes = null, tflmArena = null;
                if (c.Name.StartsWith("tflite_", StringComparison.Ordinal) && dir != null)
                {
                    string folder = Path.Combine(dir, c.Name.Substring("tflite_".Length));
                    string file = Path.Combine(folder, "model.tflite");
                    if (File.Exists(file)) tfliteBytes = new FileInfo(file).Length;
                    tflmArena = Conformance.TflmArena(folder);
                }
                if (c.Blob == null || c.TryLoad(out _) == null)
                {
                    c.TryLoad(out string why);
                    Console.WriteLine($"| {c.Name} | skipped: {why} | | | | | | | {tfliteBytes?.ToString() ?? "-"} | {tflmArena?.ToString() ?? "-"} |");
                    continue;
                }
                Row(c.Name, c.Blob, tfliteBytes, tflmArena);
            }
            return 0;
        }

        private static void Row(string name, byte[] blob, long? tflite, long? tflmArena)
        {
            var r = BlobReport.FromBlob(blob);
            Console.WriteLine($"| {name} | {r.MainMacs} | {r.BlobBytes} | {r.PayloadBytes} | {r.ArenaBytes} | {LoadHeapBytes(blob)} | {OpArrayBytes(blob)} | {ScratchBytes(blob)} | {tflite?.ToString() ?? "-"} | {tflmArena?.ToString() ?? "-"} |");
        }

        /// <summary>
        /// Payload bytes of the arrays Prepare builds per op (bias, border bias, multipliers, shifts, tables,
        /// geometry): what the device heap holds besides the blob and the arena (array headers not counted).
        /// </summary>
        public static long OpArrayBytes(byte[] blob)
        {
            var m = Micro.Runtime.Model.Load(blob);
            long n = 0;
            foreach (var op in m.Ops) n += DataBytes(op.Data);
            return n;
        }

        /// <summary>
        /// Payload of one op's prepared state (its kernel's data class): array elements and int fields
        /// (the shared LaneWindow is counted once per model by ScratchBytes, not here).
        /// </summary>
        public static long DataBytes(object data)
        {
            if (data == null) return 0;
            long n = 0;
            foreach (var f in data.GetType().GetFields())
            {
                object v = f.GetValue(data);
                if (v is int) n += 4;
                else if (v is int[] i) n += 4L * i.Length;
                else if (v is long[] l) n += 8L * l.Length;
                else if (v is sbyte[] sb) n += sb.Length;
            }
            return n;
        }

        /// <summary>Payload bytes of the long[] window the packed conv paths share (LaneWindow, one per model).</summary>
        public static long ScratchBytes(byte[] blob)
        {
            var m = Micro.Runtime.Model.Load(blob);
            foreach (var op in m.Ops)
                if (op.Data is Micro.Runtime.Kernels.ConvData c && c.Lanes != null) return 8L * c.Lanes.Values.Length;
            return 0;
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

    /// <summary>
    /// The real models of shared/conformance/tflite as benchmark cases, converted with the host tools' TFLite
    /// importer (Micro.Tooling.TFLite.TfliteImporter, looked up by name so this project builds before it lands).
    /// Folder: $MICRO_CONFORMANCE_DIR, else shared/conformance/tflite beside the repository.
    /// </summary>
    public static class Conformance
    {
        public static string Dir()
        {
            string env = Environment.GetEnvironmentVariable("MICRO_CONFORMANCE_DIR");
            if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? env : null;
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            {
                if (!File.Exists(Path.Combine(d.FullName, "Micro.sln"))) continue;
                foreach (var candidate in new[] { Path.Combine(d.FullName, "..", "shared", "conformance", "tflite"), Path.Combine(d.FullName, "shared", "conformance", "tflite") })
                    if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
                break;
            }
            return Directory.Exists("/work/shared/conformance/tflite") ? "/work/shared/conformance/tflite" : null;
        }

        public static IEnumerable<BenchCase> Cases()
        {
            string dir = Dir();
            if (dir == null) yield break;
            foreach (var d in Directory.GetDirectories(dir).OrderBy(x => x, StringComparer.Ordinal))
            {
                string tflite = Path.Combine(d, "model.tflite");
                if (!File.Exists(tflite)) continue;
                string name = "tflite_" + Path.GetFileName(d);
                yield return new BenchCase(name, "Model", () => Convert(File.ReadAllBytes(tflite), Path.GetFileName(d)));
            }
        }

        public static byte[] Convert(byte[] tflite, string name)
        {
            var importer = Type.GetType("Micro.Tooling.TFLite.TfliteImporter, Micro.Tooling")
                ?? throw new InvalidOperationException("no TFLite importer in Micro.Tooling yet");
            var import = importer.GetMethod("Import", new[] { typeof(byte[]), typeof(string) })
                ?? throw new InvalidOperationException("TfliteImporter has no Import(byte[], string)");
            var graph = (Micro.Tooling.Graph.QGraph)import.Invoke(null, new object[] { tflite, name });
            return Micro.Tooling.Blob.BlobEmitter.Emit(graph);
        }

        /// <summary>TFLM's arena_used_bytes from a conformance folder's info.txt, if given.</summary>
        public static long? TflmArena(string folder)
        {
            string info = Path.Combine(folder, "info.txt");
            if (!File.Exists(info)) return null;
            var mt = Regex.Match(File.ReadAllText(info), @"arena_used_bytes:\s*(\d+)");
            return mt.Success ? long.Parse(mt.Groups[1].Value) : null;
        }
    }
}
