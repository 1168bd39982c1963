
namespace Micro.Tooling.Boards;

/// <summary>Whether a blob and its arena fit a board's model budget (boards/*.json).</summary>
public sealed record BoardFit(string Board, long BlobBytes, long BlobBudget, long ArenaBytes, long ArenaBudget)
{
    public bool Fits => BlobBytes <= BlobBudget && ArenaBytes <= ArenaBudget;

    public static BoardFit Check(BoardDescription board, long blobBytes, long arenaBytes) =>
        new(board.Name, blobBytes, board.ModelBudget.BlobBytes, arenaBytes, board.ModelBudget.ArenaBytes);

    public override string ToString() =>
        $"{Board}: blob {BlobBytes:N0} of {BlobBudget:N0} B, arena {ArenaBytes:N0} of {ArenaBudget:N0} B — " + (Fits ? "fits" : "does NOT fit");
}

/// <summary>Thrown when a blob does not fit the board it was packed for; nothing is written.</summary>
public sealed class BoardBudgetException(BoardFit fit) : Exception(fit.ToString())
{
    public BoardFit Fit { get; } = fit;
}
