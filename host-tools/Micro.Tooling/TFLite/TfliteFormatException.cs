namespace Micro.Tooling.TFLite;

/// <summary>
/// The file is not a well-formed TFLite flatbuffer: an offset, length or alignment points outside the file,
/// a required table or field is missing, or a cross-reference (buffer, tensor, opcode index) is out of
/// range. The message names the place ("subgraphs[0].tensors[12].shape") and the bad value. Every
/// malformed input produces this exception (never an IndexOutOfRangeException).
/// </summary>
public sealed class TfliteFormatException : Exception
{
    public TfliteFormatException(string message) : base(message) { }
}

/// <summary>
/// The file is a well-formed TFLite model but cannot be imported: float or hybrid model, unsupported
/// operator or option, inconsistent quantization. The message says what and where, and what to do instead
/// where there is an alternative.
/// </summary>
public sealed class TfliteImportException : Exception
{
    public TfliteImportException(string message) : base(message) { }
}
