using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Micro.Portability.Tests.Support;

/// <summary>
/// Compiles C# snippets at test time, Release, nullable off: the same shape of IL the portable projects
/// produce. By default against the netstandard2.0 reference assembly (the portable projects' surface).
/// </summary>
internal static class SnippetCompiler
{
    private static readonly Lazy<MetadataReference[]> NetStandardLazy = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "refs", "netstandard2.0", "netstandard.dll");
        if (!File.Exists(path))
            throw new FileNotFoundException($"netstandard.dll reference assembly not found at '{path}' (copied from the NETStandard.Library package).", path);
        return new MetadataReference[] { MetadataReference.CreateFromFile(path) };
    });

    private static readonly Lazy<MetadataReference[]> RuntimeLazy = new(() =>
    {
        string tpa = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string
            ?? throw new InvalidOperationException("The runtime does not list its platform assemblies.");
        return tpa.Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll" or "System.Memory.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray();
    });

    /// <summary>netstandard.dll 2.0: what Micro.Runtime and Micro.HeartRate compile against.</summary>
    public static IReadOnlyList<MetadataReference> NetStandard20 => NetStandardLazy.Value;

    /// <summary>The running .NET runtime's core assemblies (for Span&lt;T&gt;, absent from netstandard2.0).</summary>
    public static IReadOnlyList<MetadataReference> RunningRuntime => RuntimeLazy.Value;

    public static MemoryStream Compile(string source, bool allowUnsafe = false, IEnumerable<MetadataReference>? references = null,
        string assemblyName = "Snippet")
    {
        var compilation = CSharpCompilation.Create(
            assemblyName,
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)) },
            references ?? NetStandard20,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                optimizationLevel: OptimizationLevel.Release,
                allowUnsafe: allowUnsafe,
                nullableContextOptions: NullableContextOptions.Disable,
                deterministic: true));

        var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            throw new InvalidOperationException("Snippet does not compile:\n" +
                string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }
        image.Position = 0;
        return image;
    }
}
