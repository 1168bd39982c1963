namespace Micro.Tooling.Deploy;

/// <summary>One command of a deployment: what it does, the tool and its arguments (unquoted).</summary>
public sealed record DeployStep(string Title, string Tool, IReadOnlyList<string> Arguments)
{
    /// <summary>The command as a user types it; arguments with spaces or quotes are double-quoted.</summary>
    public string CommandLine => Tool + " " + string.Join(" ", Arguments.Select(Quote));

    private static string Quote(string a) =>
        a.Length > 0 && !a.Any(c => char.IsWhiteSpace(c) || c == '"') ? a : "\"" + a.Replace("\"", "\\\"") + "\"";
}
