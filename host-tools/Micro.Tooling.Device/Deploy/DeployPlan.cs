using Micro.Tooling.Boards;

namespace Micro.Tooling.Deploy;

/// <summary>The commands that deploy to a board, in order, and the files they need.</summary>
/// <param name="Tool">"nanoff" or "meadow".</param>
/// <param name="InstallCommand">How to install the tool when it is missing.</param>
/// <param name="FileDeploymentPath">nanoff's deploy.json (to be written with FileDeploymentJson), or null.</param>
/// <param name="Notes">Things the user should know (e.g. the model is larger than the board's budget).</param>
public sealed record DeployPlan(
    BoardDescription Board,
    string Tool,
    string InstallCommand,
    IReadOnlyList<DeployStep> Steps,
    string? FileDeploymentPath,
    string? FileDeploymentJson,
    IReadOnlyList<string> Notes);
