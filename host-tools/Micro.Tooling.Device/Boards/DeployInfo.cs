namespace Micro.Tooling.Boards;

/// <summary>
/// How firmware, application and model reach the board: the tool, nanoff's target name, where the board stores
/// a deployed model file (null: no storage the firmware reads, e.g. STM32F769I-DISCO has no I: drive), notes.
/// No deploy address: the plan deploys through the running nanoCLR (--nanodevice), which knows its own
/// deployment region (it moved from 0x1C0000 to 0x1E0000 on ESP32 4 MB images in Sep 2025).
/// </summary>
public sealed record DeployInfo(string Tool, string? NanoffTarget, string? ModelFile, string Notes);
