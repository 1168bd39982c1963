using Micro.Portability.Tests.Checker;
using Micro.Portability.Tests.Support;

namespace Micro.Portability.Tests;

/// <summary>The real portable assemblies only use what nanoFramework 1.x (CoreLibrary 1.17) can run.</summary>
[TestClass]
public sealed class PortableAssemblyTests
{
    private static readonly Lazy<Allowlist> Allow = new(() => Allowlist.Load(PortableAssemblies.AllowlistPath));

    public static IEnumerable<object[]> Assemblies => PortableAssemblies.Names().Select(n => new object[] { n });

    [TestMethod]
    [DynamicData(nameof(Assemblies))]
    public void PortableAssemblyIsNanoFramework1Compatible(string name)
    {
        string path = PortableAssemblies.PathOf(name);
        Assert.IsTrue(File.Exists(path), $"{name}.dll is missing from {PortableAssemblies.OutputDirectory}; is it a ProjectReference of the test project?");

        IReadOnlyList<Violation> violations = IlChecker.Check(path, Allow.Value, PortableAssemblies.Options());

        foreach (Violation v in violations) Console.WriteLine(v);
        Assert.AreEqual(0, violations.Count,
            $"{name}.dll uses {violations.Count} thing(s) nanoFramework 1.x cannot run:\n" + string.Join("\n", violations));
    }

    [TestMethod]
    public void IntegerOnlyRuleCoversTheRealKernels()
    {
        // If the kernels' namespace were renamed, the float rule would silently check nothing.
        string kernels = typeof(Micro.Runtime.Kernels.FixedPoint).Namespace!;
        CollectionAssert.Contains(new IlCheckOptions().IntegerOnlyNamespaces.ToList(), kernels);
        Assert.IsTrue(typeof(Micro.Runtime.Kernels.FixedPoint).Assembly.GetTypes().Count(t => t.Namespace == kernels) > 1);
    }
}
