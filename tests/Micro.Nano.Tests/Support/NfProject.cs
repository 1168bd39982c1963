using System.Xml.Linq;

namespace Micro.Nano.Tests.Support;

/// <summary>
/// One .nfproj, read as MSBuild XML (the test side's own reader, independent of tests/nano/nfproj.py which
/// build.sh uses): its Compile items, project references, package references (HintPath) and the packages.config
/// beside it. Paths are full paths with the platform's separator.
/// </summary>
internal sealed class NfProject
{
    public static readonly XNamespace Ns = "http://schemas.microsoft.com/developer/msbuild/2003";

    /// <summary>The nanoFramework project type (the .nfproj flavour of a C# project).</summary>
    public const string NanoProjectType = "{11A8DD76-328B-46DF-9F39-F559912D0360}";

    public sealed record Reference(string Name, string HintPath, string? Condition);

    public sealed record ProjectRef(string Path, string Guid, string Name);

    public string Path { get; }

    public string Dir => System.IO.Path.GetDirectoryName(Path)!;

    public XDocument Xml { get; }

    public string AssemblyName => Property("AssemblyName") ?? throw new InvalidDataException(Path + ": no AssemblyName");

    public string ProjectGuid => (Property("ProjectGuid") ?? "").Trim('{', '}').ToUpperInvariant();

    public IReadOnlyList<string> Compile => Items("Compile").Select(e => Full((string)e.Attribute("Include")!)).ToList();

    public IReadOnlyList<ProjectRef> ProjectReferences => Items("ProjectReference").Select(e => new ProjectRef(
        Full((string)e.Attribute("Include")!),
        ((string?)e.Element(Ns + "Project") ?? "").Trim('{', '}').ToUpperInvariant(),
        (string?)e.Element(Ns + "Name") ?? "")).ToList();

    public IReadOnlyList<Reference> References => Items("Reference").Select(e => new Reference(
        ((string)e.Attribute("Include")!).Split(',')[0].Trim(),
        (string?)e.Element(Ns + "HintPath") ?? "",
        (string?)e.Parent!.Attribute("Condition") ?? (string?)e.Attribute("Condition"))).ToList();

    /// <summary>packages.config beside the project: package id → version.</summary>
    public IReadOnlyDictionary<string, string> Packages
    {
        get
        {
            string config = System.IO.Path.Combine(Dir, "packages.config");
            if (!File.Exists(config)) return new Dictionary<string, string>();
            return XDocument.Load(config).Root!.Elements("package")
                .ToDictionary(p => (string)p.Attribute("id")!, p => (string)p.Attribute("version")!);
        }
    }

    private NfProject(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Xml = XDocument.Load(Path);
    }

    public static NfProject Load(string path) => new(path);

    /// <summary>Every .nfproj of the repository (firmware/ and tests/), bin/ and obj/ left out.</summary>
    public static IReadOnlyList<string> All() =>
        new[] { "firmware", "tests" }.SelectMany(d => Directory.EnumerateFiles(Path0(d), "*.nfproj", SearchOption.AllDirectories))
            .Where(p => !p.Split(System.IO.Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .OrderBy(p => p, StringComparer.Ordinal).ToList();

    public string? Property(string name) => Xml.Root!.Elements(Ns + "PropertyGroup").Elements(Ns + name).Select(e => e.Value.Trim()).FirstOrDefault();

    /// <summary>
    /// The folder whose sources the project compiles: the parent of a nano/ folder (the nano build of a portable
    /// folder), otherwise the project's own folder.
    /// </summary>
    public string SourceFolder => string.Equals(System.IO.Path.GetFileName(Dir), "nano", StringComparison.Ordinal)
        ? System.IO.Path.GetDirectoryName(Dir)! : Dir;

    /// <summary>
    /// The .cs files the project must list: every .cs under <see cref="SourceFolder"/> but bin/, obj/, nano/ and
    /// subfolders that hold a project of their own (.nfproj or .csproj: a platform adapter, a sample).
    /// </summary>
    public IReadOnlyList<string> FolderSources()
    {
        var found = new List<string>();
        void Walk(string dir)
        {
            found.AddRange(Directory.GetFiles(dir, "*.cs"));
            foreach (string sub in Directory.GetDirectories(dir))
            {
                string name = System.IO.Path.GetFileName(sub);
                if (name is "bin" or "obj" or "nano") continue;
                if (Directory.GetFiles(sub, "*.nfproj").Length > 0 || Directory.GetFiles(sub, "*.csproj").Length > 0) continue;
                Walk(sub);
            }
        }
        Walk(SourceFolder);
        return found.Select(System.IO.Path.GetFullPath).OrderBy(p => p, StringComparer.Ordinal).ToList();
    }

    private IEnumerable<XElement> Items(string kind) => Xml.Root!.Elements(Ns + "ItemGroup").Elements(Ns + kind);

    private string Full(string include) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Dir, include.Replace('\\', System.IO.Path.DirectorySeparatorChar)));

    private static string Path0(string d) => System.IO.Path.Combine(NanoToolchain.RepoRoot, d);
}
