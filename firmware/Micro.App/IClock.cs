namespace Micro.App
{
    /// <summary>Milliseconds since start, never going backwards (nanoFramework: from DateTime.UtcNow.Ticks).</summary>
    public interface IClock
    {
        long UptimeMs { get; }
    }
}
