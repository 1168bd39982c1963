using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Micro.Portability.Tests.Checker;
using Micro.Portability.Tests.Support;
using Microsoft.CodeAnalysis;

namespace Micro.Portability.Tests;

[TestClass]
public sealed class AllowlistTests
{
    [TestMethod]
    public void RepositoryAllowlistIsWellFormed()
    {
        Allowlist list = Allowlist.Load(PortableAssemblies.AllowlistPath);
        Assert.AreEqual(0, list.Problems.Count, string.Join("\n", list.Problems));
        Assert.IsTrue(list.AllowsMember("System.Array::Copy(System.Array,System.Int32,System.Array,System.Int32,System.Int32)"));
        // What nanoFramework 1.17's mscorlib does not have must stay out.
        Assert.IsFalse(list.AllowsType("System.Math"));
        Assert.IsFalse(list.AllowsType("System.Buffer"));
        Assert.IsFalse(list.Types.Any(t => t.Contains('`')), "no generic types may be allowlisted");
        Assert.IsFalse(list.Types.Any(t => IlChecker.OptionalSynthesizedAttributes.Contains(t)),
            "RuntimeCompatibility/CompilerGenerated do not exist in nano's mscorlib");
    }

    [TestMethod]
    public void ParserReportsBadLinesDuplicatesAndMembersWithoutTheirType()
    {
        Allowlist list = Allowlist.Parse(new[]
        {
            "# comment",
            "System.Object",
            "System.Object",
            "System.Array::Copy(System.Array,System.Array,System.Int32)",
            "System.Object::ToString()",
            "not a type!",
            "System.Object::Equals(System.Object,",
        }, "test");

        Assert.AreEqual(4, list.Problems.Count, string.Join("\n", list.Problems));
        Assert.IsTrue(list.Problems.Any(p => p.Contains("test:3") && p.Contains("duplicate")));
        Assert.IsTrue(list.Problems.Any(p => p.Contains("test:6") && p.Contains("not a valid type entry")));
        Assert.IsTrue(list.Problems.Any(p => p.Contains("test:7") && p.Contains("not a valid member entry")));
        Assert.IsTrue(list.Problems.Any(p => p.Contains("'System.Array' is not")));
        Assert.IsTrue(list.AllowsMember("System.Object::ToString()"));
        Assert.IsFalse(list.AllowsMember("System.Object::ToString"));
    }

    [TestMethod]
    public void MissingAllowlistFileIsAClearError()
    {
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => Allowlist.Load(Path.Combine(Path.GetTempPath(), "no-such-allowlist.txt")));
        StringAssert.Contains(e.Message, "IL allowlist not found");
    }

    /// <summary>
    /// The checker accepts [assembly: RuntimeCompatibility] and [CompilerGenerated] although nano's mscorlib
    /// lacks them, because the compiler only adds them when the core library defines them. Proven here: the
    /// same snippet compiled against a core library without them (like nano's) carries neither, while against
    /// netstandard it carries both.
    /// </summary>
    [TestMethod]
    public void OptionalSynthesizedAttributesAreOmittedWhenTheCoreLibraryLacksThem()
    {
        const string snippet = """
            namespace Snippets
            {
                public sealed class Holder
                {
                    private static readonly int[] Table = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
                    public int Value { get; set; }
                    public static int First() => Table[0];
                }
            }
            """;

        using MemoryStream corlib = SnippetCompiler.Compile(MinimalCoreLibrary, references: Array.Empty<MetadataReference>(), assemblyName: "mscorlib");
        MetadataReference corlibRef = MetadataReference.CreateFromImage(corlib.ToArray());

        using MemoryStream againstMinimal = SnippetCompiler.Compile(snippet, references: new[] { corlibRef });
        using MemoryStream againstNetStandard = SnippetCompiler.Compile(snippet);

        HashSet<string> minimalRefs = TypeReferenceNames(againstMinimal);
        HashSet<string> netStandardRefs = TypeReferenceNames(againstNetStandard);
        foreach (string attribute in IlChecker.OptionalSynthesizedAttributes)
        {
            Assert.IsTrue(netStandardRefs.Contains(attribute), attribute + " should be emitted against netstandard");
            Assert.IsFalse(minimalRefs.Contains(attribute), attribute + " should be omitted when the core library lacks it");
        }
        // The array initializer still compiles to RuntimeHelpers.InitializeArray, which nano has (allowlisted).
        Assert.IsTrue(minimalRefs.Contains("System.Runtime.CompilerServices.RuntimeHelpers"));

        Allowlist allow = Allowlist.Load(PortableAssemblies.AllowlistPath);
        againstMinimal.Position = 0;
        againstNetStandard.Position = 0;
        Assert.AreEqual(0, IlChecker.Check(againstMinimal, allow).Count);
        Assert.AreEqual(0, IlChecker.Check(againstNetStandard, allow).Count);
    }

    private static HashSet<string> TypeReferenceNames(MemoryStream image)
    {
        image.Position = 0;
        using var pe = new PEReader(image, PEStreamOptions.LeaveOpen);
        MetadataReader md = pe.GetMetadataReader();
        return md.TypeReferences
            .Select(h => md.GetTypeReference(h))
            .Select(r => md.GetString(r.Namespace) + "." + md.GetString(r.Name))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// A core library with only what the compiler needs for the snippet, and none of the optional attributes
    /// (like nanoFramework's mscorlib 1.17, which has no RuntimeCompatibilityAttribute or CompilerGeneratedAttribute).
    /// </summary>
    private const string MinimalCoreLibrary = """
        namespace System
        {
            public class Object { }
            public abstract class ValueType { }
            public abstract class Enum : ValueType { }
            public struct Void { }
            public struct Boolean { }
            public struct Char { }
            public struct SByte { }
            public struct Byte { }
            public struct Int16 { }
            public struct UInt16 { }
            public struct Int32 { }
            public struct UInt32 { }
            public struct Int64 { }
            public struct UInt64 { }
            public struct Single { }
            public struct Double { }
            public struct IntPtr { }
            public struct UIntPtr { }
            public sealed class String { }
            public abstract class Array { }
            public class Exception { }
            public abstract class Delegate { }
            public abstract class MulticastDelegate : Delegate { }
            public struct RuntimeTypeHandle { }
            public struct RuntimeFieldHandle { }
            public struct RuntimeMethodHandle { }
            public abstract class Attribute { protected Attribute() { } }
            public enum AttributeTargets { Assembly = 1, Module = 2, Class = 4, Struct = 8, Enum = 16, Constructor = 32, Method = 64, Property = 128, Field = 256, Event = 512, Interface = 1024, Parameter = 2048, Delegate = 4096, ReturnValue = 8192, All = 16383 }
            public sealed class AttributeUsageAttribute : Attribute
            {
                private bool _allowMultiple, _inherited;
                public AttributeUsageAttribute(AttributeTargets validOn) { }
                public bool AllowMultiple { get { return _allowMultiple; } set { _allowMultiple = value; } }
                public bool Inherited { get { return _inherited; } set { _inherited = value; } }
            }
            namespace Runtime.CompilerServices
            {
                public static class RuntimeHelpers { public static void InitializeArray(Array array, RuntimeFieldHandle fldHandle) { } }
                public class CompilationRelaxationsAttribute : Attribute { public CompilationRelaxationsAttribute(int relaxations) { } }
            }
            namespace Diagnostics
            {
                public sealed class DebuggableAttribute : Attribute
                {
                    public enum DebuggingModes { None = 0, Default = 1, IgnoreSymbolStoreSequencePoints = 2, EnableEditAndContinue = 4, DisableOptimizations = 256 }
                    public DebuggableAttribute(DebuggingModes modes) { }
                }
            }
        }
        """;
}
