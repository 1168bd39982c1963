namespace Micro.TestSupport;

/// <summary>
/// Locates the shared real-data folder: walks up from the test assembly until a folder holding Micro.sln
/// (the repository root) is found, then takes ../shared/data next to it. A git worktree may sit one level
/// deeper than the main checkout, so the search for shared/data goes on upwards from the root;
/// MICRO_SHARED_DATA overrides all of it.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string> root = new(Find);

    public static string Root => root.Value;

    /// <summary>The folder holding Micro.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Micro.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException($"no Micro.sln above {AppContext.BaseDirectory}");
        }
    }

    public static string Cinc => Path.Combine(Root, "cinc2015_false_alarm");

    public static string Liu2022 => Path.Combine(Root, "ppg_arrhythmia_liu2022");

    public static string Troika => Path.Combine(Root, "troika_spc2015");

    private static string Find()
    {
        var dir = new DirectoryInfo(RepositoryRoot);
        string? overridden = Environment.GetEnvironmentVariable("MICRO_SHARED_DATA");
        if (!string.IsNullOrEmpty(overridden)) return overridden;
        string first = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
        for (var up = dir.Parent; up != null; up = up.Parent)
        {
            string data = Path.Combine(up.FullName, "shared", "data");
            if (Directory.Exists(data)) return data;
        }
        throw new InvalidOperationException($"shared data folder not found at {first} (expected next to the repository root) or above it");
    }
}
