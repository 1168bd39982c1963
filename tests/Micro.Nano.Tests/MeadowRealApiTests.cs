using Micro.Nano.Tests.Support;

namespace Micro.Nano.Tests;

/// <summary>
/// The Meadow app compiles against the real Meadow assemblies (../shared/meadow/lib: Meadow.Core 2.1.0.1 built
/// from source), not only against the compile-only declarations of firmware/MeadowStubs: a signature the stubs
/// got wrong fails here with the compiler's error (firmware/Micro.Meadow/real-api/Micro.Meadow.RealApi.csproj).
/// </summary>
[TestClass]
public sealed class MeadowRealApiTests
{
    [TestMethod]
    public void MeadowAppCompilesAgainstTheRealMeadowAssemblies()
    {
        string lib = Path.Combine(NanoToolchain.SharedDir ?? "", "meadow", "lib");
        if (NanoToolchain.SharedDir == null || !File.Exists(Path.Combine(lib, "Meadow.F7.dll")))
            Assert.Inconclusive("skipped: no ../shared/meadow/lib beside the repository (set MICRO_SHARED)");
        string project = Path.Combine(NanoToolchain.RepoRoot, "firmware", "Micro.Meadow", "real-api", "Micro.Meadow.RealApi.csproj");
        string output = Path.Combine(NanoBuild.WorkDir, "meadow-real-api");
        ProcResult build = Proc.Run("dotnet", new[] { "build", project, "-c", "Release", "-o", output, "-p:MeadowLib=" + lib, "-nologo", "-v", "q" }, timeoutSeconds: 600);
        Assert.AreEqual(0, build.ExitCode, "the Meadow app does not compile against ../shared/meadow/lib:\n" + build.Stdout + build.Stderr);
        Assert.IsTrue(File.Exists(Path.Combine(output, "Micro.Meadow.RealApi.dll")));
    }
}
