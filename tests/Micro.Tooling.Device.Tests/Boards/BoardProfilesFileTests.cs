using Micro.Tooling.Boards;

namespace Micro.Tooling.Device.Tests.Boards;

/// <summary>
/// Keeps firmware/Micro.App/BoardProfiles.cs equal to what <see cref="BoardProfilesSource"/> writes from
/// boards/*.json, so a board exists once (Micro.App.Tests' BoardProfileTests then compares the compiled
/// profiles with the files field by field).
/// </summary>
[TestClass]
public sealed class BoardProfilesFileTests
{
    [TestMethod]
    public void CommittedBoardProfilesAreCurrent()
    {
        string boards = BoardCatalog.FindBoardsDirectory(AppContext.BaseDirectory);
        string path = Path.Combine(Path.GetDirectoryName(boards)!, BoardProfilesSource.RelativePath);
        string expected = BoardProfilesSource.Render(BoardCatalog.LoadDirectory(boards));
        if (Environment.GetEnvironmentVariable("MICRO_UPDATE_BOARDS") == "1") File.WriteAllText(path, expected);
        Assert.AreEqual(expected, File.ReadAllText(path).ReplaceLineEndings("\n"),
            "BoardProfiles.cs is stale: run `MICRO_UPDATE_BOARDS=1 dotnet test tests/Micro.Tooling.Device.Tests --filter BoardProfilesFileTests` and commit it");
    }

    [TestMethod]
    public void EachBoardGetsItsFactoryAndItsValues()
    {
        string text = BoardProfilesSource.Render(BoardCatalog.LoadDirectory(BoardCatalog.FindBoardsDirectory(AppContext.BaseDirectory)));
        StringAssert.Contains(text, "public static BoardProfile Esp32DevKitC()");
        StringAssert.Contains(text, "if (name == \"meadow-f7v2-feather\") return MeadowF7v2Feather();");
        StringAssert.Contains(text, "b.SdaPin = PinRef.Named(\"D07\");");
        StringAssert.Contains(text, "b.ModelArenaBytes = 16384;");
    }
}
