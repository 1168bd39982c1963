using System.CommandLine;
using System.CommandLine.Parsing;

namespace Micro.HostTools;

/// <summary>
/// Up-front checks of every file and folder on the command line, attached to the whole command tree at once,
/// so a wrong path fails at once (exit 2, one line) before any long work and before anything is written:
/// an input file must exist and be a file; an output file's folder must exist and take a new file; a path
/// that names a directory where a file belongs is refused; an input folder must exist.
/// </summary>
public static class CliPaths
{
    /// <summary>"verb --option" of the options that name a file the verb writes (all other files are read).</summary>
    public static readonly IReadOnlySet<string> OutputFiles = new HashSet<string>
    {
        "pack --output", "run --output", "verify --report", "simulate --alerts", "evaluate --json", "evaluate --report", "monitor --log", "report --output",
    };

    /// <summary>"verb --option" of the folders the verb creates or writes into (all other folders are read).</summary>
    public static readonly IReadOnlySet<string> OutputFolders = new HashSet<string> { "dataset --output", "deploy --out" };

    [ThreadStatic] private static HashSet<string>? pathErrors;

    /// <summary>True when the parse error came from these checks (a wrong path, not wrong usage).</summary>
    public static bool IsPathError(string message) => pathErrors?.Contains(message) == true;

    public static void Attach(Command root)
    {
        foreach (var cmd in Walk(root))
        {
            foreach (var o in cmd.Options) Attach(cmd.Name, o.Name, o.ValueType, o.Validators);
            foreach (var a in cmd.Arguments) Attach(cmd.Name, a.Name, a.ValueType, a.Validators);
        }
    }

    private static IEnumerable<Command> Walk(Command c) => new[] { c }.Concat(c.Subcommands.SelectMany(Walk));

    private static void Attach(string verb, string name, Type type, List<Action<OptionResult>> validators)
    {
        if (Check(verb, name, type) is { } check) validators.Add(r => Report(r, check));
    }

    private static void Attach(string verb, string name, Type type, List<Action<ArgumentResult>> validators)
    {
        if (Check(verb, name, type) is { } check) validators.Add(r => Report(r, check));
    }

    private static Func<string, string?>? Check(string verb, string name, Type type)
    {
        string key = verb + " " + name;
        if (type == typeof(FileInfo)) return OutputFiles.Contains(key) ? OutputFileProblem : InputFileProblem;
        if (type == typeof(DirectoryInfo)) return OutputFolders.Contains(key) ? OutputFolderProblem : InputFolderProblem;
        return null;
    }

    private static void Report(SymbolResult r, Func<string, string?> check)
    {
        foreach (var token in r.Tokens)
        {
            if (check(token.Value) is not { } problem) continue;
            (pathErrors ??= new HashSet<string>()).Add(problem);
            r.AddError(problem);
        }
    }

    public static string? InputFileProblem(string path)
    {
        if (Directory.Exists(path)) return $"{path} is a directory, not a file";
        if (!File.Exists(path)) return $"file not found: {path}";
        return null;
    }

    public static string? OutputFileProblem(string path)
    {
        if (Directory.Exists(path)) return $"{path} is a directory; give the name of the file to write";
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? full;
        if (File.Exists(dir)) return $"cannot write {path}: {dir} is a file, not a folder";
        if (!Directory.Exists(dir)) return $"cannot write {path}: folder {dir} does not exist";
        return WritableProblem(path, dir);
    }

    public static string? InputFolderProblem(string path)
    {
        if (File.Exists(path)) return $"{path} is a file, not a folder";
        if (!Directory.Exists(path)) return $"folder not found: {path}";
        return null;
    }

    public static string? OutputFolderProblem(string path)
    {
        if (File.Exists(path)) return $"{path} is a file, not a folder";
        if (Directory.Exists(path)) return WritableProblem(path, Path.GetFullPath(path));
        string? parent = Path.GetDirectoryName(Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar));
        if (parent != null && !Directory.Exists(parent)) return $"cannot create {path}: folder {parent} does not exist";
        return null;
    }

    /// <summary>Creates (and at once deletes) a probe file in the folder: the only honest test that a new file can go there.</summary>
    private static string? WritableProblem(string path, string dir)
    {
        string probe = Path.Combine(dir, $".micro-probe.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(probe); } catch (Exception) { }
            return $"cannot write {path}: folder {dir} does not take new files ({(e is UnauthorizedAccessException ? "permission denied" : "read-only or not a real file system")})";
        }
    }
}
