using System.Text.Json;
using Micro.Tooling.Training;

namespace Micro.Model.Tests;

/// <summary>
/// Paths of the committed heart-rate model (models/heart-rate, found by walking up to Micro.sln) and of
/// the shared recordings (MICRO_SHARED_DATA, or shared/data beside the repository or a folder above it).
/// </summary>
internal static class ModelFiles
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ModelFolder => Path.Combine(RepoRoot, "models", "heart-rate");

    public static string Onnx => Path.Combine(ModelFolder, "heart-rate.onnx");

    public static string Calibration => Path.Combine(ModelFolder, "calibration.npy");

    public static string Blob => Path.Combine(ModelFolder, "heart-rate.mblob");

    public static string SplitJson => Path.Combine(ModelFolder, "split.json");

    public static string SharedData { get; } = FindSharedData();

    private static readonly Lazy<RhythmDataset> dataset = new(() => RhythmDatasetBuilder.Build(SharedData));

    /// <summary>The training windows built from the shared data (once per test run).</summary>
    public static RhythmDataset Dataset => dataset.Value;

    /// <summary>Names of the groups train.py held out (split.json).</summary>
    public static HashSet<string> HeldOutGroups()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SplitJson));
        return doc.RootElement.GetProperty("held_out_groups").EnumerateArray().Select(e => e.GetString()!).ToHashSet();
    }

    private static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Micro.sln"))) return d.FullName;
        throw new InvalidOperationException($"Micro.sln not found above {AppContext.BaseDirectory}");
    }

    private static string FindSharedData()
    {
        string? env = Environment.GetEnvironmentVariable("MICRO_SHARED_DATA");
        if (!string.IsNullOrEmpty(env)) return env;
        for (var d = new DirectoryInfo(RepoRoot); d != null; d = d.Parent)
        {
            string p = Path.Combine(d.FullName, "shared", "data");
            if (Directory.Exists(p)) return p;
        }
        throw new InvalidOperationException($"shared/data not found beside {RepoRoot} or any folder above it (set MICRO_SHARED_DATA)");
    }
}
