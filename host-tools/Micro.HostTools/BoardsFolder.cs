using Micro.Tooling.Boards;

namespace Micro.HostTools;

/// <summary>
/// Where boards/*.json are, for every command that takes --board (inspect, deploy): the repository's boards/
/// when run from inside a clone (found from the current folder, then from the tool's own folder), else the
/// copy shipped with the tool (boards/ next to micro.dll, as installed by `dotnet tool install`).
/// </summary>
public static class BoardsFolder
{
    public static string Locate() => Locate(Environment.CurrentDirectory, AppContext.BaseDirectory);

    /// <summary>The boards folder seen from <paramref name="currentDirectory"/> by a tool installed in <paramref name="toolDirectory"/>.</summary>
    public static string Locate(string currentDirectory, string toolDirectory)
    {
        foreach (var start in new[] { currentDirectory, toolDirectory })
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
        string shipped = Path.Combine(toolDirectory, "boards");
        if (Directory.Exists(shipped)) return shipped;
        throw new DirectoryNotFoundException($"no boards folder: not inside a Micro clone ({currentDirectory}) and no boards/ shipped next to the tool ({toolDirectory}); run micro from a clone, pass --boards DIR (deploy), or reinstall the tool");
    }

    /// <summary>
    /// Loads board <paramref name="name"/> from <paramref name="folder"/> (default: <see cref="Locate()"/>). An unknown
    /// name is an ArgumentException that lists the known boards; an invalid board file an InvalidDataException.
    /// </summary>
    public static BoardDescription Load(string name, string? folder = null)
    {
        string dir;
        try
        {
            dir = folder ?? Locate();
        }
        catch (DirectoryNotFoundException e)
        {
            throw new ArgumentException(e.Message);
        }
        if (!Directory.Exists(dir)) throw new ArgumentException($"boards folder not found: {dir}");
        try
        {
            return BoardCatalog.LoadByName(dir, name);
        }
        catch (FileNotFoundException e)
        {
            throw new ArgumentException(e.Message);
        }
        catch (BoardValidationException e)
        {
            throw new InvalidDataException(e.Message);
        }
    }
}
