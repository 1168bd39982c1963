#nullable enable
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Micro.Runtime;
using Micro.Runtime.Format;
using Micro.Tooling.Blob;
using Micro.Tooling.Graph;
using Micro.Tooling.TFLite;

namespace Micro.Tooling.Tests.TFLite;

/// <summary>
/// Mutates the five real models (bit flips, byte and word overwrites with boundary values, random
/// offsets, chunk copies, truncation) and feeds each result through reader, importer, emitter and the
/// runtime's loader. The only acceptable outcomes: TfliteFormatException, TfliteImportException, or a blob
/// that loads (a loader refusing an imported blob means the importer let something invalid through; the
/// one exception is a kernel this runtime build does not have yet). Mutations land mostly on the
/// flatbuffer's structure, not inside weight buffers, where they would be harmless.
/// 20,000 cases per test run; MICRO_TFLITE_FUZZ_CASES sets another total. Emitting and loading a blob
/// costs tens of milliseconds for the two large models, so there every 8th imported case is emitted and
/// loaded (all of them for the three small models).
/// </summary>
[TestClass]
public class TfliteFuzzTests
{
    public TestContext TestContext { get; set; } = null!;

    // Share of the cases per model: small models are cheap, so they get more.
    private static readonly (string Model, double Share)[] Plan =
    {
        ("hello_world_int8", 0.35), ("micro_speech_quantized", 0.2), ("kws_ref_model", 0.2), ("ad01_int8", 0.1),
        ("person_detect", 0.15),
    };

    private static int TotalCases()
    {
        string? env = Environment.GetEnvironmentVariable("MICRO_TFLITE_FUZZ_CASES");
        return int.TryParse(env, out int n) && n > 0 ? n : 20_000;
    }

    public static IEnumerable<object[]> Models => Plan.Select(p => new object[] { p.Model });

    [TestMethod]
    [DynamicData(nameof(Models))]
    public void MutatedModelsFailOnlyWithFormatOrImportErrors(string model)
    {
        byte[] original = ConformanceData.ModelBytes(model);
        int cases = (int)Math.Ceiling(TotalCases() * Plan.Single(p => p.Model == model).Share);
        (int Start, int End)[] data = DataRanges(original);
        var rng = new Random(StableSeed(model));
        var outcomes = new Dictionary<string, int>();
        int loadEvery = original.Length > 100_000 ? 8 : 1;
        int imported = 0;
        for (int c = 0; c < cases; c++)
        {
            byte[] bytes = Mutate(original, data, rng, out string how);
            string outcome = Run(bytes, model, c, how, () => imported++ % loadEvery == 0);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        TestContext.WriteLine($"{model}: {cases} cases: " + string.Join(", ", outcomes.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}")));
        // The mutations must exercise both the rejecting and the accepting paths.
        Assert.IsTrue(outcomes.GetValueOrDefault("format") > cases / 10, "too few format errors: the mutations miss the structure");
        Assert.IsTrue(outcomes.GetValueOrDefault("loaded") + outcomes.GetValueOrDefault("no-kernel") > 0, "no mutated model was emitted and loaded");
    }

    private static string Run(byte[] bytes, string model, int c, string how, Func<bool> emitThisOne)
    {
        QGraph graph;
        try
        {
            TfliteModel m = TfliteModelReader.Read(bytes);
            graph = TfliteImporter.Import(m, model);
        }
        catch (TfliteFormatException)
        {
            return "format";
        }
        catch (TfliteImportException)
        {
            return "import";
        }
        catch (Exception e)
        {
            Assert.Fail($"{model} case {c} ({how}): {e.GetType().Name} escaped the reader/importer: {e}");
            throw;
        }
        if (!emitThisOne()) return "imported";
        byte[] blob;
        try
        {
            blob = BlobEmitter.Emit(graph);
        }
        catch (Exception e)
        {
            Assert.Fail($"{model} case {c} ({how}): the emitter refused an imported graph: {e}");
            throw;
        }
        try
        {
            Model.Load(blob);
            return "loaded";
        }
        catch (BlobFormatException e) when (e.Code == ErrorCodes.UnknownOpcode)
        {
            return "no-kernel";
        }
        catch (Exception e)
        {
            Assert.Fail($"{model} case {c} ({how}): the runtime refused the imported blob, so the importer missed a check: {e.Message}");
            throw;
        }
    }

    /// <summary>Byte ranges of the constant buffers (weights, biases) inside the file.</summary>
    private static (int, int)[] DataRanges(byte[] file)
    {
        TfliteModel m = TfliteModelReader.Read(file);
        var ranges = new List<(int, int)>();
        foreach (TfliteBuffer b in m.Buffers)
        {
            if (b.Data.Length > 64 && MemoryMarshal.TryGetArray(b.Data, out ArraySegment<byte> seg))
                ranges.Add((seg.Offset, seg.Offset + seg.Count));
        }
        return ranges.ToArray();
    }

    private static readonly uint[] Interesting32 =
        { 0, 1, 2, 3, 4, 7, 8, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 0x7FFFFFF0 };

    private static readonly byte[] Interesting8 = { 0, 1, 2, 0x7F, 0x80, 0xFE, 0xFF };

    private static byte[] Mutate(byte[] original, (int Start, int End)[] data, Random rng, out string how)
    {
        byte[] b = (byte[])original.Clone();
        int kind = rng.Next(100);
        if (kind < 6)
        {
            int len = rng.Next(3) == 0 ? rng.Next(Math.Min(64, b.Length)) : rng.Next(b.Length);
            how = $"truncate to {len}";
            return b[..len];
        }
        int edits = 1 + (rng.Next(4) == 0 ? rng.Next(8) : 0);
        var parts = new List<string>();
        for (int e = 0; e < edits; e++)
        {
            int pos = Position(b.Length, data, rng);
            int k = rng.Next(100);
            if (k < 35)
            {
                int bit = rng.Next(8);
                b[pos] ^= (byte)(1 << bit);
                parts.Add($"flip bit {bit} of byte {pos}");
            }
            else if (k < 50)
            {
                byte v = Interesting8[rng.Next(Interesting8.Length)];
                b[pos] = v;
                parts.Add($"byte {pos} = {v}");
            }
            else if (k < 80)
            {
                int at = Math.Min(pos & ~3, b.Length - 4);
                uint v = rng.Next(3) switch
                {
                    0 => Interesting32[rng.Next(Interesting32.Length)],
                    1 => (uint)rng.Next(b.Length + 64),                 // a random offset, often in range
                    _ => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at)) + (uint)rng.Next(-16, 17),
                };
                BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);
                parts.Add($"u32 at {at} = {v}");
            }
            else if (k < 92)
            {
                int at = Math.Min(pos & ~1, b.Length - 2);
                ushort v = (ushort)(rng.Next(2) == 0 ? rng.Next(64) : rng.Next(65536));
                BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), v);
                parts.Add($"u16 at {at} = {v}");
            }
            else
            {
                int len = 1 + rng.Next(32);
                int from = rng.Next(Math.Max(1, b.Length - len));
                int to = Math.Min(pos, b.Length - len);
                Array.Copy(original, from, b, to, Math.Min(len, b.Length - to));
                parts.Add($"copy {len} bytes from {from} to {to}");
            }
        }
        how = string.Join("; ", parts);
        return b;
    }

    /// <summary>A position: 85% of the time outside the weight buffers (the flatbuffer's structure).</summary>
    private static int Position(int length, (int Start, int End)[] data, Random rng)
    {
        for (int attempt = 0; attempt < 64; attempt++)
        {
            int p = rng.Next(length);
            if (rng.Next(100) >= 85) return p;
            bool inData = false;
            foreach (var (s, e) in data) inData |= p >= s && p < e;
            if (!inData) return p;
        }
        return rng.Next(length);
    }

    private static int StableSeed(string s)
    {
        int h = 17;
        foreach (char ch in s) h = unchecked(h * 31 + ch);
        return h;
    }
}
