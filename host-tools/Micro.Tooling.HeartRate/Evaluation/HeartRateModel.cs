using Micro.Tooling.Packing;

namespace Micro.Tooling.Evaluation;

/// <summary>The bundled heart-rate model's files (models/heart-rate/) and the pack options of its committed blob
/// (models/heart-rate/README.md).</summary>
public static class HeartRateModel
{
    public const string OnnxFile = "heart-rate.onnx";
    public const string CalibrationFile = "calibration.npy";
    public const string BlobFile = "heart-rate.mblob";

    public static PackOptions PackOptions(string onnx, string calibration) =>
        new() { Model = onnx, Calibration = calibration, Exits = new[] { "exit1:25" } };

    /// <summary>Returns the blob, re-packing (and writing) it when it is missing or differs from a fresh pack.</summary>
    public static byte[] EnsureBlob(string onnx, string calibration, string blobPath, out bool packed)
    {
        var fresh = Packer.Pack(PackOptions(onnx, calibration)).Blob;
        packed = !File.Exists(blobPath) || !File.ReadAllBytes(blobPath).AsSpan().SequenceEqual(fresh);
        if (packed) AtomicFile.WriteAllBytes(blobPath, fresh);
        return fresh;
    }
}
