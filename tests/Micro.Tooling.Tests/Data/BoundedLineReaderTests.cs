using Micro.Tooling.Data;

namespace Micro.Tooling.Tests.Data;

/// <summary>Lines are read with a named length limit, so one endless line costs the limit, not the file (issue 16).</summary>
[TestClass]
public sealed class BoundedLineReaderTests
{
    public TestContext TestContext { get; set; } = null!;

    private static List<string> All(string text, int max)
    {
        using var r = new BoundedLineReader(new StringReader(text), max, "t.csv", "one test row");
        var lines = new List<string>();
        for (string? l = r.ReadLine(); l != null; l = r.ReadLine()) lines.Add(l);
        return lines;
    }

    [TestMethod]
    public void SplitsLikeReadLineOnNewlines()
    {
        CollectionAssert.AreEqual(new[] { "a", "", "bc", "d" }, All("a\n\r\nbc\r\nd", 10));
        CollectionAssert.AreEqual(new[] { "abc" }, All("abc\n", 3));
        CollectionAssert.AreEqual(new[] { "abc" }, All("abc\r\n", 3));
        Assert.IsEmpty(All("", 3));
        var longLines = new string('x', 20_000) + "\n" + new string('y', 20_000);
        CollectionAssert.AreEqual(new[] { new string('x', 20_000), new string('y', 20_000) }, All(longLines, 20_000));
    }

    [TestMethod]
    public void ALineOverTheLimitIsRefusedNamingTheLineAndTheLimit()
    {
        var e = Assert.ThrowsExactly<DataFormatException>(() => All("ok\nabcd\n", 3));
        Assert.AreEqual("t.csv line 2 is longer than 3 characters, the limit for one test row", e.Message);
        Assert.ThrowsExactly<DataFormatException>(() => All("abcd", 3));
        Assert.ThrowsExactly<DataFormatException>(() => All("abc\r\r\n", 3));
    }

    [TestMethod]
    public void AHundredMegabyteLineCostsTheLimitNotTheLine()
    {
        string path = Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".csv");
        using (var f = File.Create(path))
        {
            var chunk = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("1.5,", 1 << 18)));
            for (int i = 0; i < 100; i++) f.Write(chunk);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.ThrowsExactly<DataFormatException>(() => CsvFile.Read(path, 64));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        StringAssert.Contains(e.Message, "line 1 is longer than 4,194,304 characters, the limit for one sample row");
        Assert.IsLessThan(4L * 2 * CsvFile.MaxLineLength, allocated, $"{allocated:N0} bytes allocated for a line cut at {CsvFile.MaxLineLength:N0} characters");
    }
}
