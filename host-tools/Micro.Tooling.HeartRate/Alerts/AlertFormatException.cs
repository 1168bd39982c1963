namespace Micro.Tooling.Alerts;

/// <summary>An alert line that is not a valid version-1 line; the message names the field at fault.</summary>
public sealed class AlertFormatException : Exception
{
    public AlertFormatException(string message) : base(message)
    {
    }
}
