namespace Micro.Tooling.Alerts;

/// <summary>How a good line's sequence number relates to the previous good line's.</summary>
public enum SequenceStatus
{
    /// <summary>The first line seen.</summary>
    First,

    /// <summary>Exactly one more than the previous line.</summary>
    InOrder,

    /// <summary>Lines were lost in between (see Lost).</summary>
    Gap,

    /// <summary>The device restarted (BOOT at sequence 0, or sequence and uptime both went back).</summary>
    Restart,

    /// <summary>The same sequence number again (a replayed or duplicated line).</summary>
    Duplicate,

    /// <summary>The sequence went back while the uptime did not: out of order or corrupted numbering.</summary>
    Backwards,
}

/// <summary>Result of observing one line.</summary>
public readonly record struct SequenceObservation(SequenceStatus Status, uint Lost);

/// <summary>
/// Follows the sequence numbers of the good lines of one device's stream and counts what went missing:
/// gaps (modulo 2^32), restarts, duplicates, and the rejected (garbage, cut, corrupted) lines the caller
/// reports.
/// </summary>
public sealed class SequenceTracker
{
    private bool started;
    private uint lastSequence;
    private uint lastUptime;

    public long Received { get; private set; }

    public long Lost { get; private set; }

    public long Gaps { get; private set; }

    public long Restarts { get; private set; }

    public long Duplicates { get; private set; }

    public long OutOfOrder { get; private set; }

    public long Rejected { get; private set; }

    /// <summary>Counts a line the parser rejected (it may be one of the lost ones a later gap reveals).</summary>
    public void Reject() => Rejected++;

    public SequenceObservation Observe(AlertLine line)
    {
        Received++;
        SequenceObservation result;
        bool boot = line.Kind == AlertLineKind.Boot && line.Sequence == 0;
        if (!started)
        {
            result = new SequenceObservation(SequenceStatus.First, 0);
        }
        else if (boot || (line.Sequence < lastSequence && line.UptimeMs < lastUptime))
        {
            Restarts++;
            result = new SequenceObservation(SequenceStatus.Restart, 0);
        }
        else if (line.Sequence == lastSequence)
        {
            Duplicates++;
            return new SequenceObservation(SequenceStatus.Duplicate, 0);
        }
        else
        {
            uint step = unchecked(line.Sequence - lastSequence);
            if (step == 1)
            {
                result = new SequenceObservation(SequenceStatus.InOrder, 0);
            }
            else if (step < 0x80000000u)
            {
                Gaps++;
                Lost += step - 1;
                result = new SequenceObservation(SequenceStatus.Gap, step - 1);
            }
            else
            {
                OutOfOrder++;
                return new SequenceObservation(SequenceStatus.Backwards, 0);
            }
        }
        started = true;
        lastSequence = line.Sequence;
        lastUptime = line.UptimeMs;
        return result;
    }
}
