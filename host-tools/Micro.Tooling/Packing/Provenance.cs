using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Micro.Runtime;
using Micro.Runtime.Format;
using Micro.Tooling.Running;

namespace Micro.Tooling.Packing;

/// <summary>
/// The records <c>micro pack</c> adds to every blob it packs from a file (docs/blob-format.md, "Metadata"):
/// tag 1 the SHA-256 of the source model file (so <c>verify</c> can refuse a blob from another model), tag 2
/// the pack settings as <c>key=value;…</c> (shown by <c>inspect</c>), tag 3 the source model's input layout
/// (so <c>run</c> and <c>verify</c> take data as the source model does). Settings name files without their
/// folders, so the same command gives the same bytes from any working directory.
/// </summary>
public static class Provenance
{
    public static PackResult Add(PackResult result, PackOptions options, string inputLayout)
    {
        var records = new Dictionary<int, byte[]>
        {
            [BlobLayout.RecordSourceHash] = Sha256(options.Model),
            [BlobLayout.RecordPackSettings] = Encoding.ASCII.GetBytes(Settings(options, result.CalibrationSamples)),
            [BlobLayout.RecordInputLayout] = Encoding.ASCII.GetBytes(inputLayout),
        };
        byte[] blob = BlobRecords.With(result.Blob, records);
        int added = blob.Length - result.Blob.Length;
        // The --auto-precision table's blob sizes are the file's: each configuration would carry the same records.
        var steps = result.PrecisionSteps?.Select(s => s with { BlobBytes = s.BlobBytes + added }).ToList();
        return result with { Blob = blob, PrecisionSteps = steps };
    }

    /// <summary>The layout a .tflite model's input is in: its own, channels-last.</summary>
    public static string TfliteLayout(byte[] blob)
    {
        var m = Model.Load(blob);
        return InputLayout.ChannelsLast(m.Tensors[m.Inputs[0]].Dims.Length);
    }

    private static byte[] Sha256(string path)
    {
        using var f = File.OpenRead(path);
        return SHA256.HashData(f);
    }

    /// <summary>The settings that decide the blob's bytes, as printable ASCII <c>key=value</c> pairs joined by ';'.</summary>
    public static string Settings(PackOptions o, int calibrationSamples)
    {
        var kv = new List<(string, string)> { ("source", Path.GetFileName(o.Model)) };
        if (o.IsOnnx)
        {
            kv.Add(("calibration", Path.GetFileName(o.Calibration ?? "")));
            kv.Add(("samples", calibrationSamples.ToString(CultureInfo.InvariantCulture)));
            kv.Add(("method", (o.Method ?? Calibration.CalibrationMethod.MinMax).ToString()));
            if (o.Method == Calibration.CalibrationMethod.Percentile) kv.Add(("percentile", Num(o.Percentile ?? PackOptions.DefaultPercentile)));
            kv.Add(("weights", o.PerTensorWeights == true ? "per-tensor" : "per-channel"));
            if (o.Int16.Count > 0) kv.Add(("int16", string.Join(",", o.Int16)));
            if (o.Int16Output) kv.Add(("int16-output", "1"));
            if (o.AutoPrecisionDb is { } db) kv.Add(("auto-precision", Num(db)));
            if (o.Exits.Count > 0) kv.Add(("exit", string.Join(",", o.Exits)));
            if (o.ExitAuto == true) kv.Add(("exit-auto", "1"));
            if (o.ExitAgreement is { } a) kv.Add(("exit-agreement", Num(a)));
        }
        if (o.Name != null) kv.Add(("name", o.Name));
        return string.Join(";", kv.Select(p => p.Item1 + "=" + Escape(p.Item2)));
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Printable ASCII stays; ';', '=', '%' and every other byte of the UTF-8 text become %XX.</summary>
    public static string Escape(string value)
    {
        var sb = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(value))
            sb.Append(b is >= 0x20 and <= 0x7E and not (byte)';' and not (byte)'=' and not (byte)'%' ? ((char)b).ToString() : $"%{b:X2}");
        return sb.ToString();
    }
}
