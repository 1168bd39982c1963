namespace Micro.Tooling.Boards;

/// <summary>One validated board file from <c>boards/</c> (see boards/board.schema.json).</summary>
public sealed record BoardDescription(
    string Name,
    string Description,
    BoardRuntime Runtime,
    string Mcu,
    int ClockMhz,
    long FlashBytes,
    long RamBytes,
    long PsramBytes,
    long ManagedHeapBytes,
    ModelBudget ModelBudget,
    AlertPort Alerts,
    SensorConnection Sensor,
    BoardPin BuzzerPin,
    BoardPin LedPin,
    DeployInfo Deploy,
    string? Notes,
    string SourcePath)
{
    /// <summary>The board's name in C# ("Esp32DevKitC"): the factory method of its generated firmware profile.</summary>
    public string CodeName { get; init; } = "";

    /// <summary>True when a model of this blob and arena size fits the board's budget.</summary>
    public bool Fits(long blobBytes, long arenaBytes) => blobBytes <= ModelBudget.BlobBytes && arenaBytes <= ModelBudget.ArenaBytes;
}
