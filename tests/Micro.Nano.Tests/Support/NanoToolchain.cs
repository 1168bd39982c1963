namespace Micro.Nano.Tests.Support;

/// <summary>
/// Where things are: the repository (the folder holding Micro.sln above the test assembly) and the shared
/// folder beside it (../shared from the repository root, or beside any folder above it, since a git worktree
/// sits deeper than the main checkout; MICRO_SHARED overrides), with the nanoFramework toolchain
/// (shared/nanoframework/nf) and the conformance vectors (shared/conformance/tflite).
/// When something is missing, <see cref="SkipReason"/> says what, and the tests report inconclusive.
/// </summary>
internal static class NanoToolchain
{
    public static readonly string RepoRoot = FindRepoRoot();

    public static readonly string? SharedDir = FindShared();

    /// <summary>shared/nanoframework, or null.</summary>
    public static string NanoDir => Path.Combine(SharedDir ?? "", "nanoframework");

    public static string Nf => Path.Combine(NanoDir, "nf");

    public static string Lib => Path.Combine(NanoDir, "lib");

    public static string Mdp => Path.Combine(NanoDir, "mdp", "nanoFramework.Tools.MetadataProcessor.dll");

    public static string ConformanceDir => Path.Combine(SharedDir ?? "", "conformance", "tflite");

    /// <summary>Why the nanoCLR tests cannot run here, or null when they can.</summary>
    public static string? SkipReason
    {
        get
        {
            if (SharedDir == null)
                return "no shared folder (../shared beside " + RepoRoot + ", or MICRO_SHARED): the nanoFramework toolchain is not on this machine";
            foreach (string p in new[] { Nf, Path.Combine(NanoDir, "bin", "nanoclr"), Path.Combine(Lib, "mscorlib.dll"), Mdp })
                if (!File.Exists(p)) return "the nanoFramework toolchain is incomplete: " + p + " is missing";
            return null;
        }
    }

    /// <summary>Marks the calling test inconclusive (skipped) when the toolchain is absent.</summary>
    public static void RequireToolchain()
    {
        string? reason = SkipReason;
        if (reason != null) Assert.Inconclusive("skipped: " + reason);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Micro.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Micro.sln not found above " + AppContext.BaseDirectory);
    }

    private static string? FindShared()
    {
        string? env = Environment.GetEnvironmentVariable("MICRO_SHARED");
        if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? Path.GetFullPath(env) : null;
        for (var up = new DirectoryInfo(RepoRoot).Parent; up != null; up = up.Parent)
        {
            string p = Path.Combine(up.FullName, "shared");
            if (Directory.Exists(Path.Combine(p, "nanoframework"))) return p;
        }
        return null;
    }
}
