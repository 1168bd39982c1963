using Micro.App;
using Micro.HeartRate.Model;
using Micro.Runtime;

namespace Micro.Tooling.Evaluation;

/// <summary>One classification: the head that answered (0 = the full network) and the MACs it cost.</summary>
public readonly record struct ClassifierCall(int Exit, long Macs, int TopClass);

/// <summary>
/// The device's own <see cref="BlobRhythmClassifier"/> (firmware/Micro.App: int8 window in, integer permille
/// out, early exit included), plus a log of every call (exit, MACs, top class) for the early-exit accounting
/// of `micro evaluate`. Host-only: the log allocates.
/// </summary>
public sealed class HostRhythmClassifier : IRhythmClassifier
{
    public const int ClassCount = BlobRhythmClassifier.ClassCount;

    private readonly BlobRhythmClassifier device;

    public HostRhythmClassifier(byte[] blob, bool earlyExit = true)
    {
        Model = Model.Load(blob);
        try
        {
            device = new BlobRhythmClassifier(Model) { EarlyExitEnabled = earlyExit };
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException("not a rhythm classifier blob: " + e.Message, e);
        }
        FullMacs = Model.MainMacs;
    }

    public Model Model { get; }

    /// <summary>MACs of the full network (no exit head).</summary>
    public long FullMacs { get; }

    public int WindowSamples => device.WindowSamples;

    public int WindowChannels => device.WindowChannels;

    /// <summary>Every call so far, in order.</summary>
    public List<ClassifierCall> Calls { get; } = new();

    public bool Classify(sbyte[] window, ModelVerdict verdict)
    {
        bool ok = device.Classify(window, verdict);
        if (ok) Calls.Add(new ClassifierCall(device.LastExit, device.Interpreter.MacsExecuted, TopClass(verdict)));
        return ok;
    }

    /// <summary>Runs one window and returns the winning class and the head that answered (for tests).</summary>
    public (int TopClass, int Exit) Predict(sbyte[] window)
    {
        var v = new ModelVerdict();
        if (!Classify(window, v)) throw new InvalidOperationException("the classifier failed on this window");
        return (Calls[^1].TopClass, Calls[^1].Exit);
    }

    private static int TopClass(ModelVerdict v)
    {
        int[] p = { v.RegularPermille, v.IrregularPermille, v.NoPulsePermille, v.ArtefactPermille };
        int best = 0;
        for (int i = 1; i < p.Length; i++) if (p[i] > p[best]) best = i;
        return best;
    }
}
