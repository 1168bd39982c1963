using System.Text.Json;
using System.Text.Json.Serialization;

namespace Micro.Tooling.Deploy;

/// <summary>
/// nanoff's --filedeployment file: the serial port and the files to copy to the device's storage
/// (nanoframework/nanoFirmwareFlasher, FileDeploymentConfiguration / DeploymentFile). A file without
/// SourceFilePath is deleted on the device instead.
/// </summary>
public sealed record FileDeployment(
    [property: JsonPropertyName("SerialPort")] string SerialPort,
    [property: JsonPropertyName("Files")] IReadOnlyList<FileDeploymentEntry> Files)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Options);
}

/// <summary>One file for nanoff: where it goes on the device (I:\...) and where it comes from on the PC.</summary>
public sealed record FileDeploymentEntry(
    [property: JsonPropertyName("DestinationFilePath")] string DestinationFilePath,
    [property: JsonPropertyName("SourceFilePath")] string SourceFilePath);
