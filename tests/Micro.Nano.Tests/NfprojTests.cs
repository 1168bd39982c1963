using System.Reflection.Metadata;
using System.Text.Json;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Micro.Nano.Tests.Support;

namespace Micro.Nano.Tests;

/// <summary>
/// The .nfproj + packages.config projects (the primary nanoFramework build, firmware/Micro.nanoFramework.sln) and
/// what CI compiles stay the same thing: each project is well-formed MSBuild for the nanoFramework project system,
/// lists exactly the portable sources of its folder, references packages that its packages.config pins (at the
/// versions of the SDK-style alternative), and build.sh compiles exactly its Compile items with a reference chain
/// that the projects' own references cover. The XML and drift checks need no toolchain; the build checks do.
/// </summary>
[TestClass]
public sealed class NfprojTests
{
    public static IEnumerable<object[]> Projects => NfProject.All().Select(p => new object[] { Rel(p) });

    private static string FirmwareDir => Path.Combine(NanoToolchain.RepoRoot, "firmware");

    private static string PackagesDir => Path.Combine(FirmwareDir, "packages");

    [TestMethod]
    public void EveryNanoAssemblyHasOneNfprojAndTheSolutionListsThemAll()
    {
        var names = NfProject.All().Select(p => NfProject.Load(p).AssemblyName).ToList();
        CollectionAssert.AreEquivalent(NanoBuild.PortableAssemblies.Append("Micro.Nano").ToArray(), names.ToArray(),
            "one .nfproj per assembly build.sh makes");

        Assert.AreEqual(names.Count, NfProject.All().Select(f => NfProject.Load(f).ProjectGuid).Distinct().Count(), "every .nfproj has its own ProjectGuid");

        string sln = File.ReadAllText(Path.Combine(FirmwareDir, "Micro.nanoFramework.sln"));
        var listed = Regex.Matches(sln, "^Project\\(\"\\{11A8DD76-328B-46DF-9F39-F559912D0360\\}\"\\) = \"([^\"]+)\", \"([^\"]+)\", \"\\{([0-9A-F-]+)\\}\"", RegexOptions.Multiline)
            .Select(m => (Name: m.Groups[1].Value, Path: Path.GetFullPath(Path.Combine(FirmwareDir, m.Groups[2].Value.Replace('\\', Path.DirectorySeparatorChar))), Guid: m.Groups[3].Value))
            .ToList();
        Assert.AreEqual(names.Count, listed.Count, "Micro.nanoFramework.sln lists every .nfproj once:\n" + sln);
        foreach (var (name, path, guid) in listed)
        {
            Assert.IsTrue(File.Exists(path), "the solution names " + path + ", which does not exist");
            NfProject p = NfProject.Load(path);
            Assert.AreEqual(p.AssemblyName, name, Rel(path));
            Assert.AreEqual(p.ProjectGuid, guid, Rel(path) + ": the solution's GUID is not the project's");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Projects))]
    public void NfprojIsWellFormedForTheNanoFrameworkProjectSystem(string project)
    {
        NfProject p = NfProject.Load(Path.Combine(NanoToolchain.RepoRoot, project));
        XElement root = p.Xml.Root!;
        Assert.AreEqual(NfProject.Ns + "Project", root.Name, project + ": the root is not an MSBuild <Project>");
        StringAssert.Contains(p.Property("ProjectTypeGuids") ?? "", NfProject.NanoProjectType, project);
        Assert.IsTrue(Guid.TryParse(p.ProjectGuid, out _), project + ": ProjectGuid " + p.ProjectGuid);
        Assert.IsTrue(p.Property("OutputType") is "Library" or "Exe", project + ": OutputType");
        var imports = root.Elements(NfProject.Ns + "Import").Select(i => (string)i.Attribute("Project")!).ToList();
        foreach (string file in new[] { "NFProjectSystem.Default.props", "NFProjectSystem.props", "NFProjectSystem.CSharp.targets" })
            Assert.IsTrue(imports.Any(i => i.EndsWith(file, StringComparison.Ordinal)), project + ": does not import " + file);
        Assert.AreEqual(p.Compile.Count, p.Compile.Distinct().Count(), project + ": a file is listed twice");
        Assert.IsTrue(p.Compile.All(c => !c.Contains('*')), project + ": nanoFramework projects list files, not wildcards");
        Assert.IsTrue(File.Exists(Path.Combine(p.Dir, "packages.config")), project + ": no packages.config beside it");

        if (p.AssemblyName == "NFUnitTest")
        {
            // What Test Explorer needs to find and run the tests.
            Assert.IsTrue(root.Elements(NfProject.Ns + "ItemGroup").Elements(NfProject.Ns + "ProjectCapability").Any(e => (string?)e.Attribute("Include") == "TestContainer"),
                project + ": no TestContainer capability");
            StringAssert.EndsWith(p.Property("RunSettingsFilePath") ?? "", "nano.runsettings", project);
            XDocument settings = XDocument.Load(Path.Combine(p.Dir, "nano.runsettings"));
            Assert.IsNotNull(settings.Root!.Element("nanoFrameworkAdapter"), "nano.runsettings has no nanoFrameworkAdapter section");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Projects))]
    public void MsBuildEvaluatesTheProjectAsBuildShReadsIt(string project)
    {
        // MSBuild itself (the nanoFramework project system's imports are absent here and conditional, as in every
        // nanoFramework project) against tests/nano/nfproj.py, for each board where the project has a MicroBoard.
        string path = Path.Combine(NanoToolchain.RepoRoot, project);
        string[] boards = File.ReadAllText(path).Contains("$(MicroBoard)", StringComparison.Ordinal) ? NanoBuild.Boards() : new[] { "" };
        foreach (string board in boards)
        {
            string[] props = board.Length > 0 ? new[] { "-p", "MicroBoard=" + board } : Array.Empty<string>();
            ProcResult msbuild = Proc.Run("dotnet", new[] { "msbuild", path, "-nologo", "-getItem:Compile", "-getItem:Reference", "-getItem:ProjectReference",
                "-getProperty:AssemblyName", "-getProperty:OutputType", "-getProperty:DefineConstants" }
                .Concat(board.Length > 0 ? new[] { "-p:MicroBoard=" + board } : Array.Empty<string>()), timeoutSeconds: 120);
            Assert.AreEqual(0, msbuild.ExitCode, project + ": MSBuild does not evaluate it:\n" + msbuild.Both);
            using JsonDocument json = JsonDocument.Parse(msbuild.Stdout);
            JsonElement items = json.RootElement.GetProperty("Items"), properties = json.RootElement.GetProperty("Properties");
            string[] Items(string kind) => items.TryGetProperty(kind, out JsonElement list)
                ? list.EnumerateArray().Select(i => i.GetProperty(kind == "Compile" ? "FullPath" : "Identity").GetString()!).ToArray() : Array.Empty<string>();

            ProcResult reader = Proc.Run("python3", new[] { Path.Combine(NanoToolchain.RepoRoot, "tests", "nano", "nfproj.py"), path }.Concat(props), timeoutSeconds: 60);
            Assert.AreEqual(0, reader.ExitCode, project + ": nfproj.py refuses it:\n" + reader.Both);
            var read = reader.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', 2)).ToLookup(l => l[0], l => l[1]);
            string what = project + (board.Length > 0 ? " (MicroBoard=" + board + ")" : "");

            Assert.AreEqual(properties.GetProperty("AssemblyName").GetString(), read["name"].Single(), what);
            Assert.AreEqual(properties.GetProperty("OutputType").GetString(), read["type"].Single(), what);
            CollectionAssert.AreEqual(properties.GetProperty("DefineConstants").GetString()!.Split(';', StringSplitOptions.RemoveEmptyEntries), read["define"].ToArray(), what + ": symbols");
            CollectionAssert.AreEqual(Items("Compile"), read["src"].ToArray(), what + ": Compile items");
            CollectionAssert.AreEqual(Items("Reference").Select(r => r.Split(',')[0].Trim()).Where(r => r != "mscorlib").ToArray(), read["ref"].ToArray(), what + ": references");
            CollectionAssert.AreEqual(Items("ProjectReference").Select(r => NfProject.Load(Path.Combine(Path.GetDirectoryName(path)!, r.Replace('\\', Path.DirectorySeparatorChar))).AssemblyName).ToArray(),
                read["projref"].ToArray(), what + ": project references");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Projects))]
    public void NfprojListsExactlyThePortableSourcesOfItsFolder(string project)
    {
        NfProject p = NfProject.Load(Path.Combine(NanoToolchain.RepoRoot, project));
        string drift = Drift(p);
        Assert.AreEqual("", drift, project + " and its folder differ (add or remove the <Compile> items):\n" + drift);
    }

    [TestMethod]
    public void DriftCheckSeesAFileAddedToTheFolderAndAFileOnlyTheProjectLists()
    {
        // The check above on a copy of Micro.App: clean, then with a new .cs beside the sources, then with the
        // project listing a file the folder no longer has.
        string tmp = Path.Combine(Path.GetTempPath(), "micro-nfproj-drift-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            string src = Path.Combine(FirmwareDir, "Micro.App");
            Directory.CreateDirectory(Path.Combine(tmp, "nano"));
            foreach (string f in Directory.GetFiles(src, "*.cs")) File.Copy(f, Path.Combine(tmp, Path.GetFileName(f)));
            File.Copy(Path.Combine(src, "nano", "Micro.App.nfproj"), Path.Combine(tmp, "nano", "Micro.App.nfproj"));
            string proj = Path.Combine(tmp, "nano", "Micro.App.nfproj");
            Assert.AreEqual("", Drift(NfProject.Load(proj)));

            File.WriteAllText(Path.Combine(tmp, "NewThing.cs"), "namespace Micro.App { }");
            StringAssert.Contains(Drift(NfProject.Load(proj)), "not in the project: " + Path.Combine(tmp, "NewThing.cs"));
            File.Delete(Path.Combine(tmp, "NewThing.cs"));

            File.Delete(Path.Combine(tmp, "SampleRing.cs"));
            StringAssert.Contains(Drift(NfProject.Load(proj)), "not in the folder: " + Path.Combine(tmp, "SampleRing.cs"));
        }
        finally
        {
            Directory.Delete(tmp, recursive: true);
        }
    }

    [TestMethod]
    [DynamicData(nameof(Projects))]
    public void EveryHintPathIsAPackageThatPackagesConfigPins(string project)
    {
        NfProject p = NfProject.Load(Path.Combine(NanoToolchain.RepoRoot, project));
        IReadOnlyDictionary<string, string> packages = p.Packages;
        Assert.IsTrue(packages.Count > 0, project + ": packages.config pins nothing");
        var used = new HashSet<string>();
        foreach (NfProject.Reference r in p.References)
        {
            // <solution folder>\packages\<id>.<version>\lib\<file>, the layout NuGet restores packages.config into.
            string full = Path.GetFullPath(Path.Combine(p.Dir, r.HintPath.Replace('\\', Path.DirectorySeparatorChar)));
            string rel = Path.GetRelativePath(PackagesDir, full);
            string[] parts = rel.Split(Path.DirectorySeparatorChar);
            Assert.IsTrue(parts.Length == 3 && parts[1] == "lib" && !rel.StartsWith("..", StringComparison.Ordinal),
                $"{project}: {r.Name}'s HintPath {r.HintPath} is not firmware\\packages\\<id>.<version>\\lib\\<file>");
            var pin = packages.FirstOrDefault(kv => string.Equals(parts[0], kv.Key + "." + kv.Value, StringComparison.Ordinal));
            Assert.IsNotNull(pin.Key, $"{project}: {r.Name}'s HintPath names {parts[0]}, which packages.config does not pin ({string.Join(", ", packages.Select(kv => kv.Key + " " + kv.Value))})");
            used.Add(pin.Key);
            // The library CI compiles against is the same one: nf's lib/ holds it under the same name.
            string file = Path.GetFileNameWithoutExtension(parts[2]);
            Assert.AreEqual(r.Name, file, $"{project}: reference {r.Name} points at {parts[2]}");
        }
        CollectionAssert.AreEquivalent(packages.Keys.ToArray(), used.ToArray(), project + ": every pinned package is referenced");

        // The same versions as the SDK-style alternative beside it (nano/*.csproj PackageReference).
        foreach (string csproj in Directory.GetFiles(p.Dir, "*.csproj"))
        {
            foreach (XElement pr in XDocument.Load(csproj).Descendants("PackageReference"))
            {
                string id = (string)pr.Attribute("Include")!;
                if (packages.TryGetValue(id, out string? v))
                    Assert.AreEqual((string)pr.Attribute("Version")!, v, $"{project} and {Path.GetFileName(csproj)} pin {id} differently");
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(Projects))]
    public void ProjectReferencesNameTheProjectsTheyPointAt(string project)
    {
        NfProject p = NfProject.Load(Path.Combine(NanoToolchain.RepoRoot, project));
        foreach (NfProject.ProjectRef r in p.ProjectReferences)
        {
            Assert.IsTrue(File.Exists(r.Path), project + ": references " + r.Path + ", which does not exist");
            NfProject target = NfProject.Load(r.Path);
            Assert.AreEqual(target.ProjectGuid, r.Guid, project + ": the <Project> GUID of its reference to " + Rel(r.Path));
            Assert.AreEqual(target.AssemblyName, r.Name, project + ": the <Name> of its reference to " + Rel(r.Path));
        }
    }

    [TestMethod]
    [DynamicData(nameof(Projects))]
    public void BuildShCompilesExactlyTheNfprojSourcesWithItsReferences(string project)
    {
        NanoToolchain.RequireToolchain();
        NfProject p = NfProject.Load(Path.Combine(NanoToolchain.RepoRoot, project));
        string[] builds = p.AssemblyName == "Micro.Nano"
            ? NanoBuild.Boards().Select(b => "Micro.Nano." + b).ToArray()
            : new[] { p.AssemblyName };
        foreach (string build in builds)
        {
            CollectionAssert.AreEqual(p.Compile.ToArray(), NanoBuild.SourcesCompiled(build).Select(Path.GetFullPath).ToArray(),
                build + ": build.sh did not compile the files " + project + " lists");

            // Every assembly the compiled .dll references is one the .nfproj references (another .nfproj or a
            // package), so the project builds in Visual Studio exactly as nf built it.
            string dll = build.StartsWith("Micro.Nano.", StringComparison.Ordinal)
                ? Path.Combine(NanoBuild.OutDir, "boards", build["Micro.Nano.".Length..], "Micro.Nano.dll")
                : NanoBuild.Dll(build);
            var declared = p.ProjectReferences.Select(r => r.Name).Concat(p.References.Select(r => r.Name)).Append("mscorlib").ToHashSet();
            foreach (string used in AssemblyReferences(dll))
                Assert.IsTrue(declared.Contains(used), $"{build} uses {used}, which {project} does not reference");
        }
    }

    /// <summary>What differs between the project's Compile items and its folder's portable sources, one line each.</summary>
    private static string Drift(NfProject p)
    {
        var listed = p.Compile.ToHashSet();
        var folder = p.FolderSources().ToHashSet();
        return string.Concat(
            folder.Where(f => !listed.Contains(f)).OrderBy(f => f, StringComparer.Ordinal).Select(f => "not in the project: " + f + "\n")
            .Concat(listed.Where(f => !folder.Contains(f)).OrderBy(f => f, StringComparer.Ordinal).Select(f => "not in the folder: " + f + "\n")));
    }

    private static IEnumerable<string> AssemblyReferences(string dll)
    {
        using var pe = new PEReader(File.OpenRead(dll));
        MetadataReader md = pe.GetMetadataReader();
        return md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToList();
    }

    private static string Rel(string path) => Path.GetRelativePath(NanoToolchain.RepoRoot, path);
}
