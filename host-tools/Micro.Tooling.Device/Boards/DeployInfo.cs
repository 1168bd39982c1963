namespace Micro.Tooling.Boards;

/// <summary>How firmware and application reach the board: the tool, nanoff's target name, an optional deploy address, notes.</summary>
public sealed record DeployInfo(string Tool, string? NanoffTarget, string? DeployAddress, string Notes);
