using Micro.Tooling.Boards;

namespace Micro.HostTools;

/// <summary>Where boards/*.json are: the repository's boards/ when run from a clone, else the copy shipped with the tool.</summary>
public static class BoardsFolder
{
    public static string Locate()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            try
            {
                string dir = BoardCatalog.FindBoardsDirectory(start);
                if (Directory.Exists(dir)) return dir;
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
        string shipped = Path.Combine(AppContext.BaseDirectory, "boards");
        if (Directory.Exists(shipped)) return shipped;
        throw new DirectoryNotFoundException("no boards folder: run micro from a Micro clone, or reinstall the tool");
    }
}
