using Micro.HeartRate.Model;
using Micro.Runtime;
using Micro.Runtime.Format;

namespace Micro.Tooling.Evaluation;

/// <summary>One classification: the head that answered (0 = the full network) and the MACs it cost.</summary>
public readonly record struct ClassifierCall(int Exit, long Macs, int TopClass);

/// <summary>
/// Host adapter from a blob to the monitor's <see cref="IRhythmClassifier"/> seam, running the device's own
/// interpreter (early exit included): the int8 window goes into input 0 as is, the four outputs of the head
/// that answered (regular, irregular, no_pulse, artefact) go through a softmax into permille. Logs every
/// call (exit, MACs) for the early-exit accounting of `micro evaluate`.
/// </summary>
public sealed class HostRhythmClassifier : IRhythmClassifier
{
    public const int ClassCount = 4;

    private readonly Interpreter interpreter;
    private readonly Tensor input;
    private readonly double[] scores = new double[ClassCount];

    public HostRhythmClassifier(byte[] blob, bool earlyExit = true)
    {
        Model = Model.Load(blob);
        if (Model.Inputs.Length != 1) throw new InvalidDataException($"the rhythm classifier takes one input; the blob has {Model.Inputs.Length}");
        input = Model.Tensors[Model.Inputs[0]];
        if (input.DType != DType.Int8) throw new InvalidDataException($"the rhythm classifier's input must be int8; the blob's is {DType.Name(input.DType)}");
        if (input.ElementCount < 16 || input.ElementCount > Micro.HeartRate.HeartRateMonitor.MaxWindowSamples)
            throw new InvalidDataException($"the blob's input has {input.ElementCount} values; a window is 16..250 samples at 25 Hz");
        CheckScores(Model.Tensors[Model.Outputs[0]], "output 0");
        foreach (var x in Model.Exits) CheckScores(Model.Tensors[x.OutputTensor], $"exit {x.Group}");
        interpreter = new Interpreter(Model) { EarlyExitEnabled = earlyExit };
        FullMacs = Model.MainMacs;
    }

    public Model Model { get; }

    /// <summary>MACs of the full network (no exit head).</summary>
    public long FullMacs { get; }

    public int WindowSamples => input.ElementCount;

    /// <summary>Every call so far, in order.</summary>
    public List<ClassifierCall> Calls { get; } = new();

    public bool Classify(sbyte[] window, ModelVerdict verdict)
    {
        interpreter.SetInput(0, window, 0);
        int exit = interpreter.Invoke();
        int top = 0;
        double max = double.NegativeInfinity;
        for (int i = 0; i < ClassCount; i++)
        {
            scores[i] = interpreter.OutputReal(0, i);
            if (scores[i] > max) { max = scores[i]; top = i; }
        }
        double sum = 0;
        for (int i = 0; i < ClassCount; i++) { scores[i] = Math.Exp(scores[i] - max); sum += scores[i]; }
        verdict.Set(Permille(0, sum), Permille(1, sum), Permille(2, sum), Permille(3, sum));
        Calls.Add(new ClassifierCall(exit, interpreter.MacsExecuted, top));
        return true;
    }

    /// <summary>Runs one window and returns the winning class and the head that answered (for tests).</summary>
    public (int TopClass, int Exit) Predict(sbyte[] window)
    {
        var v = new ModelVerdict();
        Classify(window, v);
        var c = Calls[^1];
        return (c.TopClass, c.Exit);
    }

    private int Permille(int i, double sum) => (int)Math.Round(1000.0 * scores[i] / sum);

    private static void CheckScores(Tensor t, string what)
    {
        if (t.ElementCount != ClassCount)
            throw new InvalidDataException($"{what} has {t.ElementCount} values; the rhythm classifier scores {ClassCount} classes (regular, irregular, no_pulse, artefact)");
    }
}
