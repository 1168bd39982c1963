namespace Micro.Tooling.Boards;

/// <summary>No board file of that name: the message names the board and lists the known ones. A
/// FileNotFoundException (FileName = the path looked for), so callers that only handle missing files still do.</summary>
public sealed class UnknownBoardException : FileNotFoundException
{
    public UnknownBoardException(string message, string path) : base(message, path) { }
}
