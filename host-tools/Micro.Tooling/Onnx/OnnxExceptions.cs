namespace Micro.Tooling.Onnx;

/// <summary>Base type of every error the ONNX importer reports.</summary>
public abstract class OnnxImportException : Exception
{
    protected OnnxImportException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The file is not a well-formed ONNX model: not protobuf, truncated, a tensor whose data does not
/// match its type or shape, a value nobody produces, a cycle, a missing initializer.</summary>
public sealed class OnnxFormatException : OnnxImportException
{
    public OnnxFormatException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The model is well-formed but uses an operator, attribute or pattern Micro cannot run. The
/// message names the node and its operator.</summary>
public sealed class OnnxUnsupportedException : OnnxImportException
{
    public OnnxUnsupportedException(string message) : base(message) { }
}
