using System.Security.Cryptography;
using System.Text;
using Micro.Runtime;
using Micro.Runtime.Format;

namespace Micro.Tooling.Inspection;

/// <summary>
/// The host's reading of a blob's metadata records (docs/blob-format.md, "Metadata"): where it came from
/// (tag 1, SHA-256 of the source model file), how it was packed (tag 2, <c>key=value;…</c>) and the layout
/// its user's data is in (tag 3, e.g. NCHW; the blob's own input is channels-last). Each is null when the
/// blob does not carry it (a blob packed before these records, or written by other means).
/// </summary>
public sealed record BlobMetadata(string? SourceSha256, string? PackSettings, string? InputLayout)
{
    public static BlobMetadata Read(Model m) =>
        new(Record(m, BlobLayout.RecordSourceHash) is { Length: 32 } h ? Convert.ToHexString(h).ToLowerInvariant() : null,
            Text(m, BlobLayout.RecordPackSettings),
            Text(m, BlobLayout.RecordInputLayout));

    /// <summary>The pack settings as key → value (values un-escaped from %XX), in their order; empty when absent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings() =>
        PackSettings == null ? Array.Empty<KeyValuePair<string, string>>()
            : PackSettings.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
                .Select(kv => new KeyValuePair<string, string>(kv[0], kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "")).ToList();

    /// <summary>The bytes of the record with this tag, or null.</summary>
    public static byte[]? Record(Model m, int tag)
    {
        int offset = m.RecordOffset(tag);
        return offset < 0 ? null : m.Blob.AsSpan(offset, m.RecordLength(tag)).ToArray();
    }

    /// <summary>A printable-ASCII record as text; null when absent or when it holds other bytes.</summary>
    private static string? Text(Model m, int tag) =>
        Record(m, tag) is { } b && b.All(c => c is >= 0x20 and <= 0x7E) ? Encoding.ASCII.GetString(b) : null;

    /// <summary>SHA-256 of a file, lower-case hex (what tag 1 holds, as text).</summary>
    public static string Sha256OfFile(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(f)).ToLowerInvariant();
    }
}
