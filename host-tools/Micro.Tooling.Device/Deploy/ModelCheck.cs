using Micro.Runtime;
using Micro.Runtime.Format;

namespace Micro.Tooling.Deploy;

/// <summary>
/// What the device will think of a model before it is copied there: Model.Load must accept it (else
/// BlobFormatException), and it must have the heart-rate classifier's shape (one int8 window of 16..250
/// samples in, 4 int8 class scores out on every head), which the firmware's BlobRhythmClassifier demands.
/// </summary>
public static class ModelCheck
{
    public const int Classes = 4;
    public const int MinWindow = 16;
    public const int MaxWindow = 250;

    /// <summary>Appended to every shape refusal: what to do with a model that is not the classifier.</summary>
    public const string OtherModelHint = ". To run another model on a board, write your own app on the runtime " +
        "(Model.Load, then Interpreter.SetInput / Invoke / GetOutput; firmware/Micro.Runtime/README.md) and copy the blob to the board yourself: " +
        "micro deploy installs the heart-rate alarm";

    /// <summary>Returns the loaded model; throws InvalidDataException naming the shape problem.</summary>
    public static Model Load(string path)
    {
        byte[] blob = File.ReadAllBytes(path);
        Model m = Model.Load(blob);
        string name = Path.GetFileName(path);
        if (m.Inputs.Length != 1) throw new InvalidDataException($"{name}: the heart-rate firmware needs one input, the model has {m.Inputs.Length}" + OtherModelHint);
        Tensor input = m.Tensors[m.Inputs[0]];
        // Channels-last as BlobRhythmClassifier reads it: a last dimension of 2 is PPG + tachogram.
        int channels = input.Rank >= 2 && input.Dims[input.Rank - 1] == 2 ? 2 : 1;
        if (input.DType != DType.Int8 || input.ElementCount / channels < MinWindow || input.ElementCount / channels > MaxWindow)
            throw new InvalidDataException($"{name}: input 0 is {DType.Name(input.DType)} with {input.ElementCount} values; the firmware feeds an int8 window of {MinWindow}..{MaxWindow} samples at 25 Hz (1 channel, or 2: PPG + tachogram)" + OtherModelHint);
        CheckScores(name, m.Tensors[m.Outputs[0]], "output 0");
        foreach (var exit in m.Exits) CheckScores(name, m.Tensors[exit.OutputTensor], "exit " + exit.Group);
        return m;
    }

    private static void CheckScores(string name, Tensor t, string where)
    {
        if (t.DType != DType.Int8 || t.ElementCount != Classes)
            throw new InvalidDataException($"{name}: {where} is {DType.Name(t.DType)} with {t.ElementCount} values; the firmware reads {Classes} int8 class scores (regular, irregular, no_pulse, artefact)" + OtherModelHint);
    }
}
