using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Micro.Nano.Tests.Support;

namespace Micro.Nano.Tests;

/// <summary>
/// The portable tests (the files tests/Micro.Portable.Tests/nano/NFUnitTest.nfproj lists) built as the NFUnitTest
/// assembly against nanoFramework.TestFramework and run by its on-device launcher on nanoCLR (nf test): every test passes, and
/// the launcher ran exactly as many tests as the sources declare (a [TestMethod] counts once, or once per
/// [DataRow]).
/// </summary>
[TestClass]
public sealed class NanoUnitTestSuiteTests
{
    private static string SourceDir => Path.Combine(NanoToolchain.RepoRoot, "tests", "Micro.Portable.Tests");

    [TestMethod]
    public void PortableTestsPassOnNanoClr()
    {
        NanoToolchain.RequireToolchain();
        string runtime = NanoBuild.Pe("Micro.Runtime");
        // Built by build.sh from the files NFUnitTest.nfproj lists.
        string tests = NanoBuild.Pe("NFUnitTest");
        string[] sources = NanoBuild.SourcesCompiled("NFUnitTest");

        ProcResult run = Proc.Nf(new[] { "test", "--timeout", "300", runtime, tests });
        Console.WriteLine(run.Both.Trim() + $"\n(nanoCLR: {run.Elapsed.TotalSeconds:F1} s)");
        Match m = Regex.Match(run.Stdout, @"^(\d+) passed, (\d+) failed, (\d+) skipped \(nanoCLR\)", RegexOptions.Multiline);
        Assert.IsTrue(m.Success, "nf test printed no summary:\n" + run.Both);
        int expected = DeclaredTests(sources);
        Assert.AreEqual("0", m.Groups[2].Value, "tests failed on nanoCLR:\n" + run.Both);
        Assert.AreEqual("0", m.Groups[3].Value, "tests skipped on nanoCLR:\n" + run.Both);
        Assert.AreEqual(expected, int.Parse(m.Groups[1].Value), $"the sources declare {expected} tests:\n" + run.Both);
        Assert.AreEqual(0, run.ExitCode, run.Both);
    }

    /// <summary>Tests the sources declare: each [TestMethod] once, or once per [DataRow].</summary>
    private static int DeclaredTests(IEnumerable<string> files)
    {
        int n = 0;
        foreach (string f in files)
        {
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(f)).GetRoot();
            foreach (var method in root.DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                var attrs = method.AttributeLists.SelectMany(l => l.Attributes).Select(a => a.Name.ToString()).ToList();
                if (!attrs.Contains("TestMethod")) continue;
                int rows = attrs.Count(a => a == "DataRow");
                n += Math.Max(1, rows);
            }
        }
        Assert.IsTrue(n > 0, "no [TestMethod] in " + SourceDir);
        return n;
    }
}
