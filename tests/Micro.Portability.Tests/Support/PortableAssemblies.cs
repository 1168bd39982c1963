using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Micro.Portability.Tests.Checker;

namespace Micro.Portability.Tests.Support;

/// <summary>
/// The portable (device) assemblies, as built by the ProjectReferences of this test project and copied into
/// its output folder. Add a firmware project by referencing it from the test project; a .NET Standard
/// Micro.*.dll in the output folder is picked up even if it is not named here.
/// </summary>
internal static class PortableAssemblies
{
    /// <summary>Assemblies that must be present (a missing one fails the test rather than skipping it).</summary>
    public static readonly string[] Required = { "Micro.Runtime", "Micro.HeartRate", "Micro.Drivers.Max30102", "Micro.App" };

    public static string OutputDirectory =>
        Path.GetDirectoryName(typeof(Micro.Runtime.Kernels.FixedPoint).Assembly.Location)
        ?? throw new InvalidOperationException("Cannot locate the test output folder.");

    public static string AllowlistPath => Path.Combine(AppContext.BaseDirectory, "allowlist.txt");

    /// <summary>Required names plus every Micro.*.dll in the output folder that targets .NET Standard.</summary>
    public static IReadOnlyList<string> Names()
    {
        var names = new SortedSet<string>(Required, StringComparer.Ordinal);
        foreach (string path in Directory.EnumerateFiles(OutputDirectory, "Micro.*.dll"))
        {
            if (IsNetStandard(path)) names.Add(Path.GetFileNameWithoutExtension(path));
        }
        return names.ToList();
    }

    public static string PathOf(string name) => Path.Combine(OutputDirectory, name + ".dll");

    public static IlCheckOptions Options() => new() { PortableAssemblies = Names() };

    /// <summary>True when the assembly carries [TargetFramework(".NETStandard,...")].</summary>
    private static bool IsNetStandard(string path)
    {
        using FileStream stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata) return false;
        MetadataReader md = pe.GetMetadataReader();
        if (!md.IsAssembly) return false;
        foreach (CustomAttributeHandle h in md.GetAssemblyDefinition().GetCustomAttributes())
        {
            CustomAttribute ca = md.GetCustomAttribute(h);
            if (ca.Constructor.Kind != HandleKind.MemberReference) continue;
            MemberReference ctor = md.GetMemberReference((MemberReferenceHandle)ca.Constructor);
            if (ctor.Parent.Kind != HandleKind.TypeReference) continue;
            TypeReference type = md.GetTypeReference((TypeReferenceHandle)ctor.Parent);
            if (md.GetString(type.Name) != "TargetFrameworkAttribute") continue;
            BlobReader value = md.GetBlobReader(ca.Value);
            value.ReadUInt16(); // prolog 0x0001
            string? framework = value.ReadSerializedString();
            return framework != null && framework.StartsWith(".NETStandard", StringComparison.Ordinal);
        }
        return false;
    }
}
