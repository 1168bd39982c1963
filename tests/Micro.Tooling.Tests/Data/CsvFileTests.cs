using Micro.Tooling.Data;

namespace Micro.Tooling.Tests.Data;

[TestClass]
public sealed class CsvFileTests
{
    public TestContext TestContext { get; set; } = null!;

    private string TempPath() => Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), Guid.NewGuid().ToString("N")[..8] + ".csv");

    [TestMethod]
    public void RoundTripsExactly()
    {
        var rows = new[] { new[] { 0.1f, -2.5e-8f, 3e12f }, new[] { float.MaxValue, float.Epsilon, -0.333333343f } };
        string p = TempPath();
        CsvFile.Write(p, rows, "a,b,c");
        var back = CsvFile.Read(p, 3);
        Assert.HasCount(2, back);
        for (int i = 0; i < 2; i++) CollectionAssert.AreEqual(rows[i], back[i]);
    }

    [TestMethod]
    public void SkipsAHeaderAndBlankLines()
    {
        var r = CsvFile.Parse(new[] { "t_s,ppg", "", "0.0, 1.5", "0.008,1.25", "  " }, "x.csv");
        Assert.HasCount(2, r);
        CollectionAssert.AreEqual(new[] { 0.008f, 1.25f }, r[1]);
    }

    [TestMethod]
    public void WrongRowLengthNamesLineAndExpectedShape()
    {
        string p = TempPath();
        File.WriteAllLines(p, new[] { "1,2,3,4", "1,2,3" });
        var e = Assert.ThrowsExactly<DataFormatException>(() => SampleData.Load(p, new[] { 1, 4 }));
        StringAssert.Contains(e.Message, "line 2");
        StringAssert.Contains(e.Message, "[1,4]");
        StringAssert.Contains(e.Message, "expected 4");
    }

    [TestMethod]
    public void NonNumberNamesLineAndColumn()
    {
        var e = Assert.ThrowsExactly<DataFormatException>(() => CsvFile.Parse(new[] { "1,2", "3,abc" }, "d.csv"));
        StringAssert.Contains(e.Message, "line 2, column 2");
        StringAssert.Contains(e.Message, "'abc'");
        Assert.ThrowsExactly<DataFormatException>(() => CsvFile.Parse(new[] { "only,a,header" }, "h.csv"));
    }
}
