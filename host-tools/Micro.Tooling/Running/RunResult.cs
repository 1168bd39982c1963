namespace Micro.Tooling.Running;

/// <summary>What <see cref="BlobRun.Run"/> did: how many samples it ran and the file it wrote.</summary>
public sealed record RunResult(int Samples, string Output);
