using Micro.Tooling.Boards;

namespace Micro.Tooling.Deploy;

/// <summary>
/// What to put on a board: its firmware always, the application image and the model when given.
/// </summary>
/// <param name="Board">The board (boards/&lt;name&gt;.json, validated by BoardCatalog).</param>
/// <param name="Port">Serial port the board is on (COM5, /dev/ttyUSB0).</param>
/// <param name="ModelPath">A .mblob to copy to the board's storage, or null.</param>
/// <param name="AppPath">nanoFramework: the image the build wrote (Micro.Nano.bin); Meadow: App.dll or its folder; or null.</param>
/// <param name="OutputDirectory">Where generated files (nanoff's deploy.json) go.</param>
public sealed record DeployRequest(BoardDescription Board, string Port, string? ModelPath, string? AppPath, string OutputDirectory);
