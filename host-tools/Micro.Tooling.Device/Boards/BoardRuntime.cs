namespace Micro.Tooling.Boards;

/// <summary>The runtime a board runs Micro on ("runtime" in a board file).</summary>
public enum BoardRuntime
{
    /// <summary>.NET nanoFramework 1.x: no generics, integer GPIO numbers, deployed with nanoff.</summary>
    NanoFramework,

    /// <summary>Wilderness Labs Meadow: full .NET, named pins, deployed with the meadow CLI.</summary>
    Meadow,
}
