namespace Micro.Tooling.Data;

/// <summary>A data file (.npy, .csv) that cannot be read, or whose shape is not the one expected. The
/// message names the file and, for shape errors, the expected shape.</summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string message, Exception? inner = null) : base(message, inner) { }
}
