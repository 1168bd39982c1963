namespace Micro.Tooling.Deploy;

/// <summary>Finds a command-line tool the way a shell would: the PATH folders, then ~/.dotnet/tools (dotnet global tools).</summary>
public static class ToolLocator
{
    /// <summary>Full path of the tool, or null. searchPath null = the PATH environment variable.</summary>
    public static string? Find(string tool, string? searchPath = null, string? dotnetToolsDirectory = null)
    {
        string path = searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "";
        var folders = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).ToList();
        string tools = dotnetToolsDirectory ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools");
        if (tools.Length > 0) folders.Add(tools);
        string[] names = OperatingSystem.IsWindows() ? [tool + ".exe", tool + ".cmd", tool] : [tool];
        foreach (string folder in folders)
            foreach (string name in names)
            {
                string candidate = Path.Combine(folder.Trim('"'), name);
                if (File.Exists(candidate) && IsExecutable(candidate)) return candidate;
            }
        return null;
    }

    private static bool IsExecutable(string file)
    {
        if (OperatingSystem.IsWindows()) return true;
        return (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
