namespace Micro.Fuzz;

/// <summary>
/// The fuzz targets by name. Each runs one input through one parser (and what consumes its result) and
/// returns normally or throws one of the exceptions the CLI turns into a one-line "bad input" error
/// (<see cref="IsRefusal"/>). Any other exception, a hang or a crash is a finding.
/// </summary>
public static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
    {
        ["blob"] = BlobTarget.Run,
        ["tflite"] = TfliteTarget.Run,
        ["onnx"] = OnnxTarget.Run,
        ["npy"] = NpyTarget.Run,
        ["recording-csv"] = RecordingCsvTarget.Run,
        ["alert-line"] = AlertLineTarget.Run,
    };

    /// <summary>Runs <paramref name="target"/> on <paramref name="input"/>; true if the input was accepted,
    /// false if it was refused with a named bad-input exception. Anything else propagates.</summary>
    public static bool Accepts(string target, byte[] input)
    {
        try
        {
            All[target](input);
            return true;
        }
        catch (Exception e) when (IsRefusal(e))
        {
            return false;
        }
    }

    /// <summary>The exceptions that mean "refused, with a message naming what is wrong" (exit 2 in the CLI).</summary>
    public static bool IsRefusal(Exception e) => e is Micro.Runtime.BlobFormatException
        or Micro.Tooling.Data.DataFormatException
        or Micro.Tooling.TFLite.TfliteFormatException
        or Micro.Tooling.TFLite.TfliteImportException
        or Micro.Tooling.Onnx.OnnxImportException
        or Micro.Tooling.Alerts.AlertFormatException
        or InvalidDataException;
}
