namespace Micro.Tooling.Running;

/// <summary>What <c>micro run</c> is asked to do: a blob, an input file of samples and an output file.
/// <see cref="Validate"/> owns the rules; <see cref="BlobRun.Run"/> calls it.</summary>
public sealed class RunOptions
{
    /// <summary>The .mblob file.</summary>
    public required string Blob { get; init; }
    /// <summary>Input samples: .bin (the blob input's raw channels-last tensor bytes back to back); .npy and .csv in
    /// <see cref="Layout"/>: .npy
    /// (samples on the first axis; float32 is quantized with the input's scale and zero point, int8 is taken as
    /// already quantized) or .csv (one float sample per row).</summary>
    public required string Input { get; init; }
    /// <summary>Outputs, one row per sample: .bin, .npy or .csv.</summary>
    public required string Output { get; init; }
    /// <summary>Write the output tensor's quantized values instead of dequantized float32.</summary>
    public bool Raw { get; init; }
    public bool EarlyExit { get; init; } = true;
    /// <summary>Layout of .npy/.csv input (<see cref="InputLayout.Resolve"/>): null = the source model's, recorded in the blob.</summary>
    public string? Layout { get; init; }

    public static readonly string[] Formats = { ".bin", ".npy", ".csv" };

    /// <summary>Throws InvalidDataException for an output or input format that is not .bin, .npy or .csv.</summary>
    public void Validate()
    {
        if (!Formats.Contains(Path.GetExtension(Output).ToLowerInvariant()))
            throw new InvalidDataException($"unsupported output format '{Path.GetExtension(Output)}' (use .bin, .npy or .csv)");
        if (!Formats.Contains(Path.GetExtension(Input).ToLowerInvariant()))
            throw new InvalidDataException($"unsupported input format '{Path.GetExtension(Input)}' (use .bin, .npy or .csv)");
    }
}
