using Micro.Runtime;
using Micro.Runtime.Format;
using Micro.Tooling.Blob;
using Micro.Tooling.Running;

namespace Micro.Tooling.Packing;

/// <summary>One stored self-test vector: input 0's bytes, output 0's expected bytes, and output 0's top class.</summary>
public sealed record SelfTestVector(byte[] Input, byte[] Expected, int Class);

/// <summary>
/// The self-test record (metadata tag 4, docs/blob-format.md "Self-test record", layout 1): input vectors
/// picked from the calibration data and the output bytes the runtime computes for them with early exits off.
/// The device runs them at boot (Micro.App.ModelSelfTest) and must get the same bytes. Built after packing by
/// running the packed blob on the host's copy of the device runtime, then appended as the blob's last record
/// (the header's total length and CRC are rewritten), so it never changes how the ops run.
/// </summary>
public static class SelfTestRecord
{
    public const int LayoutVersion = 1;
    public const int MaxVectors = 64;

    /// <summary>
    /// Picks <paramref name="count"/> vectors that cover the classes: every sample (channels-last float, as the
    /// blob's input 0) is quantized and run; then the vectors are taken round-robin over output 0's top
    /// class (class 0's first sample, class 1's first, …, class 0's second, …), in sample order within a class.
    /// </summary>
    public static IReadOnlyList<SelfTestVector> Pick(byte[] blob, IReadOnlyList<float[]> physicalSamples, int count)
    {
        if (count is < 1 or > MaxVectors) throw new ArgumentException($"--selftest {count}: expected 1..{MaxVectors} vectors");
        if (physicalSamples.Count == 0) throw new ArgumentException("--selftest needs calibration samples to pick vectors from");
        var model = Model.Load(blob);
        var interpreter = new Interpreter(model) { EarlyExitEnabled = false };
        var input = model.Tensors[model.Inputs[0]];
        var output = model.Tensors[model.Outputs[0]];
        var byClass = new SortedDictionary<int, Queue<SelfTestVector>>();
        foreach (var s in physicalSamples)
        {
            if (s.Length != input.ElementCount)
                throw new ArgumentException($"a calibration sample has {s.Length} values; input 0 has {input.ElementCount}");
            BlobRunner.Quantize(s, input, interpreter.Arena);
            var v = Run(interpreter, input, output);
            if (!byClass.TryGetValue(v.Class, out var q)) byClass[v.Class] = q = new Queue<SelfTestVector>();
            q.Enqueue(v);
        }
        var picked = new List<SelfTestVector>();
        while (picked.Count < count && byClass.Values.Any(q => q.Count > 0))
            foreach (var q in byClass.Values)
                if (q.Count > 0 && picked.Count < count) picked.Add(q.Dequeue());
        return picked;
    }

    /// <summary>Runs the input already in the arena (early exits off) and captures input, output and top class.</summary>
    private static SelfTestVector Run(Interpreter interpreter, Tensor input, Tensor output)
    {
        var arena = interpreter.Arena;
        var inBytes = new byte[input.ByteSize];
        for (int i = 0; i < inBytes.Length; i++) inBytes[i] = (byte)arena[input.ArenaOffset + i];
        interpreter.Invoke();
        var outBytes = new byte[output.ByteSize];
        for (int i = 0; i < outBytes.Length; i++) outBytes[i] = (byte)arena[output.ArenaOffset + i];
        return new SelfTestVector(inBytes, outBytes, interpreter.ArgMax(0));
    }

    /// <summary>The record's bytes (layout 1): u8 layout, u8 count, u8 flags (0), varint input bytes, varint
    /// output bytes, then per vector its input bytes and its expected output bytes.</summary>
    public static byte[] Encode(IReadOnlyList<SelfTestVector> vectors)
    {
        if (vectors.Count is < 1 or > MaxVectors) throw new ArgumentException($"{vectors.Count} self-test vectors; 1..{MaxVectors}");
        var s = new MemoryStream();
        s.WriteByte(LayoutVersion);
        s.WriteByte((byte)vectors.Count);
        s.WriteByte(0);
        BlobWriter.Varint(s, (uint)vectors[0].Input.Length);
        BlobWriter.Varint(s, (uint)vectors[0].Expected.Length);
        foreach (var v in vectors)
        {
            if (v.Input.Length != vectors[0].Input.Length || v.Expected.Length != vectors[0].Expected.Length)
                throw new ArgumentException("self-test vectors differ in size");
            s.Write(v.Input);
            s.Write(v.Expected);
        }
        return s.ToArray();
    }

    /// <summary>Picks the vectors, encodes them and appends the record to the blob.</summary>
    public static byte[] Attach(byte[] blob, IReadOnlyList<float[]> physicalSamples, int count) =>
        Append(blob, BlobLayout.RecordSelfTest, Encode(Pick(blob, physicalSamples, count)));

    /// <summary>The pack result with the self-test appended to its blob and a note saying what was stored.</summary>
    public static PackResult AddTo(PackResult result, IReadOnlyList<float[]> physicalSamples, int count)
    {
        var vectors = Pick(result.Blob, physicalSamples, count);
        var blob = Append(result.Blob, BlobLayout.RecordSelfTest, Encode(vectors));
        var classes = string.Join(", ", vectors.GroupBy(v => v.Class).OrderBy(g => g.Key).Select(g => $"class {g.Key} ×{g.Count()}"));
        string note = $"self-test: {vectors.Count} vector{(vectors.Count == 1 ? "" : "s")} ({classes}), {blob.Length - result.Blob.Length:N0} B";
        if (vectors.Count < count) note += $" (asked for {count}; the calibration data has only {vectors.Count})";
        return result with { Blob = blob, Notes = result.Notes.Append(note).ToList() };
    }

    /// <summary>
    /// Appends a metadata record after the blob's last one (its tag must be above every tag already there),
    /// written and sealed by BlobRecords.With. The result is proved by loading it.
    /// </summary>
    public static byte[] Append(byte[] blob, int tag, byte[] data)
    {
        var model = Model.Load(blob);
        for (int i = 0; i < model.Records.Length; i += 3)
            if (model.Records[i] >= tag)
                throw new InvalidOperationException($"the blob already has metadata record {model.Records[i]}; record {tag} must come after every record");
        return BlobRecords.With(blob, new Dictionary<int, byte[]> { [tag] = data });
    }

    /// <summary>The vectors a blob stores, with their expected top class; empty when it has no self-test record.
    /// Throws InvalidDataException for a record this layout cannot read.</summary>
    public static IReadOnlyList<SelfTestVector> Read(Model model)
    {
        int start = model.RecordOffset(BlobLayout.RecordSelfTest);
        if (start < 0) return Array.Empty<SelfTestVector>();
        int end = start + model.RecordLength(BlobLayout.RecordSelfTest);
        var b = model.Blob;
        if (end - start < 3 || b[start] != LayoutVersion || b[start + 2] != 0)
            throw new InvalidDataException($"self-test record: layout {(end > start ? b[start] : -1)}, this tool reads layout {LayoutVersion} with flags 0");
        int count = b[start + 1], p = start + 3;
        long n = BlobLayout.ReadVarint(b, ref p, end), m = BlobLayout.ReadVarint(b, ref p, end);
        if (n < 0 || m < 0 || count * (n + m) != end - p) throw new InvalidDataException("self-test record: its sizes do not add up");
        var output = model.Tensors[model.Outputs[0]];
        var list = new List<SelfTestVector>();
        for (int v = 0; v < count; v++)
        {
            var input = b.AsSpan(p, (int)n).ToArray();
            var expected = b.AsSpan(p + (int)n, (int)m).ToArray();
            p += (int)(n + m);
            list.Add(new SelfTestVector(input, expected, TopClass(expected, output.DType)));
        }
        return list;
    }

    /// <summary>What `micro inspect` prints: a summary line, then one line per vector (expected class and bytes,
    /// the input's first bytes).</summary>
    public static IEnumerable<string> Describe(IReadOnlyList<SelfTestVector> vectors)
    {
        if (vectors.Count == 0)
        {
            yield return "self-test: none (pack with --selftest N to store vectors the device checks at boot)";
            yield break;
        }
        yield return $"self-test: {vectors.Count} vectors of {vectors[0].Input.Length} B in, {vectors[0].Expected.Length} B out (layout {LayoutVersion}; early exits off)";
        for (int i = 0; i < vectors.Count; i++)
        {
            var v = vectors[i];
            string head = Convert.ToHexString(v.Input.AsSpan(0, Math.Min(8, v.Input.Length))).ToLowerInvariant();
            yield return $"  #{i}: class {v.Class}, expected {Convert.ToHexString(v.Expected).ToLowerInvariant()}, input {head}{(v.Input.Length > 8 ? "…" : "")}";
        }
    }

    /// <summary>The vectors for `micro inspect --json` (bytes as lowercase hex).</summary>
    public static object Json(IReadOnlyList<SelfTestVector> vectors) =>
        vectors.Select(v => new { v.Class, Input = Convert.ToHexString(v.Input).ToLowerInvariant(), Expected = Convert.ToHexString(v.Expected).ToLowerInvariant() }).ToList();

    private static int TopClass(byte[] bytes, int dtype)
    {
        int size = DType.Size(dtype), best = 0, bestV = int.MinValue;
        for (int i = 0; i * size < bytes.Length; i++)
        {
            int v = size == 2 ? (short)(bytes[2 * i] | bytes[2 * i + 1] << 8) : (sbyte)bytes[i];
            if (v > bestV) { bestV = v; best = i; }
        }
        return best;
    }
}
