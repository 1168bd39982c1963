using Micro.Nano.Tests.Support;

namespace Micro.Nano.Tests;

/// <summary>
/// Every portable assembly and every nanoFramework board's app compiles against the real nanoFramework 1.x
/// libraries (mscorlib 1.17, System.Device.*, System.IO.*, nanoFramework.Hardware.Esp32, ResourceManager)
/// and converts to a .pe. A failure shows the compiler's errors.
/// </summary>
[TestClass]
public sealed class NanoCompileTests
{
    public static IEnumerable<object[]> Assemblies => NanoBuild.PortableAssemblies.Select(a => new object[] { a });

    public static IEnumerable<object[]> Boards => NanoBuild.Boards().Select(b => new object[] { b });

    [TestMethod]
    [DynamicData(nameof(Assemblies))]
    public void PortableAssemblyCompilesForNanoFramework(string assembly)
    {
        NanoToolchain.RequireToolchain();
        string pe = NanoBuild.Pe(assembly);
        Assert.IsTrue(new FileInfo(pe).Length > 0, pe + " is empty");
    }

    [TestMethod]
    [DynamicData(nameof(Boards))]
    public void BoardAppCompilesWithItsSymbolsAndEmbeddedModel(string board)
    {
        NanoToolchain.RequireToolchain();
        NanoBuild.RequireBuilt("Micro.Nano." + board);
        byte[] pe = File.ReadAllBytes(Path.Combine(NanoBuild.OutDir, "boards", board, "Micro.Nano.pe"));
        // The model resource as the app's ModelResources reads it (base name Micro.Nano.Resources), holding the blob.
        Assert.IsTrue(Contains(pe, "Micro.Nano.Resources.nanoresources"u8.ToArray()), board + ": no Micro.Nano.Resources in the app");
        byte[] blob = File.ReadAllBytes(Path.Combine(NanoToolchain.RepoRoot, "models", "heart-rate", "heart-rate.mblob"));
        Assert.IsTrue(Contains(pe, blob), board + ": the app does not embed models/heart-rate/heart-rate.mblob");
    }

    [TestMethod]
    public void EveryNanoFrameworkBoardIsBuilt()
    {
        NanoToolchain.RequireToolchain();
        string[] boards = NanoBuild.Boards();
        Assert.IsTrue(boards.Length >= 3, "boards/*.json lists " + boards.Length + " nanoFramework boards");
        CollectionAssert.AreEquivalent(boards.Select(b => "Micro.Nano." + b).ToArray(),
            NanoBuild.Get().Built.Concat(NanoBuild.Get().Failed).Where(n => n.StartsWith("Micro.Nano.", StringComparison.Ordinal)).ToArray(),
            "build.sh builds exactly the boards of boards/*.json");
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
