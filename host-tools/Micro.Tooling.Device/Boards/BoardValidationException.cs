namespace Micro.Tooling.Boards;

/// <summary>A board file is unreadable or breaks the schema rules; <see cref="Problems"/> lists every problem found.</summary>
public sealed class BoardValidationException : Exception
{
    public BoardValidationException(string path, IReadOnlyList<string> problems)
        : base(path + " is not a valid board description:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
    {
        Path = path;
        Problems = problems;
    }

    /// <summary>The board file.</summary>
    public string Path { get; }

    /// <summary>One line per problem, each starting with the JSON path of the field.</summary>
    public IReadOnlyList<string> Problems { get; }
}
