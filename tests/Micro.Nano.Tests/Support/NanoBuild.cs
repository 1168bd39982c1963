using System.Resources;
using System.Text.RegularExpressions;

namespace Micro.Nano.Tests.Support;

/// <summary>
/// The nanoFramework build of the firmware, made once per test run by tests/nano/build.sh into a temporary
/// folder (deleted when the run ends): every .nfproj's assembly from the files it lists (the portable assemblies,
/// NFUnitTest and the Nano app of every nanoFramework board), with the bundled heart-rate blob embedded as the
/// app's model resource.
/// </summary>
internal static class NanoBuild
{
    private static readonly Lazy<Result> Built = new(BuildOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The per-run temporary folder (under the system temp folder).</summary>
    public static readonly string WorkDir = Path.Combine(Path.GetTempPath(), "micro-nano-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);

    public static string OutDir => Path.Combine(WorkDir, "build");

    /// <summary>The assemblies build.sh makes besides the board apps, in dependency order.</summary>
    public static readonly string[] PortableAssemblies =
    {
        "Micro.Runtime", "Micro.HeartRate", "Micro.Drivers.Max30102", "Micro.App",
        "Micro.Drivers.Max30102.Nano", "Micro.Drivers.Max30102.Sample", "NFUnitTest",
    };

    /// <summary>The nanoFramework boards of boards/*.json (runtime "nanoFramework").</summary>
    public static string[] Boards() =>
        Directory.GetFiles(Path.Combine(NanoToolchain.RepoRoot, "boards"), "*.json")
            .Where(f => !f.EndsWith("board.schema.json", StringComparison.Ordinal))
            .Where(f => Regex.IsMatch(File.ReadAllText(f), "\"runtime\"\\s*:\\s*\"nanoFramework\""))
            .Select(f => Path.GetFileNameWithoutExtension(f)).OrderBy(b => b, StringComparer.Ordinal).ToArray();

    public sealed record Result(ProcResult Script, IReadOnlySet<string> Built, IReadOnlySet<string> Failed);

    public static Result Get() => Built.Value;

    /// <summary>The .pe of a portable assembly; fails the test (with the compiler errors) when it did not build.</summary>
    public static string Pe(string assembly)
    {
        RequireBuilt(assembly);
        return Path.Combine(OutDir, assembly + ".pe");
    }

    public static string Dll(string assembly)
    {
        RequireBuilt(assembly);
        return Path.Combine(OutDir, assembly + ".dll");
    }

    /// <summary>The files build.sh compiled into this assembly (or board app "Micro.Nano.BOARD"), full paths.</summary>
    public static string[] SourcesCompiled(string name)
    {
        RequireBuilt(name);
        return File.ReadAllLines(Path.Combine(OutDir, "sources", name + ".txt")).Where(l => l.Length > 0).ToArray();
    }

    /// <summary>Fails with the compiler errors unless build.sh built this assembly (or board app "Micro.Nano.BOARD").</summary>
    public static void RequireBuilt(string name)
    {
        Result r = Get();
        if (r.Built.Contains(name)) return;
        string log = Path.Combine(OutDir, "logs", name + ".log");
        string errors = File.Exists(log) ? File.ReadAllText(log) : "(no log: build.sh did not get to it)\n" + r.Script.Both;
        Assert.Fail($"{name} does not build for nanoFramework 1.x:\n{errors}");
    }

    public static void Cleanup()
    {
        try
        {
            if (Directory.Exists(WorkDir)) Directory.Delete(WorkDir, recursive: true);
        }
        catch (IOException)
        {
            // a nanoCLR still holding a file: the temp folder is the system's to clean
        }
    }

    private static Result BuildOnce()
    {
        Directory.CreateDirectory(OutDir);
        string resources = Path.Combine(WorkDir, "Micro.Nano.Resources.resources");
        WriteModelResources(resources);
        ProcResult p = Proc.Run("bash", new[] { Path.Combine(NanoToolchain.RepoRoot, "tests", "nano", "build.sh"), OutDir, "--resources", resources },
            timeoutSeconds: 900);
        var built = new HashSet<string>();
        var failed = new HashSet<string>();
        foreach (string line in p.Stdout.Split('\n'))
        {
            if (line.StartsWith("built ", StringComparison.Ordinal)) built.Add(line[6..].Trim());
            else if (line.StartsWith("FAILED ", StringComparison.Ordinal)) failed.Add(line[7..].Split(' ')[0]);
        }
        return new Result(p, built, failed);
    }

    /// <summary>
    /// The model resource of the Nano app, as nano/Micro.Nano.csproj embeds it from Resources.resx: manifest
    /// Micro.Nano.Resources, one byte[] entry heart_rate holding models/heart-rate/heart-rate.mblob.
    /// </summary>
    private static void WriteModelResources(string path)
    {
        byte[] blob = File.ReadAllBytes(Path.Combine(NanoToolchain.RepoRoot, "models", "heart-rate", "heart-rate.mblob"));
        using var w = new ResourceWriter(path);
        w.AddResource("heart_rate", blob);
    }
}
