using Micro.Nano.Tests.Support;

namespace Micro.Nano.Tests;

[TestClass]
public static class AssemblySetup
{
    /// <summary>The nano build and generated data live in one temporary folder per test run.</summary>
    [AssemblyCleanup]
    public static void DeleteWorkFolder() => NanoBuild.Cleanup();
}
