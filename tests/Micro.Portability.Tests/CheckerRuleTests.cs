using Micro.Portability.Tests.Checker;
using Micro.Portability.Tests.Support;

namespace Micro.Portability.Tests;

/// <summary>
/// Each rule of the IL checker fails on a deliberately bad snippet compiled at test time, and a clean snippet
/// that uses what portable code really uses passes: the checker can fail, and it does not fail for nothing.
/// </summary>
[TestClass]
public sealed class CheckerRuleTests
{
    private static readonly Lazy<Allowlist> Allow = new(() => Allowlist.Load(PortableAssemblies.AllowlistPath));

    private static IReadOnlyList<Violation> Check(string source, bool allowUnsafe = false, bool runningRuntime = false)
    {
        using MemoryStream image = SnippetCompiler.Compile(source, allowUnsafe,
            runningRuntime ? SnippetCompiler.RunningRuntime : null);
        IReadOnlyList<Violation> violations = IlChecker.Check(image, Allow.Value);
        foreach (Violation v in violations) Console.WriteLine(v);
        return violations;
    }

    private static void AssertReports(IReadOnlyList<Violation> violations, Rule rule, string location, string detail)
    {
        bool found = violations.Any(v => v.Rule == rule
            && v.Location.Contains(location, StringComparison.Ordinal)
            && v.Detail.Contains(detail, StringComparison.Ordinal));
        Assert.IsTrue(found, $"expected [{rule}] at '{location}' mentioning '{detail}'; got:\n" + string.Join("\n", violations));
    }

    // ------------------------------------------------------------------ the clean snippet

    /// <summary>What portable code does: arrays, jagged arrays, sbyte[], long math, Array.Copy/Clear, array
    /// initializers, exceptions with concatenated messages, an indexer, an enum, float outside the kernels.</summary>
    private const string CleanSource = """
        using System;
        namespace Micro.Runtime.Kernels
        {
            public enum Activation { None, Relu }
            public static class CleanKernel
            {
                private static readonly int[] Table = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
                public static int Dot(sbyte[] w, sbyte[] x, int n, int[][] jagged, Activation act)
                {
                    if (n < 0) throw new ArgumentException("n must be >= 0, got " + n.ToString());
                    long acc = 0;
                    for (int i = 0; i < n; i++) acc += w[i] * x[i];
                    int[] copy = new int[4];
                    Array.Copy(Table, 0, copy, 0, 4);
                    Array.Clear(copy, 0, 2);
                    int r = (int)(acc >> 1) + jagged[0][0] + copy[3];
                    return act == Activation.Relu && r < 0 ? 0 : r;
                }
            }
            public sealed class Buffer8
            {
                private readonly byte[] _data;
                public Buffer8(int n) { _data = new byte[n]; }
                public int this[int i] => _data[i];
                public int Length => _data.Length;
            }
        }
        namespace Micro.Runtime
        {
            public static class Dequantize
            {
                public static float ToReal(sbyte q, int zeroPoint, float scale) => (q - zeroPoint) * scale;
            }
        }
        """;

    [TestMethod]
    public void CleanSnippetPasses()
    {
        IReadOnlyList<Violation> violations = Check(CleanSource);
        Assert.AreEqual(0, violations.Count, string.Join("\n", violations));
    }

    [TestMethod]
    public void MemberMissingFromTheAllowlistFails()
    {
        // The same clean snippet, checked against an allowlist without the 5-argument Array.Copy.
        string copy = "System.Array::Copy(System.Array,System.Int32,System.Array,System.Int32,System.Int32)";
        Assert.IsTrue(Allow.Value.AllowsMember(copy), "the real allowlist should list " + copy);
        Allowlist reduced = Allowlist.Parse(File.ReadAllLines(PortableAssemblies.AllowlistPath).Where(l => l.Trim() != copy));

        using MemoryStream image = SnippetCompiler.Compile(CleanSource);
        IReadOnlyList<Violation> violations = IlChecker.Check(image, reduced);

        Assert.AreEqual(1, violations.Count, string.Join("\n", violations));
        AssertReports(violations, Rule.NotAllowlisted, "Micro.Runtime.Kernels.CleanKernel::Dot(", copy);
        StringAssert.Contains(violations[0].ToString(), "IL_", "the report gives the IL offset");
    }

    // ------------------------------------------------------------------ one bad snippet per rule

    [TestMethod]
    public void ListOfIntFails()
    {
        var v = Check("""
            namespace Snippets
            {
                public static class Bad
                {
                    public static int Run() { var list = new System.Collections.Generic.List<int>(); list.Add(1); return list.Count; }
                }
            }
            """);
        AssertReports(v, Rule.Generic, "Snippets.Bad::Run()", "System.Collections.Generic.List`1<System.Int32>");
        AssertReports(v, Rule.NotAllowlisted, "Snippets.Bad::Run()", "System.Collections.Generic.List`1");
    }

    [TestMethod]
    public void GenericMethodFails()
    {
        var v = Check("""
            namespace Snippets
            {
                public static class Bad
                {
                    public static T Identity<T>(T value) => value;
                    public static int Run() => Identity(3);
                }
            }
            """);
        AssertReports(v, Rule.Generic, "Snippets.Bad::Identity(!!0)", "generic method definition");
        AssertReports(v, Rule.Generic, "Snippets.Bad::Run()", "generic method instantiation Snippets.Bad::Identity(!!0)<System.Int32>");
    }

    [TestMethod]
    public void GenericTypeDefinitionFails()
    {
        var v = Check("namespace Snippets { public sealed class Box<T> { public T Value; } }");
        AssertReports(v, Rule.Generic, "Snippets.Box`1", "generic type definition");
    }

    [TestMethod]
    public void DoubleInKernelNamespaceFails()
    {
        const string body = """
            public static class Scale
            {
                public static int Run(int x) { double d = x * 0.5; return (int)d; }
            }
            """;
        var v = Check("namespace Micro.Runtime.Kernels {" + body + "}");
        AssertReports(v, Rule.FloatInIntegerCode, "Micro.Runtime.Kernels.Scale::Run(System.Int32)", "conv.r8");
        AssertReports(v, Rule.FloatInIntegerCode, "Micro.Runtime.Kernels.Scale::Run(System.Int32)", "ldc.r8");

        // The same code outside the integer-only namespace is allowed (e.g. a dequantize helper).
        Assert.AreEqual(0, Check("namespace Micro.Runtime.Quantization {" + body + "}").Count);
    }

    [TestMethod]
    public void FloatFieldAndParameterInKernelNamespaceFail()
    {
        var v = Check("""
            namespace Micro.Runtime.Kernels.Sub
            {
                public sealed class Params { public float Scale; }
                public static class UsesParams
                {
                    public static int Run(Params p) => p.Scale > 0 ? 1 : 0;
                    public static int Take(float f) => 1;
                }
            }
            """);
        AssertReports(v, Rule.FloatInIntegerCode, "Micro.Runtime.Kernels.Sub.Params::Scale", "field type");
        AssertReports(v, Rule.FloatInIntegerCode, "UsesParams::Run(Micro.Runtime.Kernels.Sub.Params)", "Micro.Runtime.Kernels.Sub.Params::Scale");
        AssertReports(v, Rule.FloatInIntegerCode, "UsesParams::Take(System.Single)", "signature");
    }

    [TestMethod]
    public void MathMaxFails()
    {
        var v = Check("""
            namespace Snippets
            {
                public static class Bad { public static int Run(int a, int b) => System.Math.Max(a, b); }
            }
            """);
        AssertReports(v, Rule.NotAllowlisted, "Snippets.Bad::Run(System.Int32,System.Int32) IL_", "System.Math::Max(System.Int32,System.Int32)");
        AssertReports(v, Rule.NotAllowlisted, "Snippets.Bad::Run(System.Int32,System.Int32)", "type System.Math");
    }

    [TestMethod]
    public void MultidimensionalArrayFails()
    {
        var v = Check("""
            namespace Snippets
            {
                public static class Bad
                {
                    public static int Run() { var grid = new int[2, 3]; grid[1, 2] = 5; return grid[1, 2]; }
                }
            }
            """);
        AssertReports(v, Rule.MultidimensionalArray, "Snippets.Bad::Run()", "System.Int32[,]");
    }

    [TestMethod]
    public void StackallocFails()
    {
        var v = Check("""
            namespace Snippets
            {
                public static class Bad
                {
                    public static unsafe int Run() { int* p = stackalloc int[4]; p[0] = 1; return p[0]; }
                }
            }
            """, allowUnsafe: true);
        AssertReports(v, Rule.Unsafe, "Snippets.Bad::Run()", "localloc");
        AssertReports(v, Rule.Unsafe, "assembly attributes", "declarative security");
    }

    [TestMethod]
    public void PointerParameterFails()
    {
        var v = Check("namespace Snippets { public static class Bad { public static unsafe int Read(int* p) => *p; } }", allowUnsafe: true);
        AssertReports(v, Rule.Unsafe, "Snippets.Bad::Read(System.Int32*)", "pointer type System.Int32*");
    }

    [TestMethod]
    public void FixedStatementFails()
    {
        var v = Check("""
            namespace Snippets
            {
                public static class Bad
                {
                    public static unsafe int Run(int[] a) { fixed (int* p = a) { return *p; } }
                }
            }
            """, allowUnsafe: true);
        AssertReports(v, Rule.Unsafe, "Snippets.Bad::Run(System.Int32[])", "pinned local");
    }

    [TestMethod]
    public void SpanFails()
    {
        // Span<T> is not in netstandard2.0; compile against the running runtime to get a real reference.
        var v = Check("""
            namespace Snippets
            {
                public static class Bad
                {
                    public static int Run(int[] a) { System.Span<int> s = a; return s[0]; }
                }
            }
            """, runningRuntime: true);
        AssertReports(v, Rule.Span, "Snippets.Bad::Run(System.Int32[])", "System.Span`1");
        AssertReports(v, Rule.Generic, "Snippets.Bad::Run(System.Int32[])", "System.Span`1<System.Int32>");
    }

    [TestMethod]
    public void NullableValueTypeFails()
    {
        var v = Check("namespace Snippets { public static class Bad { public static int Run(int? x) => x ?? 0; } }");
        AssertReports(v, Rule.Generic, "Snippets.Bad::Run(System.Nullable`1<System.Int32>)", "System.Nullable`1<System.Int32>");
    }

    [TestMethod]
    public void LambdaWithFuncFails()
    {
        var v = Check("""
            namespace Snippets
            {
                public static class Bad
                {
                    public static int Run(int x) { System.Func<int, int> twice = y => 2 * y; return twice(x); }
                }
            }
            """);
        AssertReports(v, Rule.Generic, "Snippets.Bad::Run(System.Int32)", "System.Func`2<System.Int32,System.Int32>");
    }

    [TestMethod]
    public void FieldLikeEventFails()
    {
        // The compiler implements add/remove of a field-like event with Interlocked.CompareExchange<T>.
        var v = Check("""
            namespace Snippets
            {
                public delegate void Tick(int n);
                public sealed class Bad { public event Tick Ticked; public void Raise() { Ticked?.Invoke(1); } }
            }
            """);
        AssertReports(v, Rule.Generic, "Snippets.Bad::add_Ticked(Snippets.Tick)", "System.Threading.Interlocked::CompareExchange");
    }

    [TestMethod]
    public void NullableAnnotationsFail()
    {
        var v = Check("""
            #nullable enable
            namespace Snippets
            {
                public static class Bad { public static string? Find(string s) => s.Length > 0 ? s : null; }
            }
            """);
        AssertReports(v, Rule.NullableAnnotations, "System.Runtime.CompilerServices.NullableAttribute", "Nullable must be disabled");
    }

    [TestMethod]
    public void BufferBlockCopyFails()
    {
        var v = Check("""
            namespace Snippets
            {
                public static class Bad
                {
                    public static void Run(byte[] a, byte[] b) => System.Buffer.BlockCopy(a, 0, b, 0, a.Length);
                }
            }
            """);
        AssertReports(v, Rule.NotAllowlisted, "Snippets.Bad::Run(System.Byte[],System.Byte[])",
            "System.Buffer::BlockCopy(System.Array,System.Int32,System.Array,System.Int32,System.Int32)");
    }

    [TestMethod]
    public void EnumToStringFails()
    {
        var v = Check("""
            namespace Snippets
            {
                public enum Color { Red, Green }
                public static class Bad
                {
                    public static string Run(Color c) => c.ToString();
                }
            }
            """);
        AssertReports(v, Rule.EnumToString, "Snippets.Bad::Run(Snippets.Color)", "Snippets.Color");
    }

    [TestMethod]
    public void DllImportFails()
    {
        var v = Check("""
            namespace Snippets
            {
                public static class Bad
                {
                    [System.Runtime.InteropServices.DllImport("libc")] public static extern int getpid();
                }
            }
            """);
        AssertReports(v, Rule.Native, "Snippets.Bad::getpid()", "P/Invoke");
    }
}
