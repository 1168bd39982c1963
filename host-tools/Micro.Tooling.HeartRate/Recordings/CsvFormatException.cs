namespace Micro.Tooling.Recordings;

/// <summary>A recording file that is not in the expected CSV format; names the file and the 1-based line.</summary>
public sealed class CsvFormatException : Exception
{
    public CsvFormatException(string file, int line, string message)
        : base($"{file}:{line}: {message}")
    {
        File = file;
        Line = line;
        Reason = message;
    }

    public string File { get; }

    public int Line { get; }

    public string Reason { get; }
}
