using System.Xml.Linq;

namespace Micro.Portability.Tests;

/// <summary>
/// What the IL cannot show: the portable projects' settings. Implicit usings would add namespaces
/// (System.Linq, System.Threading.Tasks...) that nanoFramework 1.x lacks, so the nano build would not compile.
/// </summary>
[TestClass]
public sealed class ProjectFileTests
{
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Micro.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("Micro.sln not found above " + AppContext.BaseDirectory);
    }

    public static IEnumerable<object[]> PortableProjects()
    {
        string firmware = Path.Combine(RepositoryRoot(), "firmware");
        return Directory.EnumerateFiles(firmware, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "nano" or "bin" or "obj" or "real-api"))
            // Device projects build with their platform's SDK (nanoFramework.NET.Sdk, Meadow.Sdk: Meadow.F7 ships
            // only for netstandard2.1), and real-api compiles against ../shared/meadow's netstandard2.1 assemblies;
            // the rule is for the portable .NET projects CI compiles.
            .Where(p => XDocument.Load(p).Root?.Attribute("Sdk")?.Value is not { } sdk
                        || !(sdk.StartsWith("Meadow.Sdk", StringComparison.Ordinal) || sdk.StartsWith("nanoFramework.NET.Sdk", StringComparison.Ordinal)))
            .Select(p => new object[] { Path.GetRelativePath(RepositoryRoot(), p) })
            .ToList();
    }

    [TestMethod]
    public void FirmwareHasPortableProjects()
    {
        var projects = PortableProjects().Select(p => (string)p[0]).ToList();
        CollectionAssert.Contains(projects, Path.Combine("firmware", "Micro.Runtime", "Micro.Runtime.csproj"));
        CollectionAssert.Contains(projects, Path.Combine("firmware", "Micro.HeartRate", "Micro.HeartRate.csproj"));
    }

    [TestMethod]
    [DynamicData(nameof(PortableProjects))]
    public void PortableProjectTargetsNetStandard20WithoutNullableOrImplicitUsings(string relativePath)
    {
        XDocument project = XDocument.Load(Path.Combine(RepositoryRoot(), relativePath));
        string? Property(string name) => project.Descendants(name).LastOrDefault()?.Value.Trim();

        Assert.AreEqual("netstandard2.0", Property("TargetFramework"), relativePath);
        Assert.AreEqual("disable", Property("Nullable"), relativePath + ": Nullable must be disabled");
        Assert.AreEqual("disable", Property("ImplicitUsings"), relativePath + ": ImplicitUsings must be disabled");
        Assert.AreNotEqual("true", Property("AllowUnsafeBlocks")?.ToLowerInvariant(), relativePath + ": no unsafe code");
    }
}
