namespace Micro.Tooling.Boards;

/// <summary>Bytes one model may use on the board: the blob (loaded into a byte[]) and the activation arena.</summary>
public sealed record ModelBudget(long BlobBytes, long ArenaBytes)
{
    /// <summary>Managed heap the model needs: blob plus arena.</summary>
    public long TotalBytes => BlobBytes + ArenaBytes;
}
