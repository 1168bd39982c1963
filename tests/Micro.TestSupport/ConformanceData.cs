#nullable enable
using System.Globalization;

namespace Micro.TestSupport;

/// <summary>
/// The shared conformance vectors (real .tflite models and TFLM's outputs). Found by walking up from the
/// test assembly to the folder holding Micro.sln, then looking for shared/conformance/tflite beside it or
/// beside any folder above it (a git worktree sits deeper than the main checkout). MICRO_SHARED overrides.
/// </summary>
public static class ConformanceData
{
    public static readonly string[] Models =
        { "hello_world_int8", "micro_speech_quantized", "kws_ref_model", "person_detect", "ad01_int8" };

    private static readonly Lazy<string> Root = new(Locate);

    public static string TfliteDir => Root.Value;

    public static string ModelDir(string model) => Path.Combine(TfliteDir, model);

    public static string ModelPath(string model) => Path.Combine(TfliteDir, model, "model.tflite");

    public static byte[] ModelBytes(string model) => File.ReadAllBytes(ModelPath(model));

    private static string Locate()
    {
        string? env = Environment.GetEnvironmentVariable("MICRO_SHARED");
        if (!string.IsNullOrEmpty(env))
        {
            string p = Path.Combine(env, "conformance", "tflite");
            if (Directory.Exists(p)) return p;
            throw new InvalidOperationException($"MICRO_SHARED={env} has no conformance/tflite folder");
        }
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Micro.sln"))) dir = dir.Parent;
        if (dir == null)
            throw new InvalidOperationException($"no folder above {AppContext.BaseDirectory} contains Micro.sln");
        for (DirectoryInfo? up = dir.Parent; up != null; up = up.Parent)
        {
            string p = Path.Combine(up.FullName, "shared", "conformance", "tflite");
            if (Directory.Exists(p)) return p;
        }
        throw new InvalidOperationException($"shared/conformance/tflite not found beside {dir.FullName} or any folder above it (set MICRO_SHARED)");
    }
}

/// <summary>The facts info.txt states about a model (source of truth written by the TFLM runner).</summary>
public sealed class ModelInfo
{
    public required Dictionary<string, int> OperatorCounts { get; init; }
    public required List<IoTensor> Inputs { get; init; }
    public required List<IoTensor> Outputs { get; init; }
    public required int ArenaUsedBytes { get; init; }
    public required long Bytes { get; init; }
    public required List<string> Sets { get; init; }

    public sealed record IoTensor(int Tensor, string Name, string Type, int[] Shape, float Scale, int ZeroPoint);

    public static ModelInfo Load(string model)
    {
        string[] lines = File.ReadAllLines(Path.Combine(ConformanceData.ModelDir(model), "info.txt"));
        var ops = new Dictionary<string, int>();
        var inputs = new List<IoTensor>();
        var outputs = new List<IoTensor>();
        // Sets are the <set>_input.bin files (the float32 copy of an input set is not a set of its own).
        var sets = Directory.GetFiles(ConformanceData.ModelDir(model), "*_input.bin")
            .Select(f => Path.GetFileName(f)[..^"_input.bin".Length]).OrderBy(s => s, StringComparer.Ordinal).ToList();
        int arena = -1;
        long bytes = -1;
        foreach (string raw in lines)
        {
            string line = raw.Trim();
            if (line.StartsWith("operators ", StringComparison.Ordinal))
            {
                string[] w = line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                for (int i = 0; i + 1 < w.Length; i += 2) ops[w[i]] = int.Parse(w[i + 1].TrimStart('x'), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("input[", StringComparison.Ordinal)) inputs.Add(ParseIo(line));
            else if (line.StartsWith("output[", StringComparison.Ordinal)) outputs.Add(ParseIo(line));
            else if (line.StartsWith("arena_used_bytes:", StringComparison.Ordinal))
                arena = int.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            else if (line.StartsWith("bytes:", StringComparison.Ordinal))
                bytes = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        return new ModelInfo { OperatorCounts = ops, Inputs = inputs, Outputs = outputs, ArenaUsedBytes = arena, Bytes = bytes, Sets = sets };
    }

    // "input[0] tensor=0 name=input_1 type=INT8 shape=[1,640] bytes=640 scale=0.391015232 zero_point=89"
    private static IoTensor ParseIo(string line)
    {
        var kv = new Dictionary<string, string>();
        foreach (string part in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=');
            if (eq > 0) kv[part[..eq]] = part[(eq + 1)..];
        }
        int[] shape = kv["shape"].Trim('[', ']').Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        return new IoTensor(int.Parse(kv["tensor"], CultureInfo.InvariantCulture), kv["name"], kv["type"], shape,
            float.Parse(kv["scale"], CultureInfo.InvariantCulture), int.Parse(kv["zero_point"], CultureInfo.InvariantCulture));
    }
}
