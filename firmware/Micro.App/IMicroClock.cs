namespace Micro.App
{
    /// <summary>
    /// A monotonic microsecond counter for measuring short spans (the boot self-test). Only differences
    /// matter; it never goes backwards.
    /// </summary>
    public interface IMicroClock
    {
        long Microseconds { get; }
    }
}
