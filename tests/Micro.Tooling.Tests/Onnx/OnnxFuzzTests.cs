using Micro.Tooling.Onnx;

namespace Micro.Tooling.Tests.Onnx;

/// <summary>Randomly damaged models either import or fail with an <see cref="OnnxImportException"/>; never
/// with another exception (index out of range, null reference, overflow, out of memory).</summary>
[TestClass]
public sealed class OnnxFuzzTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("ppg1d", 1)]
    [DataRow("dscnn2d", 2)]
    [DataRow("mlp", 3)]
    [DataRow("layout", 4)]
    [DataRow("coverage", 5)]
    public void MutatedModelsFailCleanly(string fixture, int seed)
    {
        var original = File.ReadAllBytes(OnnxFixtures.Model(fixture));
        var r = new Random(seed);
        int cases = 400, imported = 0, rejected = 0;
        for (int c = 0; c < cases; c++)
        {
            var b = (byte[])original.Clone();
            int edits = 1 + r.Next(4);
            for (int e = 0; e < edits; e++)
            {
                int at = r.Next(b.Length);
                switch (r.Next(4))
                {
                    case 0: b[at] = (byte)r.Next(256); break;
                    case 1: b[at] ^= (byte)(1 << r.Next(8)); break;
                    case 2: b[at] = (byte)(b[at] + (r.Next(2) == 0 ? 1 : -1)); break;
                    default: b = b.AsSpan(0, at).ToArray(); break;
                }
                if (b.Length == 0) break;
            }
            try
            {
                var g = OnnxImporter.Import(b);
                // Running a graph costs more than importing it: run the first imported ones only.
                if (imported++ < 25) new FloatExecutor(g).Run(g.Inputs.Select(i => new float[g.Tensor(i.Tensor).Count]).ToArray());
            }
            catch (OnnxImportException) { rejected++; }
            catch (Exception ex)
            {
                File.WriteAllBytes(Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), $"fuzz_{fixture}_{c}.onnx"), b);
                Assert.Fail($"case {c}: {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
            }
        }
        TestContext.WriteLine($"{fixture}: {imported} imported, {rejected} rejected");
        Assert.AreEqual(cases, imported + rejected);
        Assert.IsGreaterThan(0, rejected);
    }
}
